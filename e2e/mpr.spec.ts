/**
 * MPR on real series: the T1 MPRAGE (176 sagittal 1 mm slices, uncompressed, so reference values
 * come straight from the files) imported through a real drop, shown as one Cornerstone volume in
 * the real renderer (Chromium, WebGL), checked against the files' own geometry and pixels.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { hasSharedData, CT_128_SERIES, sharedPath } from '../test-support/shared-data';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sopInstanceUid, writeUndecodable } from '../test-support/dicom-reference';
import {
  decodeFileDirectly,
  hostWithFiles,
  openOnlySeries,
  probe,
  type DecodedPixels,
  type DecodeFailure,
} from './viewer-page';
import type { BrowserHost } from '../test-support/browser-host';
import {
  CT_DIR,
  countVolumeSliceUploads,
  countWebglContexts,
  cross,
  dot,
  expectMprRefused,
  filesIn,
  nextFrames,
  openMpr,
  pathsAlongNormal,
  slicesNotUploadedOnce,
  sortedSlices,
  waitForVolume,
  webglContexts,
  type FileSlice,
  type Plane,
  type Point3,
  type Slot,
  type VolumeInfo,
} from './mpr-page';

test.describe.configure({ mode: 'serial' });
test.skip(!hasSharedData, 'the shared DICOM data (../shared) is absent');

const T1_DIR = 'dicom/mr_series/trio_b17_brain_study/t1_MPRAGEcr_noGRAPPA_19';

/**
 * The modality value on screen at a point of a view, read back through two 255-wide windows below
 * it: grey = gain x (value - lower) in each, which gives the value without assuming the gain (the
 * CT volume here is drawn about 3 % darker than the window alone would make it: see the report).
 */
async function displayedValue(page: Page, slot: Slot, world: Point3, around: number): Promise<number> {
  const greys: number[] = [];
  const lowers = [Math.round(around) - 150, Math.round(around) - 50];
  for (const lower of lowers) {
    await probe(page, 'mprSetVoiRange', lower, lower + 255);
    await nextFrames(page);
    const grey = await probe<number>(page, 'mprDisplayedGrey', slot, world);
    expect(grey, 'the value is inside the probing window').toBeGreaterThan(0);
    expect(grey).toBeLessThan(255);
    greys.push(grey);
  }
  const gain = (greys[0]! - greys[1]!) / (lowers[1]! - lowers[0]!);
  expect(gain, 'grey levels follow the window').toBeGreaterThan(0.9);
  return lowers[0]! + greys[0]! / gain;
}

/**
 * Whether the large view shows exactly `value` at a point: under a window just below the value the
 * pixel is white (value >= it) and under a window just above it black (value <= it), so nothing
 * but the exact value passes, whatever the window's gain.
 */
async function showsExactly(page: Page, plane: Plane, world: Point3, value: number): Promise<boolean> {
  await page.getByTestId('mpr-large-plane').selectOption(plane);
  await expect(page.getByTestId('mpr-overlay-large')).toContainText(plane, { ignoreCase: true });
  await probe(page, 'mprZoomLargeOn', world, 0.1);
  const greys: number[] = [];
  for (const lower of [value - 0.75, value + 0.25]) {
    await probe(page, 'mprSetVoiRange', lower, lower + 0.5);
    await nextFrames(page);
    greys.push(await probe<number>(page, 'mprDisplayedGrey', 'large', world));
  }
  return greys[0]! > 200 && greys[1]! < 55;
}

/**
 * The value on screen in the large view showing a plane, centred on the point at 0.1 mm per screen
 * pixel, so that the screen pixel read lies well inside the voxel probed.
 */
async function valueInLargeView(page: Page, plane: Plane, world: Point3, around: number): Promise<number> {
  await page.getByTestId('mpr-large-plane').selectOption(plane);
  await expect(page.getByTestId('mpr-overlay-large')).toContainText(plane, { ignoreCase: true });
  await probe(page, 'mprZoomLargeOn', world, 0.1);
  return displayedValue(page, 'large', world, around);
}

