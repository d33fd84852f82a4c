/**
 * Enhanced multi-frame CT whose Rescale Slope/Intercept and window exist only in the functional
 * groups (Pixel Value Transformation and Frame VOI LUT sequences), not at the top level: the stack
 * and MPR show modality values (stored × slope + intercept, each frame its own) and each frame's
 * window. Expected values come from the source slices' bytes and the values the test wrote; for
 * the real enhanced CT (CT0012), from its RLE frames decoded here and its shared rescale. The probe
 * readout on every frame of the stack also covers the probe's fix for images past a stack's first.
 * A VOI LUT Sequence in a frame's Frame VOI LUT item is that frame's display, and in MPR the
 * volume's, with the middle frame's further windows in the MPR preset menu.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dicomParser from 'dicom-parser';
import { expect, test, type Page } from '@playwright/test';
import { decodeRleFrame } from '../src-main/seg/rle';
import { lookUpReference, parseFile } from '../test-support/dicom-reference';
import { flatPixel } from '../test-support/flat-pixel';
import {
  writeEnhancedCt,
  type EnhancedWriteOptions,
  type FrameRescale,
  type FrameVoiLut,
  type FrameWindow,
} from '../test-support/enhanced-ct-writer';
import { hasSharedData, sharedPath } from '../test-support/shared-data';
import {
  CT_DIR,
  filesIn,
  nextFrames,
  sortedSlices,
  waitForVolume,
  type FileSlice,
  type Point3,
} from './mpr-page';
import { hostWithFiles, openOnlySeries, probe, type DecodedPixels } from './viewer-page';

test.skip(!hasSharedData, 'the shared DICOM data (../shared) is absent');

const ascending = (values: readonly number[]): number[] => [...values].sort((a, b) => a - b);

/** The probe readouts in the measurements panel, as numbers, in ascending order. */
async function probedValues(page: Page): Promise<number[]> {
  const stats = await page
    .getByTestId('measurement-item')
    .evaluateAll((items) => items.map((item) => item.getAttribute('data-stats') ?? '{}'));
  return ascending(stats.map((text) => (JSON.parse(text) as { value?: number }).value ?? NaN));
}

/** The chest CT's slices (frames in the order given) written as one enhanced CT file in a new folder. */
function enhancedCtOf(slices: readonly FileSlice[], uid: string, options: EnhancedWriteOptions): string {
  const paths = filesIn(CT_DIR);
  const pathOf = (sop: string): string => paths.find((path) => parseFile(path).string('x00080018') === sop)!;
  const file = join(mkdtempSync(join(tmpdir(), 'lumen-enhanced-')), 'enhanced-ct.dcm');
  writeEnhancedCt(
    slices.map((slice) => pathOf(slice.sopInstanceUid)),
    file,
    uid,
    options,
  );
  return file;
}

interface PlaneOf {
  readonly position: readonly number[];
  readonly orientation: readonly number[];
  /** Row spacing, column spacing (mm). */
  readonly pixelSpacing: readonly number[];
}

/**
 * Places a point probe on the active stack inside pixel (column, row) of a plane, as the user
 * would click it. Image Position (Patient) is the centre of the first pixel; the click is a
 * quarter pixel past the centre, clear of the edges (the tool floors a point on the centre that
 * float rounding puts a hair before it into the previous pixel).
 */
async function probeStackPixel(page: Page, plane: PlaneOf, column: number, row: number): Promise<void> {
  const {
    position: p,
    orientation: o,
    pixelSpacing: [rowSpacing, columnSpacing],
  } = plane;
  const [i, j] = [column + 0.25, row + 0.25];
  const world = [0, 1, 2].map((a) => p[a]! + i * columnSpacing! * o[a]! + j * rowSpacing! * o[a + 3]!);
  const [x, y] = await probe<[number, number]>(page, 'worldPointOnPage', 0, world);
  await page.mouse.click(x, y);
}

/** The grey a linear window (width, center) draws a value with. */
const linearGrey = (value: number, width: number, center: number): number =>
  255 * Math.min(1, Math.max(0, (value - (center - width / 2)) / width));

