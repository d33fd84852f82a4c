/**
 * Palette colour: an 8-bit image whose values index red, green and blue lookup tables is shown in
 * the tables' colours. The file is written here (the shared corpus has no palette image), with
 * tables chosen so that every index gives a different colour.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { minimalImage, paletteColourElements, usBytes as us } from '../test-support/dicom-writer';
import { hostWithFiles, openOnlySeries, probe, type DecodedPixels } from './viewer-page';

const SIZE = 64;
/** Four bands of indices, top to bottom. */
const BANDS = [0, 85, 170, 255];

/** 256 16-bit entries; the colour of index k is (red(k), green(k), blue(k)) / 257 in 8 bits. */
const red = (k: number): number => k;
const green = (k: number): number => 255 - k;
const blue = (k: number): number => (k * 3) % 256;
const table = (channel: (k: number) => number): number[] =>
  Array.from({ length: 256 }, (_, k) => channel(k) * 257);

function paletteImage(path: string): void {
  const pixels = new Uint8Array(SIZE * SIZE);
  for (let row = 0; row < SIZE; row++)
    pixels.fill(BANDS[Math.floor(row / (SIZE / 4))]!, row * SIZE, (row + 1) * SIZE);
  writeFileSync(
    path,
    minimalImage('1.2.826.0.1.3680043.8.498.7130', [
      ...paletteColourElements(table(red), table(green), table(blue)),
      { tag: '00280010', vr: 'US', value: us(SIZE) },
      { tag: '00280011', vr: 'US', value: us(SIZE) },
      { tag: '00280100', vr: 'US', value: us(8) },
      { tag: '00280101', vr: 'US', value: us(8) },
      { tag: '00280102', vr: 'US', value: us(7) },
      { tag: '7FE00010', vr: 'OB', value: pixels },
    ]),
  );
}

test('a palette colour image decodes to its tables’ colours', async ({ page }) => {
  const file = join(mkdtempSync(join(tmpdir(), 'lumen-palette-')), 'palette.dcm');
  paletteImage(file);
  const host = await hostWithFiles(page, [file]);
  try {
    expect(await probe(page, 'renderBackend')).toBe('gpu');
    await openOnlySeries(page);
    await expect(page.getByTestId('slice-indicator')).toHaveText('1/1');
    await expect(page.getByTestId('viewport-slot')).not.toContainText('could not be decoded');
    // The file states no pixel spacing: no scale bar pretends it is 1 mm.
    await expect(page.getByTestId('wl-indicator')).not.toBeEmpty();
    await expect(page.getByTestId('scale-bar')).toHaveCount(0);
    const [imageId] = Object.values(await probe<Record<string, string>>(page, 'libraryImageIds'));
    const decoded = await probe<DecodedPixels>(page, 'decodedPixels', imageId);
    expect(decoded.components).toBeGreaterThanOrEqual(3);
    BANDS.forEach((index, band) => {
      const pixel = (band * (SIZE / 4) + 4) * SIZE + 10;
      const rgb = decoded.values.slice(pixel * decoded.components, pixel * decoded.components + 3);
      expect(rgb, `band ${band}`).toEqual([red(index), green(index), blue(index)]);
    });
    // On screen: the red-free top band and the green-free bottom band.
    const colourAt = (row: number): Promise<number> => probe<number>(page, 'displayedGrey', 10, row);
    await expect.poll(() => colourAt(4)).toBeCloseTo((red(0) + green(0) + blue(0)) / 3, -0.5);
    await expect.poll(() => colourAt(60)).toBeCloseTo((red(255) + green(255) + blue(255)) / 3, -0.5);
  } finally {
    await host.stop();
  }
});