/** A page of its own for a describe block, with a host on its own library. */
async function openPage(browser: Browser): Promise<Page> {
  return browser.newPage({ viewport: { width: 1440, height: 900 } });
}

test.describe('the T1 MPRAGE (176 oblique sagittal slices)', () => {
  let page: Page;
  let host: BrowserHost;
  let slices: FileSlice[] = [];

  test.beforeAll(async ({ browser }) => {
    slices = sortedSlices(T1_DIR);
    page = await openPage(browser);
    host = await hostWithFiles(page, filesIn(T1_DIR));
  });
  test.afterAll(async () => {
    await page?.close();
    await host?.stop();
  });

  test('opens in MPR with the series geometry and the files’ voxel values', async () => {
    const info = await openMpr(page, 176);
    const first = slices[0]!;
    const normal = cross(first.orientation.slice(0, 3), first.orientation.slice(3, 6));
    const step = dot(
      [0, 1, 2].map((i) => slices[1]!.position[i]! - first.position[i]!),
      normal,
    );
    expect(info.dimensions).toEqual([first.columns, first.rows, slices.length]);
    expect(info.spacing[0]).toBeCloseTo(first.pixelSpacing[1]!, 4);
    expect(info.spacing[1]).toBeCloseTo(first.pixelSpacing[0]!, 4);
    expect(info.spacing[2]).toBeCloseTo(step, 3);
    for (let i = 0; i < 3; i++) expect(info.origin[i]).toBeCloseTo(first.position[i]!, 3);
    expect(info.direction.slice(6, 9).map((v, i) => v - normal[i]!)).toEqual(
      [0, 0, 0].map(() => expect.closeTo(0, 6)),
    );

    // Each view looks along its patient axis (LPS: axial along z, sagittal along x, coronal along y).
    const normals = await probe<Record<Slot, Point3>>(page, 'mprViewPlaneNormals');
    const axisOf = (n: Point3): number => n.map(Math.abs).indexOf(Math.max(...n.map(Math.abs)));
    expect(axisOf(normals.axial)).toBe(2);
    expect(axisOf(normals.sagittal)).toBe(0);
    expect(axisOf(normals.coronal)).toBe(1);
    for (const slot of ['axial', 'sagittal', 'coronal'] as const)
      expect(Math.max(...normals[slot].map(Math.abs))).toBeCloseTo(1, 6);
    expect(normals.large).toEqual(normals.axial);
    await expect(page.getByTestId('mpr-orientation-axial-top')).toHaveText('A');
    await expect(page.getByTestId('mpr-orientation-sagittal-top')).toHaveText('H');
    await expect(page.getByTestId('mpr-orientation-coronal-left')).toHaveText('R');
    await expect(page.getByTestId('mpr-wl-sagittal')).toHaveText(/^W: \d+ L: \d+$/);

    // Voxels: the volume holds each file's values at its sorted place.
    const byUid = await probe<Record<string, string>>(page, 'libraryImageIds');
    const uidOf = Object.fromEntries(Object.entries(byUid).map(([uid, imageId]) => [imageId, uid]));
    expect(info.imageIds.map((imageId) => uidOf[imageId])).toEqual(slices.map((s) => s.sopInstanceUid));
    for (const [i, j, k] of [
      [128, 100, 88],
      [90, 140, 40],
      [160, 60, 130],
    ] as const) {
      const expected = slices[k]!.values[j * first.columns + i]!;
      expect(await probe<number>(page, 'mprVoxelValue', i, j, k)).toBe(expected);
    }
  });

  test('a voxel on screen in the reformatted axial and coronal views equals its sagittal file', async () => {
    await probe(page, 'mprSampleNearest');
    const columns = slices[0]!.columns;
    for (const [i, j, k] of [
      [128, 100, 88],
      [100, 150, 60],
    ] as const) {
      const world = await probe<Point3>(page, 'mprVoxelWorld', i, j, k);
      await probe(page, 'mprSetCrosshairCenter', world);
      const expected = slices[k]!.values[j * columns + i]!;
      for (const plane of ['axial', 'coronal', 'sagittal'] as const)
        expect(
          Math.abs((await valueInLargeView(page, plane, world, expected)) - expected),
          plane,
        ).toBeLessThanOrEqual(2);
    }
  });

  test('the AI labelmap is shown in the MPR views on the volume’s grid', async () => {
    await page.getByTestId('mpr-toggle').click();
    await expect(page.getByTestId('viewport')).toBeVisible();
    await page.getByTestId('analyze-button').click();
    await expect(page.getByTestId('legend-item')).toHaveCount(2, { timeout: 180_000 });
    await expect.poll(() => probe(page, 'labelmapShown')).toBe(true);
    const stackCount = await probe<number>(page, 'labelmapNonZeroCount');
    expect(stackCount).toBeGreaterThan(500_000);
    await page.getByTestId('mpr-toggle').click();
    await waitForVolume(page);
    await expect.poll(() => probe(page, 'mprLabelmapNonZeroCount'), { timeout: 60_000 }).toBe(stackCount);
    await expect(page.getByTestId('investigational-notice')).toBeVisible();
    await page.mouse.move(0, 0);
    await page.screenshot({ path: 'test-results/shots/mpr-labelmap.png' });
  });
});