/** Each frame's expected grey: clear of black and white, and clear of every other frame's. */
function expectDistinctGreys(greys: readonly number[], what: string): void {
  greys.forEach((grey, f) => {
    expect(grey, `frame ${f + 1} ${what}`).toBeGreaterThan(20);
    expect(grey, `frame ${f + 1} ${what}`).toBeLessThan(235);
    for (let g = 0; g < f; g++) expect(Math.abs(grey - greys[g]!)).toBeGreaterThan(20);
  });
}

/** How far the grey on screen at an image pixel is from the grey expected there. */
const greyOffBy =
  (page: Page, [column, row]: readonly number[], expected: number) =>
  async (): Promise<number> =>
    Math.abs((await probe<number>(page, 'displayedGrey', column, row)) - expected);

/**
 * Opens the only series (three frames) and scrolls down to its last frame and back up, checking each
 * frame as it shows; the screen with frame 2 shown goes to `shot`.
 */
async function scrollDownAndBack(
  page: Page,
  shot: string,
  check: (frame: number) => Promise<void>,
): Promise<void> {
  await openOnlySeries(page);
  await expect(page.getByTestId('slice-indicator')).toHaveText('1/3', { timeout: 60_000 });
  expect(await probe(page, 'renderBackend')).toBe('gpu');
  await page.getByTestId('viewport').hover();
  const frames = [0, 1, 2, 1, 0];
  for (const [step, f] of frames.entries()) {
    if (step > 0) await page.keyboard.press(f > frames[step - 1]! ? 'ArrowDown' : 'ArrowUp');
    await expect(page.getByTestId('slice-indicator')).toHaveText(`${f + 1}/3`);
    await check(f);
    if (step === 1) {
      await page.mouse.move(0, 0);
      await page.screenshot({ path: shot });
      await page.getByTestId('viewport').hover();
    }
  }
}

