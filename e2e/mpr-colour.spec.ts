/**
 * Colour series with a volume geometry in MPR: the views show RGB slices' colours as stored, in
 * every plane (Cornerstone's volume views would stretch the middle slice's range over the screen's);
 * palette colour is not offered (the volume would hold, and interpolate, the table indices), nor YBR
 * (Cornerstone builds one-component volumes for it); native YBR_FULL_422 decodes to RGB in the stack.
 * The series list's thumbnails show all three in their colours. The files are written here: the
 * shared corpus has no colour volume.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import {
  minimalImage,
  paletteColourElements,
  usBytes as us,
  type ElementSpec,
} from '../test-support/dicom-writer';
import { expectMprRefused, nextFrames, waitForVolume, type Point3 } from './mpr-page';
import { hostWithFiles, openOnlySeries, probe, thumbnailRgb, type DecodedPixels } from './viewer-page';

const SIZE = 64;
const SLICES = 5;
type Rgb = readonly [number, number, number];

/** The colour of column `column` of slice k: red left, blue right, green rising with k; none at 255. */
const colour = (column: number, k: number): Rgb => (column < SIZE / 2 ? [230, 40 * k, 0] : [0, 40 * k, 230]);

/**
 * Writes the slices (2 mm apart along z, 1 mm pixels) with the pixel data and photometric elements
 * that `pixels(k)` gives for slice k.
 */
function writeSlices(uid: string, pixels: (k: number) => ElementSpec[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'lumen-colour-'));
  return Array.from({ length: SLICES }, (_, k) => {
    const path = join(dir, `slice-${k}.dcm`);
    writeFileSync(
      path,
      minimalImage(uid, [
        { tag: '00080018', vr: 'UI', value: `${uid}.3.${k + 1}` },
        { tag: '00200013', vr: 'IS', value: String(k + 1) },
        { tag: '00200032', vr: 'DS', value: `0\\0\\${k * 2}` },
        { tag: '00200037', vr: 'DS', value: '1\\0\\0\\0\\1\\0' },
        { tag: '00280030', vr: 'DS', value: '1\\1' },
        { tag: '00280010', vr: 'US', value: us(SIZE) },
        { tag: '00280011', vr: 'US', value: us(SIZE) },
        { tag: '00280100', vr: 'US', value: us(8) },
        { tag: '00280101', vr: 'US', value: us(8) },
        { tag: '00280102', vr: 'US', value: us(7) },
        ...pixels(k),
      ]),
    );
    return path;
  });
}

const rgbPixels = (k: number): ElementSpec[] => {
  const pixels = new Uint8Array(SIZE * SIZE * 3);
  for (let i = 0; i < SIZE * SIZE; i++) pixels.set(colour(i % SIZE, k), i * 3);
  return [
    { tag: '00280002', vr: 'US', value: us(3) },
    { tag: '00280004', vr: 'CS', value: 'RGB' },
    { tag: '00280006', vr: 'US', value: us(0) },
    { tag: '7FE00010', vr: 'OB', value: pixels },
  ];
};

/** Full-range YCbCr of an RGB colour, in 8 bits (PS3.3 C.7.6.3.1.2). */
const ybr = ([r, g, b]: Rgb): Rgb => [
  Math.round(0.299 * r + 0.587 * g + 0.114 * b),
  Math.round(128 - 0.168736 * r - 0.331264 * g + 0.5 * b),
  Math.round(128 + 0.5 * r - 0.418688 * g - 0.081312 * b),
];

/** Native YBR_FULL_422: each pair of pixels as Y1 Y2 Cb Cr (a pair never straddles the halves). */
const ybr422Pixels = (k: number): ElementSpec[] => {
  const pixels = new Uint8Array(SIZE * SIZE * 2);
  for (let pair = 0; pair < (SIZE * SIZE) / 2; pair++) {
    const [y, cb, cr] = ybr(colour((pair * 2) % SIZE, k));
    pixels.set([y, y, cb, cr], pair * 4);
  }
  return [
    { tag: '00280002', vr: 'US', value: us(3) },
    { tag: '00280004', vr: 'CS', value: 'YBR_FULL_422' },
    { tag: '00280006', vr: 'US', value: us(0) },
    { tag: '7FE00010', vr: 'OB', value: pixels },
  ];
};

/**
 * Palette colour: index 16k (left) or 16k + 8 (right) of slice k; the tables (16 bits an entry)
 * give each index used the colour that `colour` gives that pixel.
 */
const paletteIndex = (column: number, k: number): number => 16 * k + (column < SIZE / 2 ? 0 : 8);
const palettePixels = (k: number): ElementSpec[] => {
  const pixels = new Uint8Array(SIZE * SIZE);
  for (let i = 0; i < SIZE * SIZE; i++) pixels[i] = paletteIndex(i % SIZE, k);
  const tables: number[][] = [[], [], []];
  for (let index = 0; index < 256; index++) {
    const slice = Math.floor(index / 16);
    const rgb = colour(index % 16 < 8 ? 0 : SIZE - 1, Math.min(slice, SLICES - 1));
    rgb.forEach((value, c) => tables[c]!.push(value * 257));
  }
  return [
    { tag: '00280002', vr: 'US', value: us(1) },
    ...paletteColourElements(tables[0]!, tables[1]!, tables[2]!),
    { tag: '7FE00010', vr: 'OB', value: pixels },
  ];
};