test.describe('a chest CT (29 axial 8 mm slices)', () => {
  let page: Page;
  let host: BrowserHost;
  let slices: FileSlice[] = [];
  let info: VolumeInfo;

  test.beforeAll(async ({ browser }) => {
    slices = sortedSlices(CT_DIR);
    page = await openPage(browser);
    await countWebglContexts(page);
    host = await hostWithFiles(page, filesIn(CT_DIR));
  });
  test.afterAll(async () => {
    await page?.close();
    await host?.stop();
  });
  const value = (i: number, j: number, k: number): number => slices[k]!.values[j * slices[k]!.columns + i]!;

  test('the sagittal view shows the axial files’ values; dragging the crosshair centre moves the other views', async () => {
    info = await openMpr(page, 29);
    expect(info.dimensions).toEqual([512, 512, 29]);
    expect(info.spacing[2]).toBeCloseTo(8, 4);
    await probe(page, 'mprSampleNearest');

    const [i, j, k] = [200, 300, 14];
    const world = await probe<Point3>(page, 'mprVoxelWorld', i, j, k);
    await probe(page, 'mprSetCrosshairCenter', world);
    await nextFrames(page);
    const focal = await probe<Record<Slot, Point3>>(page, 'mprFocalPoints');
    expect(focal.axial[2]).toBeCloseTo(world[2], 3);
    expect(focal.sagittal[0]).toBeCloseTo(world[0], 3);
    expect(focal.coronal[1]).toBeCloseTo(world[1], 3);
    expect(
      Math.abs((await valueInLargeView(page, 'sagittal', world, value(i, j, k))) - value(i, j, k)),
    ).toBeLessThanOrEqual(2);
    expect(
      Math.abs((await valueInLargeView(page, 'coronal', world, value(i, j, k))) - value(i, j, k)),
    ).toBeLessThanOrEqual(2);

    // Dragging the crosshair centre in the (large) axial view with the mouse: the sagittal and
    // coronal views go to the new point's x and y (within a screen pixel), the axial slice stays.
    await page.getByTestId('mpr-large-plane').selectOption('axial');
    const target = await probe<Point3>(page, 'mprVoxelWorld', 300, 220, k);
    const [fromX, fromY] = await probe<[number, number]>(page, 'mprPointOnPage', 'large', world);
    const [toX, toY] = await probe<[number, number]>(page, 'mprPointOnPage', 'large', target);
    const mmPerScreenPixel =
      Math.hypot(target[0] - world[0], target[1] - world[1]) / Math.hypot(toX - fromX, toY - fromY);
    await page.mouse.move(fromX, fromY);
    await page.mouse.down();
    await page.mouse.move(toX, toY, { steps: 10 });
    await page.mouse.up();
    await nextFrames(page);
    const moved = await probe<Record<Slot, Point3>>(page, 'mprFocalPoints');
    expect(Math.abs(moved.sagittal[0] - target[0])).toBeLessThan(mmPerScreenPixel);
    expect(Math.abs(moved.coronal[1] - target[1])).toBeLessThan(mmPerScreenPixel);
    expect(moved.axial[2]).toBeCloseTo(world[2], 3);
    expect(Math.abs(moved.sagittal[0] - focal.sagittal[0])).toBeGreaterThan(50);
  });

  test('MIP over a slab thicker than a slice shows the maximum over the slab’s slices', async () => {
    // A point where the slices above or below are brighter than the slice itself.
    const k = 14;
    let best: [number, number] | null = null;
    for (let j = 150; j < 400 && !best; j += 7)
      for (let i = 150; i < 400 && !best; i += 7) {
        const plain = value(i, j, k);
        const max = Math.max(value(i, j, k - 1), plain, value(i, j, k + 1));
        if (plain > -200 && plain < 200 && max - plain > 60 && max < 300) best = [i, j];
      }
    expect(best, 'a point with brighter neighbours exists').not.toBeNull();
    const [i, j] = best!;
    const world = await probe<Point3>(page, 'mprVoxelWorld', i, j, k);
    await probe(page, 'mprSetCrosshairCenter', world);
    const plain = value(i, j, k);
    const slabMax = Math.max(value(i, j, k - 1), plain, value(i, j, k + 1));
    expect(Math.abs((await valueInLargeView(page, 'axial', world, plain)) - plain)).toBeLessThanOrEqual(2);

    // 20 mm: the slices 8 mm either side are in, those 16 mm away are out.
    await page.getByTestId('mpr-slab').fill('20');
    await expect(page.getByTestId('mpr-overlay-large')).toContainText('MIP 20 mm');
    const mip = await displayedValue(page, 'large', world, slabMax);
    expect(mip).toBeGreaterThanOrEqual(plain);
    expect(Math.abs(mip - slabMax)).toBeLessThanOrEqual(2);
    await page.getByTestId('mpr-slab').fill('0');
  });

  test('MPR closed and opened again keeps the page’s WebGL contexts: none made, none lost; the views still show the files’ values', async () => {
    // Chromium keeps at most 16 live WebGL contexts a page and loses the least recently used past
    // that; engines made anew at each toggle took 14 a time and lost the stack view's.
    // The first MPR opened makes its engine's context; every later one must reuse it.
    if (!(await page.getByTestId('mpr').isVisible())) await openMpr(page, 29);
    const before = await webglContexts(page);
    for (let round = 0; round < 3; round++) {
      await page.getByTestId('mpr-toggle').click();
      await expect(page.getByTestId('mpr')).toBeHidden();
      await expect(page.getByTestId('slice-indicator')).toHaveText(/\/29$/);
      await page.getByTestId('mpr-toggle').click();
      await expect(page.getByTestId('mpr')).toBeVisible();
      await waitForVolume(page);
    }
    expect(await webglContexts(page)).toEqual(before);
    expect(await probe(page, 'renderBackend')).toBe('gpu');
    const [i, j, k] = [200, 300, 14];
    const world = await probe<Point3>(page, 'mprVoxelWorld', i, j, k);
    await probe(page, 'mprSetCrosshairCenter', world);
    expect(
      Math.abs((await valueInLargeView(page, 'sagittal', world, value(i, j, k))) - value(i, j, k)),
    ).toBeLessThanOrEqual(2);
  });
});