test('an enhanced CT with rescale and window only in its per-frame groups shows each frame’s HU, stack and MPR', async ({
  page,
}) => {
  // Three consecutive 8 mm slices of a real CT, written as frames from the top down (reverse z).
  const slices = sortedSlices(CT_DIR).slice(12, 15).reverse();
  const rescale: FrameRescale[] = [
    { slope: '1', intercept: '-1024' },
    { slope: '2', intercept: '-2000' },
    { slope: '0.5', intercept: '100.25' },
  ];
  // Frame 2 gives a second window too: the preset menu offers it on that frame.
  const windows: FrameWindow[] = [
    { center: '40', width: '400' },
    { center: '-600\\50', width: '1500\\350' },
    { center: '300', width: '2000' },
  ];
  const file = enhancedCtOf(slices, '1.2.826.0.1.3680043.10.1392.31', { rescale, window: windows });
  const written = parseFile(file);
  expect(written.elements['x00281052'], 'no top-level intercept').toBeUndefined();
  expect(written.elements['x00281050'], 'no top-level window').toBeUndefined();

  // The source slices hold stored values with their own rescale (slope 1, intercept -1024).
  const [column, row] = [256, 300];
  const stored = slices.map((slice) => slice.values[row * slice.columns + column]! + 1024);
  const expected = stored.map(
    (value, f) => value * Number(rescale[f]!.slope) + Number(rescale[f]!.intercept),
  );
  expect(new Set(expected).size, 'the frames differ at the probed pixel').toBe(3);

  const host = await hostWithFiles(page, [file]);
  try {
    await openOnlySeries(page);
    await expect(page.getByTestId('slice-indicator')).toHaveText('1/3', { timeout: 60_000 });
    expect(await probe(page, 'renderBackend')).toBe('gpu');
    // Each frame's own window and position, and the probe's readout at the pixel on each frame.
    await page.keyboard.press('p');
    for (let f = 0; f < 3; f++) {
      await expect(page.getByTestId('slice-indicator')).toHaveText(`${f + 1}/3`);
      const [width, second] = windows[f]!.width.split('\\');
      const [center, secondCenter] = windows[f]!.center.split('\\');
      await expect(page.getByTestId('wl-indicator')).toHaveText(`W: ${width} L: ${center}`);
      const further = page.getByTestId('wl-preset-menu').locator('option[value="file-2"]');
      if (second) await expect(further).toHaveText(`File: window 2 (${second}/${secondCenter})`);
      else await expect(further).toHaveCount(0);
      // The frame's Plane Position (the file has no Slice Location).
      await expect(page.getByTestId('slice-position')).toHaveText(
        `Pos ${slices[f]!.position[2].toFixed(1)} mm`,
      );
      await probeStackPixel(page, slices[f]!, column, row);
      await expect.poll(() => probedValues(page)).toEqual(ascending(expected.slice(0, f + 1)));
      if (f < 2) await page.keyboard.press('ArrowDown');
    }
    await expect(page.getByTestId('measurement-item').first()).toContainText('HU');
    await page.mouse.move(0, 0);
    await page.screenshot({ path: 'test-results/shots/enhanced-rescale-stack.png' });
    // Whole frames as the loader decoded them for the stack: every pixel rescaled by its own frame's values.
    const imageIds = (await probe<{ imageIds: string[] }>(page, 'viewport', 0))!.imageIds;
    for (let f = 0; f < 3; f++) {
      const decoded = await probe<DecodedPixels>(page, 'decodedPixels', imageIds[f]!);
      const { slope, intercept } = rescale[f]!;
      const source = slices[f]!.values;
      let worst = 0;
      for (let v = 0; v < source.length; v++) {
        const value = (source[v]! + 1024) * Number(slope) + Number(intercept);
        worst = Math.max(worst, Math.abs(decoded.values[v]! - value));
      }
      expect(worst, `frame ${f + 1}`).toBeLessThan(1e-3);
      expect(decoded.values[row * 512 + column], `frame ${f + 1} at the pixel`).toBeCloseTo(expected[f]!, 3);
    }
    for (let n = 3; n > 0; n--) {
      await page.getByTestId('measurement-delete').first().click();
      await expect(page.getByTestId('measurement-item')).toHaveCount(n - 1);
    }

    // MPR: one volume of the three frames, sorted up the z axis (frame 3 first).
    await page.getByTestId('mpr-toggle').click();
    const info = await waitForVolume(page);
    expect(await probe(page, 'renderBackend')).toBe('gpu');
    expect(info.dimensions).toEqual([512, 512, 3]);
    for (let k = 0; k < 3; k++) {
      const f = 2 - k;
      expect(await probe<number>(page, 'mprVoxelValue', column, row, k), `slice ${k}`).toBeCloseTo(
        expected[f]!,
        3,
      );
    }
    // The probe on the large (axial) view reads the middle frame's value (slope 2) from the volume,
    // clicked a quarter voxel past the voxel's centre (clear of its edges).
    const world = await probe<Point3>(page, 'mprVoxelWorld', column + 0.25, row + 0.25, 1);
    await probe(page, 'mprSetCrosshairCenter', world);
    await nextFrames(page);
    await page.keyboard.press('p');
    const [x, y] = await probe<[number, number]>(page, 'mprPointOnPage', 'large', world);
    await page.mouse.click(x, y);
    await expect.poll(() => probedValues(page)).toEqual([expected[1]]);
    await page.mouse.move(0, 0);
    await nextFrames(page);
    await page.screenshot({ path: 'test-results/shots/enhanced-rescale-mpr.png' });
    // The volume opens with the middle frame's window (as Cornerstone picks it), and the menu offers
    // that frame's second window.
    await expect(page.getByTestId('mpr-wl-large')).toHaveText('W: 1500 L: -600');
    const menu = page.getByTestId('mpr-wl-preset');
    await expect(menu.locator('option[value="file-2"]')).toHaveText('File: window 2 (350/50)');
    await menu.selectOption('file-2');
    for (const slot of ['large', 'axial', 'sagittal', 'coronal'])
      await expect(page.getByTestId(`mpr-wl-${slot}`)).toHaveText('W: 350 L: 50');
  } finally {
    await host.stop();
  }
});