/** Opens the only series in MPR and checks, in three planes, the colour at three voxels. */
async function expectColoursInMpr(page: Page, files: string[], shot: string): Promise<void> {
  const host = await hostWithFiles(page, files);
  try {
    await openOnlySeries(page);
    await expect(page.getByTestId('slice-indicator')).toHaveText(`1/${SLICES}`, { timeout: 60_000 });
    await page.getByTestId('mpr-toggle').click();
    const info = await waitForVolume(page);
    expect(await probe(page, 'renderBackend')).toBe('gpu');
    expect(info.dimensions).toEqual([SIZE, SIZE, SLICES]);
    for (const [column, k] of [
      [10, 2],
      [50, 2],
      [10, 4],
    ] as const) {
      const world = await probe<Point3>(page, 'mprVoxelWorld', column, 30, k);
      await probe(page, 'mprSetCrosshairCenter', world);
      await nextFrames(page);
      for (const slot of ['large', 'sagittal', 'coronal']) {
        const off = async (): Promise<number> => {
          const drawn = await probe<Rgb>(page, 'mprDisplayedRgb', slot, world);
          return Math.max(...drawn.map((value, c) => Math.abs(value - colour(column, k)[c]!)));
        };
        await expect.poll(off, `${slot} at column ${column}, slice ${k}`).toBeLessThanOrEqual(2);
      }
    }
    await page.mouse.move(0, 0);
    await page.screenshot({ path: shot });
  } finally {
    await host.stop();
  }
}

test('an RGB series with a volume geometry shows its colours as stored in every MPR view', async ({
  page,
}) => {
  const files = writeSlices('1.2.826.0.1.3680043.8.498.7140', rgbPixels);
  await expectColoursInMpr(page, files, 'test-results/shots/mpr-rgb.png');
});

/** Opens the only series' stack and waits for its first slice's colour (as grey) on screen. */
async function openStackShowingColour(page: Page): Promise<void> {
  await openOnlySeries(page);
  await expect(page.getByTestId('slice-indicator')).toHaveText(`1/${SLICES}`, { timeout: 60_000 });
  expect(await probe(page, 'renderBackend')).toBe('gpu');
  const [r, g, b] = colour(10, 0);
  await expect
    .poll(() => probe<number>(page, 'displayedGrey', 10, 30), 'the first slice drawn')
    .toBeCloseTo((r + g + b) / 3, -0.5);
}

test('a native YBR_FULL_422 series decodes to its colours in the stack; MPR is not offered and says why', async ({
  page,
}) => {
  // Cornerstone's loader left these frames unconverted: two values a pixel, drawn as if RGB.
  const files = writeSlices('1.2.826.0.1.3680043.8.498.7144', ybr422Pixels);
  const host = await hostWithFiles(page, files);
  try {
    await openStackShowingColour(page);
    const imageIds = Object.values(await probe<Record<string, string>>(page, 'libraryImageIds'));
    const decoded = await probe<DecodedPixels>(page, 'decodedPixels', imageIds[0]!);
    expect(decoded.components).toBe(3);
    expect(decoded.values).toHaveLength(SIZE * SIZE * 3);
    // Rounding to 8-bit YCbCr and back moves a channel by at most 2.
    for (const column of [1, 30, 33, 62]) {
      const at = (30 * SIZE + column) * 3;
      const off = decoded.values.slice(at, at + 3).map((value, c) => Math.abs(value - colour(column, 0)[c]!));
      expect(Math.max(...off), `column ${column}`).toBeLessThanOrEqual(2);
    }
    await expectMprRefused(page, /not offered for YBR colour images/);
  } finally {
    await host.stop();
  }
});

test('a palette colour series offers no MPR and says why', async ({ page }) => {
  const files = writeSlices('1.2.826.0.1.3680043.8.498.7141', palettePixels);
  const host = await hostWithFiles(page, files);
  try {
    // The stack shows the tables' colours (the grey of the volume's indices would be wrong).
    await openStackShowingColour(page);
    await expectMprRefused(page, /not offered for palette colour images/);
  } finally {
    await host.stop();
  }
});

test('the series list shows RGB, palette colour and YBR_FULL_422 series’ thumbnails in their colours', async ({
  page,
}) => {
  // Each slice's two colours have the same |RGB|: Cornerstone's loadImageToCanvas thresholded them.
  // The last number: how far a channel may be off (8-bit YCbCr rounds).
  const series = [
    ['1.2.826.0.1.3680043.8.498.7142', rgbPixels, 2],
    ['1.2.826.0.1.3680043.8.498.7143', palettePixels, 2],
    ['1.2.826.0.1.3680043.8.498.7145', ybr422Pixels, 3],
  ] as const;
  for (const [uid, pixels, within] of series) {
    const host = await hostWithFiles(page, writeSlices(uid, pixels));
    try {
      expect(await probe(page, 'renderBackend')).toBe('gpu');
      await page.getByTestId('study-row').first().click();
      const middle = Math.floor(SLICES / 2);
      await expect(page.getByTestId('series-thumbnail')).toHaveAttribute(
        'data-sop-instance-uid',
        `${uid}.3.${middle + 1}`,
        { timeout: 60_000 },
      );
      // Columns at the edges: the image fills the thumbnail.
      for (const column of [1, SIZE - 2]) {
        const off = async (): Promise<number> => {
          const drawn = await thumbnailRgb(page, (column + 0.5) / SIZE, 0.5);
          return Math.max(...drawn.map((value, c) => Math.abs(value - colour(column, middle)[c]!)));
        };
        await expect.poll(off, `${uid} at column ${column}`).toBeLessThanOrEqual(within);
      }
      await page.screenshot({ path: `test-results/shots/thumbnail-${uid.split('.').pop()}.png` });
    } finally {
      await host.stop();
    }
  }
});