test('a slice that cannot be decoded stops the volume, says which, and leaves no partial volume on screen nor a tool to act on it', async ({
  page,
}) => {
  // Twelve neighbouring slices of the JPEG-lossless CT, the fourth along the normal damaged: not one
  // of the three (first, middle, last) whose headers the volume is made from, so the volume is
  // made and the failure comes as its slices stream in.
  const byNormal = pathsAlongNormal(CT_128_SERIES).slice(40, 52);
  const dir = mkdtempSync(join(tmpdir(), 'lumen-mpr-damaged-'));
  const files = byNormal.map((path, k) => {
    const copy = join(dir, `slice-${k}.dcm`);
    if (k === 3) writeUndecodable(path, copy);
    else copyFileSync(path, copy);
    return copy;
  });
  const host = await hostWithFiles(page, files);
  try {
    await openOnlySeries(page);
    await expect(page.getByTestId('slice-indicator')).toHaveText('1/12', { timeout: 60_000 });
    expect(await probe(page, 'renderBackend')).toBe('gpu');
    await page.getByTestId('mpr-toggle').click();
    await expect(page.getByTestId('mpr-error')).toContainText(
      /^The volume could not be built: slice 4 of 12 could not be decoded: ./,
      { timeout: 60_000 },
    );
    await expect(page.getByText('Building the volume…')).toHaveCount(0);
    // The volume with a slice missing is gone: no view shows it, the views are empty.
    expect(await probe(page, 'mprVolumeInfo')).toBeNull();
    for (const slot of ['large', 'axial', 'sagittal', 'coronal'])
      await expect(page.getByTestId(`mpr-overlay-${slot}`)).toHaveCount(0);
    const brightest = await page.evaluate(() =>
      ['large', 'axial', 'sagittal', 'coronal'].map((slot) => {
        const canvas = document.querySelector<HTMLCanvasElement>(
          `[data-testid="mpr-viewport-${slot}"] canvas`,
        )!;
        const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
        let max = 0;
        for (let i = 0; i < data.length; i += 4) max = Math.max(max, data[i]!, data[i + 1]!, data[i + 2]!);
        return max;
      }),
    );
    expect(brightest).toEqual([0, 0, 0, 0]);
    // Nor do the empty views draw the crosshairs' lines under the message.
    await expect(page.getByTestId('mpr-viewport-large')).toBeHidden();
    // No control offers to act on the volume that is not there; the help still opens.
    for (const id of ['mpr-wl-preset', 'mpr-tool-menu', 'mpr-slab', 'mpr-large-plane', 'mpr-cine-toggle'])
      await expect(page.getByTestId(id)).toBeDisabled();
    for (const name of ['Invert', 'Rotate', 'Flip H', 'Flip V', 'Fit', '1:1', 'Reset'])
      await expect(page.getByRole('button', { name, exact: true })).toBeDisabled();
    await page.keyboard.press('?');
    await expect(page.getByTestId('shortcut-help')).toBeVisible();
    await page.keyboard.press('?');
    await expect(page.getByTestId('shortcut-help')).toHaveCount(0);
    expect(await probe(page, 'renderBackend')).toBe('gpu');
    await page.screenshot({ path: 'test-results/shots/mpr-decode-error.png' });
    // Nor is there an image to save, and the app says so rather than doing nothing.
    await page.getByTestId('save-png').click();
    await page.getByTestId('save-png-plain').click();
    await expect(page.getByTestId('error-banner')).toContainText(
      'Nothing to save: the active view shows no image.',
    );
  } finally {
    await host.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a one-image series offers no MPR and says why', async ({ page }) => {
  const host = await hostWithFiles(page, [sharedPath('dicom/chest_xray/gdcm_CR-MONO1-10-chest.dcm')]);
  try {
    await openOnlySeries(page);
    await expect(page.getByTestId('slice-indicator')).toHaveText('1/1', { timeout: 60_000 });
    expect(await probe(page, 'renderBackend')).toBe('gpu');
    await expectMprRefused(page, 'MPR needs at least 3 slices; this series has 1.');
  } finally {
    await host.stop();
  }
});

test('the 128-slice JPEG-lossless chest CT in MPR: exact HU in the volume and on screen; screenshot with crosshairs', async ({
  page,
}) => {
  const files = filesIn(CT_128_SERIES);
  await countVolumeSliceUploads(page);
  const host = await hostWithFiles(page, files);
  try {
    const info = await openMpr(page, 128);
    expect(info.dimensions).toEqual([512, 512, 128]);
    // Each slice went into the volume's texture once, not again at the views' second frame.
    await nextFrames(page);
    expect(await slicesNotUploadedOnce(page, 128)).toEqual([]);
    // 16-bit integers go to a norm16 texture as they are where WebGL has it; elsewhere the slices
    // are decoded straight to floats, which the texture takes without a conversion. Exact either
    // way: the HU below are compared exactly.
    expect(info.dataType).toBe(info.norm16Textures ? 'Int16Array' : 'Float32Array');
    await page.getByTestId('mpr-wl-preset').selectOption('lung');
    await expect(page.getByTestId('mpr-wl-sagittal')).toHaveText('W: 1500 L: -600');
    await page.mouse.move(0, 0);
    await nextFrames(page);
    await expect(page.getByTestId('mpr')).toHaveScreenshot('mpr-ct-crosshairs.png', {
      maxDiffPixelRatio: 0.01,
    });

    // Reference HU: the file of each volume slice probed, decoded on its own (outside the volume).
    const byUid = await probe<Record<string, string>>(page, 'libraryImageIds');
    const uidOf = Object.fromEntries(Object.entries(byUid).map(([uid, imageId]) => [imageId, uid]));
    const pathOf = Object.fromEntries(files.map((path) => [sopInstanceUid(path), path]));
    const voxels: Array<[number, number, number]> = [
      [0, 0, 0],
      [180, 250, 0],
      [256, 256, 64],
      [300, 180, 64],
      [200, 330, 127],
      [511, 511, 127],
    ];
    const reference = new Map<number, number[]>();
    for (const k of [0, 64, 127]) {
      const decoded = await decodeFileDirectly(page, pathOf[uidOf[info.imageIds[k]!]!]!);
      if ('error' in decoded) throw new Error(decoded.error);
      reference.set(k, decoded.values);
      // The slice's brightest voxel too (bone: the top of the value range).
      const brightest = decoded.values.reduce((best, value, at, all) => (value > all[best]! ? at : best), 0);
      voxels.push([brightest % 512, Math.floor(brightest / 512), k]);
    }
    // A preset and the frames it drew sent no slice again. (Nearest sampling, next, changes the
    // texture's filters, and Cornerstone then sends every slice again.)
    expect(await slicesNotUploadedOnce(page, 128)).toEqual([]);
    await probe(page, 'mprSampleNearest');
    for (const [i, j, k] of voxels) {
      const hu = reference.get(k)![j * 512 + i]!;
      expect(await probe<number>(page, 'mprVoxelValue', i, j, k), `voxel ${i},${j},${k}`).toBe(hu);
      if (i === 0 || i === 511) continue; // the corners: outside the scanner's field of view, not drawn alone
      const world = await probe<Point3>(page, 'mprVoxelWorld', i, j, k);
      await probe(page, 'mprSetCrosshairCenter', world);
      for (const plane of ['axial', 'sagittal'] as const)
        expect(await showsExactly(page, plane, world, hu), `${plane} view at ${i},${j},${k}: ${hu} HU`).toBe(
          true,
        );
    }
    expect(await probe(page, 'renderBackend')).toBe('gpu');

    // The volume let go of the files' compressed frames: a slice decoded again after it left the
    // cache (back in the stack view) has its file fetched again and gives the same values.
    await page.getByTestId('mpr-toggle').click();
    await expect(page.getByTestId('viewport')).toBeVisible();
    await probe(page, 'purgeImageCache');
    const again = await probe<DecodedPixels | DecodeFailure>(page, 'decodedPixels', info.imageIds[64]!);
    if ('error' in again) throw new Error(again.error);
    expect(again.values).toEqual(reference.get(64));
  } finally {
    await host.stop();
  }
});