test('the real enhanced CT (CT0012, RLE) shows HU from its shared Pixel Value Transformation and its frame window', async ({
  page,
}) => {
  const file = sharedPath(
    'dicom/transfer_syntax/enhanced_ct_CT0012_2frames/CT0012.not_fragmented_bot_rle.dcm',
  );
  // Its header (dumped with dicom-parser): no top-level rescale or window; the shared functional
  // groups say intercept -1024, slope 1 (Rescale Type US) and window 49/102.
  const ds = parseFile(file);
  expect(ds.elements['x00281052']).toBeUndefined();
  const shared = ds.elements['x52009229']!.items![0]!.dataSet!;
  const transform = shared.elements['x00289145']!.items![0]!.dataSet!;
  expect([transform.floatString('x00281053'), transform.floatString('x00281052')]).toEqual([1, -1024]);
  // Each frame decoded here from its RLE fragment (one per frame, found by the offset table).
  const pixels = ds.elements['x7fe00010']!;
  const frames = [0, 1].map((f) => {
    const encoded = dicomParser.readEncapsulatedImageFrame(ds, pixels, f);
    const bytes = decodeRleFrame(encoded, 512 * 512, 2);
    return Array.from(new Uint16Array(bytes.buffer, bytes.byteOffset, 512 * 512), (value) => value - 1024);
  });

  const host = await hostWithFiles(page, [file]);
  try {
    await openOnlySeries(page);
    await expect(page.getByTestId('slice-indicator')).toHaveText('1/2', { timeout: 60_000 });
    expect(await probe(page, 'renderBackend')).toBe('gpu');
    await expect(page.getByTestId('wl-indicator')).toHaveText('W: 102 L: 49');
    await expect(page.getByTestId('slice-position')).toHaveText('Pos -159.0 mm');
    const imageIds = (await probe<{ imageIds: string[] }>(page, 'viewport', 0))!.imageIds;
    for (const f of [0, 1]) {
      const decoded = await probe<DecodedPixels>(page, 'decodedPixels', imageIds[f]!);
      const differing = frames[f]!.filter((value, v) => decoded.values[v] !== value).length;
      expect(differing, `frame ${f + 1}`).toBe(0);
    }
    // A pixel inside the head (not the -1024 outside the scan circle), read with the probe.
    const [column, row] = [256, 256];
    expect(frames[0]![row * 512 + column]).toBeGreaterThan(-1024);
    await page.keyboard.press('p');
    const plane = {
      position: [99.5, -301.5, -159],
      orientation: [-1, 0, 0, 0, 1, 0],
      pixelSpacing: [0.388672, 0.388672],
    };
    await probeStackPixel(page, plane, column, row);
    await expect.poll(() => probedValues(page)).toEqual([frames[0]![row * 512 + column]]);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: 'test-results/shots/enhanced-rescale-ct0012.png' });
  } finally {
    await host.stop();
  }
});

test('scrolling an enhanced CT down and back up shows each frame through its own Frame VOI LUT window', async ({
  page,
}) => {
  const slices = sortedSlices(CT_DIR).slice(12, 15);
  const windows: FrameWindow[] = [
    { center: '40', width: '400' },
    { center: '-300', width: '1500' },
    { center: '300', width: '2000' },
  ];
  const rescale: FrameRescale[] = windows.map(() => ({ slope: '1', intercept: '-1024' }));
  const file = enhancedCtOf(slices, '1.2.826.0.1.3680043.10.1392.32', { rescale, window: windows });
  // Each frame's soft-tissue pixel, its neighbours within 4 HU (wherever the screen's grid falls), at
  // a grey well inside that frame's window, and a different grey in each window.
  const tolerance = 4;
  const pixels = slices.map((slice) =>
    flatPixel(slice.values, slice.columns, -100, 100, { radius: 1, tolerance }),
  );
  const greys = pixels.map(([, , value], f) =>
    linearGrey(value, Number(windows[f]!.width), Number(windows[f]!.center)),
  );
  expectDistinctGreys(greys, 'inside its window');

  const host = await hostWithFiles(page, [file]);
  try {
    await scrollDownAndBack(page, 'test-results/shots/enhanced-frame-window-2.png', async (f) => {
      const { center, width } = windows[f]!;
      await expect(page.getByTestId('wl-indicator'), `frame ${f + 1}`).toHaveText(`W: ${width} L: ${center}`);
      // Within the neighbours' spread and a grey level of rounding.
      const spread = (255 * tolerance) / Number(width);
      await expect
        .poll(greyOffBy(page, pixels[f]!, greys[f]!), `frame ${f + 1} on screen`)
        .toBeLessThan(spread + 1.5);
    });
    // A window the reader picks stays while scrolling; the file's window (key 9) is then the frame's own.
    const indicator = page.getByTestId('wl-indicator');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('4');
    await expect(indicator).toHaveText('W: 1500 L: -600');
    await page.keyboard.press('ArrowDown');
    await expect(page.getByTestId('slice-indicator')).toHaveText('3/3');
    await expect(indicator).toHaveText('W: 1500 L: -600');
    await page.keyboard.press('9');
    await expect(indicator).toHaveText(`W: ${windows[2]!.width} L: ${windows[2]!.center}`);
    expect(await probe(page, 'renderBackend')).toBe('gpu');
  } finally {
    await host.stop();
  }
});

