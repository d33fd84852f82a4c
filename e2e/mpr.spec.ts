/**
 * MPR on real series: the T1 MPRAGE (176 sagittal 1 mm slices, uncompressed, so reference values
 * come straight from the files) imported through a real drop, shown as one Cornerstone volume in
 * the real renderer (Chromium, WebGL), checked against the files' own geometry and pixels.
 */
import { readdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { hasSharedData, sharedPath } from '../test-support/shared-data';
import { parseFile, referenceModalityValues } from '../test-support/dicom-reference';
import { hostWithFiles, openOnlySeries, probe } from './viewer-page';
import type { BrowserHost } from '../test-support/browser-host';

test.describe.configure({ mode: 'serial' });
test.skip(!hasSharedData, 'the shared DICOM data (../shared) is absent');

type Point3 = [number, number, number];
type Slot = 'large' | 'axial' | 'sagittal' | 'coronal';
interface VolumeInfo {
  dimensions: Point3;
  spacing: Point3;
  origin: Point3;
  direction: number[];
  dataType: string;
  imageIds: string[];
  loaded: boolean;
}

const T1_DIR = 'dicom/mr_series/trio_b17_brain_study/t1_MPRAGEcr_noGRAPPA_19';
const t1Files = (): string[] => readdirSync(sharedPath(T1_DIR)).map((name) => sharedPath(T1_DIR, name));

/** A file's geometry and values, read here with dicom-parser (independently of Cornerstone). */
function fileSlice(path: string) {
  const dataSet = parseFile(path);
  const numbers = (tag: string): number[] => (dataSet.string(tag) ?? '').split('\\').map(Number);
  return {
    sopInstanceUid: dataSet.string('x00080018') ?? '',
    position: numbers('x00200032') as Point3,
    orientation: numbers('x00200037'),
    pixelSpacing: numbers('x00280030'),
    rows: dataSet.uint16('x00280010') ?? 0,
    columns: dataSet.uint16('x00280011') ?? 0,
    values: referenceModalityValues(path),
  };
}
type FileSlice = ReturnType<typeof fileSlice>;

const dot = (a: readonly number[], b: readonly number[]): number =>
  a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;
const cross = (a: readonly number[], b: readonly number[]): Point3 => [
  a[1]! * b[2]! - a[2]! * b[1]!,
  a[2]! * b[0]! - a[0]! * b[2]!,
  a[0]! * b[1]! - a[1]! * b[0]!,
];

/** The files sorted along their normal, as a volume stores them (k = 0 first). */
function sortedSlices(): FileSlice[] {
  const slices = t1Files().map(fileSlice);
  const normal = cross(slices[0]!.orientation.slice(0, 3), slices[0]!.orientation.slice(3, 6));
  return slices.sort((a, b) => dot(a.position, normal) - dot(b.position, normal));
}

async function waitForVolume(page: Page): Promise<VolumeInfo> {
  await expect
    .poll(async () => (await probe<VolumeInfo | null>(page, 'mprVolumeInfo'))?.loaded ?? false, {
      timeout: 120_000,
    })
    .toBe(true);
  return (await probe<VolumeInfo | null>(page, 'mprVolumeInfo'))!;
}

/** The modality value on screen at a point of a view, read back through a 255-wide window around a guess. */
async function displayedValue(page: Page, slot: Slot, world: Point3, around: number): Promise<number> {
  const lower = around - 127.5;
  await probe(page, 'mprSetVoiRange', lower, lower + 255);
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  const grey = await probe<number>(page, 'mprDisplayedGrey', slot, world);
  expect(grey, 'the value is inside the probing window').toBeGreaterThan(0);
  expect(grey).toBeLessThan(255);
  return lower + grey;
}

let host: BrowserHost | undefined;
let slices: FileSlice[] = [];

test.beforeAll(() => {
  slices = sortedSlices();
});
test.afterAll(async () => {
  await host?.stop();
});

test('the T1 MPRAGE opens in MPR with the series geometry and the files’ voxel values', async ({ page }) => {
  host = await hostWithFiles(page, t1Files());
  await openOnlySeries(page);
  await expect(page.getByTestId('slice-indicator')).toHaveText('1/176', { timeout: 60_000 });
  expect(await probe(page, 'renderBackend')).toBe('gpu');
  await page.getByTestId('mpr-toggle').click();
  await expect(page.getByTestId('mpr')).toBeVisible();
  const info = await waitForVolume(page);
  expect(await probe(page, 'renderBackend')).toBe('gpu');

  // Geometry: the series' own, from the files.
  const first = slices[0]!;
  const spacingAlong = dot(
    [0, 1, 2].map((i) => slices[1]!.position[i]! - first.position[i]!),
    cross(first.orientation.slice(0, 3), first.orientation.slice(3, 6)),
  );
  expect(info.dimensions).toEqual([first.columns, first.rows, slices.length]);
  expect(info.spacing[0]).toBeCloseTo(first.pixelSpacing[1]!, 4);
  expect(info.spacing[1]).toBeCloseTo(first.pixelSpacing[0]!, 4);
  expect(info.spacing[2]).toBeCloseTo(Math.abs(spacingAlong), 3);
  for (let i = 0; i < 3; i++) expect(info.origin[i]).toBeCloseTo(first.position[i]!, 3);

  // Each view looks along its patient axis (LPS: axial along z, sagittal along x, coronal along y).
  const normals = await probe<Record<Slot, Point3>>(page, 'mprViewPlaneNormals');
  const axisOf = (n: Point3): number => n.map(Math.abs).indexOf(Math.max(...n.map(Math.abs)));
  expect(axisOf(normals.axial)).toBe(2);
  expect(axisOf(normals.sagittal)).toBe(0);
  expect(axisOf(normals.coronal)).toBe(1);
  for (const slot of ['axial', 'sagittal', 'coronal'] as const)
    expect(Math.max(...normals[slot].map(Math.abs))).toBeCloseTo(1, 6);
  expect(normals.large).toEqual(normals.axial);

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