test('scrolling an enhanced CT shows each frame through the VOI LUT Sequence in its own Frame VOI LUT item', async ({
  page,
}) => {
  const slices = sortedSlices(CT_DIR).slice(20, 23);
  // Curves no linear window draws, one per frame, over HU -1024..3071; LUT Data as US and as OW,
  // the descriptor as SS and as US.
  const first = -1024;
  const curve = (shape: (x: number) => number): number[] =>
    Array.from({ length: 4096 }, (_, k) => Math.round(65535 * Math.min(1, Math.max(0, shape(k)))));
  const root = curve((k) => Math.sqrt(k / 4095));
  const tissue = curve((k) => 1 - (k + first + 300) / 400);
  const fourth = curve((k) => (k / 4095) ** 0.25);
  const luts: FrameVoiLut[] = [
    { first, data: root, explanation: 'ROOT', dataVr: 'US', descriptorVr: 'SS' },
    { first, data: tissue, explanation: 'INVERTED TISSUE', dataVr: 'OW', descriptorVr: 'SS' },
    // Its first input, -1024, written as US: read as 64,512 unless taken back as signed.
    { first, data: fourth, explanation: 'FOURTH ROOT', dataVr: 'OW', descriptorVr: 'US' },
  ];
  const rescale: FrameRescale[] = luts.map(() => ({ slope: '1', intercept: '-1024' }));
  const file = enhancedCtOf(slices, '1.2.826.0.1.3680043.10.1392.33', { rescale, voiLut: luts });
  const tolerance = 4;
  const pixels = slices.map((slice) =>
    flatPixel(slice.values, slice.columns, -100, 100, { radius: 1, tolerance }),
  );
  const grey = (f: number, value: number): number => (255 * lookUpReference(luts[f]!, value)) / 65535;
  const greys = pixels.map(([, , value], f) => grey(f, value));
  expectDistinctGreys(greys, 'mid-grey');

  const host = await hostWithFiles(page, [file]);
  try {
    await scrollDownAndBack(page, 'test-results/shots/enhanced-frame-voi-lut-2.png', async (f) => {
      const explanation = luts[f]!.explanation;
      await expect(page.getByTestId('wl-indicator'), `frame ${f + 1}`).toHaveText(`VOI LUT ${explanation}`);
      // Within the greys of the neighbours' spread and a grey level of rounding.
      const value = pixels[f]![2]!;
      const spread = Math.abs(grey(f, value + tolerance) - grey(f, value - tolerance));
      await expect
        .poll(greyOffBy(page, pixels[f]!, greys[f]!), `frame ${f + 1} on screen`)
        .toBeLessThan(spread + 1.5);
    });
    expect(await probe(page, 'renderBackend')).toBe('gpu');
  } finally {
    await host.stop();
  }
});

/** Five slices of the chest CT (frames in z order, rescale as the source's) as one enhanced CT. */
function fiveSliceEnhancedCt(
  uid: string,
  options: EnhancedWriteOptions,
): { file: string; slices: FileSlice[] } {
  const slices = sortedSlices(CT_DIR).slice(18, 23);
  const rescale: FrameRescale[] = slices.map(() => ({ slope: '1', intercept: '-1024' }));
  return { file: enhancedCtOf(slices, uid, { rescale, ...options }), slices };
}

/** A soft-tissue voxel of the middle slice (k = 2), in a patch flat to within `tolerance` HU. */
function softTissueVoxel(slices: readonly FileSlice[], tolerance: number): [number, number, number] {
  return flatPixel(slices[2]!.values, slices[2]!.columns, -60, 140, { radius: 1, tolerance });
}

/**
 * Opens the only series (five frames) in MPR with every view through voxel (column, row, 2), whose
 * value is checked; its patient-space centre comes back.
 */
async function openMprThrough(page: Page, column: number, row: number, value: number): Promise<Point3> {
  await openOnlySeries(page);
  await expect(page.getByTestId('slice-indicator')).toHaveText('1/5', { timeout: 60_000 });
  await page.getByTestId('mpr-toggle').click();
  const info = await waitForVolume(page);
  expect(await probe(page, 'renderBackend')).toBe('gpu');
  expect(info.dimensions).toEqual([512, 512, 5]);
  expect(await probe<number>(page, 'mprVoxelValue', column, row, 2)).toBe(value);
  const world = await probe<Point3>(page, 'mprVoxelWorld', column, row, 2);
  await probe(page, 'mprSetCrosshairCenter', world);
  await nextFrames(page);
  return world;
}

/**
 * Polls the grey drawn at a patient-space point in the large and the sagittal MPR views until it is
 * within `within` grey levels of the expected one. On SwiftShader the volume views composite the
 * slice over black and draw a few per cent darker than their transfer function gives (234 came out
 * 227 and 228); on an NVIDIA GPU they draw it exactly. So the drawn grey may lie anywhere from
 * 96.5% of the expected one to the expected one.
 */
async function expectMprGrey(
  page: Page,
  world: Point3,
  expected: number,
  within: number,
  what: string,
): Promise<void> {
  for (const slot of ['large', 'sagittal']) {
    const offBy = async (): Promise<number> => {
      const drawn = await probe<number>(page, 'mprDisplayedGrey', slot, world);
      return Math.max(0, expected * 0.965 - drawn, drawn - expected);
    };
    await expect.poll(offBy, `${slot}: ${what}`).toBeLessThan(within);
  }
}

test('MPR shows the volume through its VOI LUT Sequence until the window changes; invert, the file preset and reset keep to it', async ({
  page,
}) => {
  // Flat below -160 HU and above 240 HU, squared between: a linear window over the same range
  // (400/40) would draw a straight ramp there, so only the LUT's curve gives these greys.
  const first = -1024;
  const data = Array.from({ length: 4096 }, (_, k) => {
    const t = Math.min(1, Math.max(0, (k + first + 160) / 400));
    return Math.round(65535 * t * t);
  });
  const lut: FrameVoiLut = { first, data, explanation: 'SOFT SQUARED', dataVr: 'OW', descriptorVr: 'SS' };
  const { file, slices } = fiveSliceEnhancedCt('1.2.826.0.1.3680043.10.1392.35', {
    voiLut: Array.from({ length: 5 }, () => lut),
  });
  const tolerance = 4;
  const [column, row, value] = softTissueVoxel(slices, tolerance);
  const throughLut = (hu: number): number => (255 * lookUpReference(lut, hu)) / 65535;
  // The LUT's grey is well clear of that linear window's.
  expect(linearGrey(value, 400, 40) - throughLut(value)).toBeGreaterThan(25);

  const host = await hostWithFiles(page, [file]);
  try {
    const world = await openMprThrough(page, column, row, value);
    const slots = ['large', 'axial', 'sagittal', 'coronal'] as const;
    const readouts = (): Promise<string[]> =>
      Promise.all(slots.map((slot) => page.getByTestId(`mpr-wl-${slot}`).innerText()));
    // Neighbours within the tolerance give at most this spread of greys through the curve.
    const spread = Math.abs(throughLut(value + tolerance) - throughLut(value - tolerance));
    const expectGrey = (expected: number, what: string): Promise<void> =>
      expectMprGrey(page, world, expected, spread + 2, what);

    await expect.poll(readouts).toEqual(slots.map(() => 'VOI LUT SOFT SQUARED'));
    await expectGrey(throughLut(value), 'through the LUT');
    await page.mouse.move(0, 0);
    await page.screenshot({ path: 'test-results/shots/mpr-voi-lut.png' });

    // Inverted, the LUT stays and turns over.
    await page.getByTestId('mpr-viewport-large').hover();
    await page.keyboard.press('i');
    await expectGrey(255 - throughLut(value), 'through the LUT, inverted');
    await expect.poll(readouts).toEqual(slots.map(() => 'VOI LUT SOFT SQUARED'));
    await page.keyboard.press('i');

    // A preset (mediastinum, key 5) replaces the LUT with its linear window in every view.
    await page.keyboard.press('5');
    await expect.poll(readouts).toEqual(slots.map(() => 'W: 350 L: 50'));
    await expectGrey(linearGrey(value, 350, 50), 'mediastinum window');
    // The file's display (key 9) is its VOI LUT.
    await page.keyboard.press('9');
    await expect.poll(readouts).toEqual(slots.map(() => 'VOI LUT SOFT SQUARED'));
    await expectGrey(throughLut(value), 'through the LUT again');

    // A window/level drag (right button) starts from the LUT's ramp (-160..240 HU, 400/40) and
    // leaves it in every view.
    const box = (await page.getByTestId('mpr-viewport-large').boundingBox())!;
    const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
    await page.mouse.move(x, y);
    await page.mouse.down({ button: 'right' });
    await page.mouse.move(x + 15, y + 10, { steps: 3 });
    await page.mouse.up({ button: 'right' });
    await expect.poll(async () => new Set(await readouts()).size).toBe(1);
    const [readout] = await readouts();
    const [, width, center] = /^W: (\d+) L: (-?\d+)$/.exec(readout!)!.map(Number);
    expect(Math.abs(width! - 400) + Math.abs(center! - 40)).toBeGreaterThan(0);
    expect(Math.abs(width! - 400)).toBeLessThan(200);
    expect(Math.abs(center! - 40)).toBeLessThan(200);
    // Rounded in the readout: a grey level or two.
    await expectMprGrey(page, world, linearGrey(value, width!, center!), spread + 3, 'dragged window');

    // Reset: the file's display again, not inverted.
    await page.keyboard.press('i');
    await page.keyboard.press('Escape');
    await expect.poll(readouts).toEqual(slots.map(() => 'VOI LUT SOFT SQUARED'));
    // Reset centres the crosshairs: back through the voxel.
    await probe(page, 'mprSetCrosshairCenter', world);
    await expectGrey(throughLut(value), 'through the LUT after reset');
  } finally {
    await host.stop();
  }
});

test('a MONOCHROME1 volume opens inverted in MPR, lowest values white; invert and reset', async ({
  page,
}) => {
  const { file, slices } = fiveSliceEnhancedCt('1.2.826.0.1.3680043.10.1392.36', {
    photometric: 'MONOCHROME1',
  });
  const tolerance = 4;
  const [column, row, value] = softTissueVoxel(slices, tolerance);
  // The file's window (350/40, the source slices'), and the greys its neighbours spread over.
  const grey = linearGrey(value, 350, 40);
  expect(Math.abs(grey - 127.5), 'a grey that inverting moves').toBeGreaterThan(20);
  const within = (255 * 2 * tolerance) / 350 + 2;
  const host = await hostWithFiles(page, [file]);
  try {
    const world = await openMprThrough(page, column, row, value);
    await expect(page.getByTestId('mpr-wl-large')).toHaveText('W: 350 L: 40');
    await expectMprGrey(page, world, 255 - grey, within, 'MONOCHROME1, inverted as it opens');
    await page.getByTestId('mpr-viewport-large').hover();
    await page.keyboard.press('i');
    await expectMprGrey(page, world, grey, within, 'inverted by the user: as MONOCHROME2');
    await page.keyboard.press('Escape');
    await probe(page, 'mprSetCrosshairCenter', world);
    await expectMprGrey(page, world, 255 - grey, within, 'reset: as it opened');
    await page.mouse.move(0, 0);
    await page.screenshot({ path: 'test-results/shots/mpr-monochrome1.png' });
  } finally {
    await host.stop();
  }
});
