/** Helpers for the MPR end-to-end tests: the files' own geometry and values, opening MPR, waiting for it. */
import { readdirSync } from 'node:fs';
import { expect, type Page } from '@playwright/test';
import { parseFile, referenceModalityValues } from '../test-support/dicom-reference';
import { sharedPath } from '../test-support/shared-data';
import { openOnlySeries, probe } from './viewer-page';

export type Point3 = [number, number, number];
export type Plane = 'axial' | 'sagittal' | 'coronal';
export type Slot = 'large' | Plane;
export interface VolumeInfo {
  dimensions: Point3;
  spacing: Point3;
  origin: Point3;
  direction: number[];
  dataType: string;
  norm16Textures: boolean;
  imageIds: string[];
  loaded: boolean;
}

/** 29 contiguous axial 8 mm CT slices, uncompressed: reference values straight from the files. */
export const CT_DIR = 'dicom/ct_series/lung_pet_ct_dx_A0002_chest_8mm';
export const filesIn = (dir: string): string[] =>
  readdirSync(sharedPath(dir)).map((name) => sharedPath(dir, name));

const numbersIn = (dataSet: ReturnType<typeof parseFile>, tag: string): number[] =>
  (dataSet.string(tag) ?? '').split('\\').map(Number);

/** A file's geometry and values, read here with dicom-parser (independently of Cornerstone). */
export function fileSlice(path: string) {
  const dataSet = parseFile(path);
  const numbers = (tag: string): number[] => numbersIn(dataSet, tag);
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
export type FileSlice = ReturnType<typeof fileSlice>;

export const dot = (a: readonly number[], b: readonly number[]): number =>
  a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;
export const cross = (a: readonly number[], b: readonly number[]): Point3 => [
  a[1]! * b[2]! - a[2]! * b[1]!,
  a[2]! * b[0]! - a[0]! * b[2]!,
  a[0]! * b[1]! - a[1]! * b[0]!,
];

/** How far a slice lies along its own normal. */
const alongNormal = (position: readonly number[], orientation: readonly number[]): number =>
  dot(position, cross(orientation.slice(0, 3), orientation.slice(3, 6)));

/** Items in the order a volume stores their slices (k = 0 first), each placed once. */
function inVolumeOrder<T>(items: readonly T[], along: (item: T) => number): T[] {
  const placed = items.map((item) => ({ item, at: along(item) }));
  return placed.sort((a, b) => a.at - b.at).map(({ item }) => item);
}

/** A folder's files in volume order: their paths, from the headers alone (no pixels read). */
export const pathsAlongNormal = (dir: string): string[] =>
  inVolumeOrder(filesIn(dir), (path) => {
    const dataSet = parseFile(path);
    return alongNormal(numbersIn(dataSet, 'x00200032'), numbersIn(dataSet, 'x00200037'));
  });

/** A folder's files' geometry and values, in volume order. */
export const sortedSlices = (dir: string): FileSlice[] =>
  inVolumeOrder(filesIn(dir).map(fileSlice), (slice) => alongNormal(slice.position, slice.orientation));

export async function waitForVolume(page: Page): Promise<VolumeInfo> {
  await expect
    .poll(async () => (await probe<VolumeInfo | null>(page, 'mprVolumeInfo'))?.loaded ?? false, {
      timeout: 120_000,
    })
    .toBe(true);
  return (await probe<VolumeInfo | null>(page, 'mprVolumeInfo'))!;
}

/**
 * Before the app loads: counts, per slice (z offset), the single-slice uploads into 3D textures
 * (WebGL2's texSubImage3D with a depth of 1), in the page's `volumeSliceUploads`.
 */
export async function countVolumeSliceUploads(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const uploads: Record<number, number> = {};
    (globalThis as unknown as { volumeSliceUploads: Record<number, number> }).volumeSliceUploads = uploads;
    const upload = WebGL2RenderingContext.prototype.texSubImage3D as (...args: unknown[]) => void;
    WebGL2RenderingContext.prototype.texSubImage3D = function (
      this: WebGL2RenderingContext,
      ...args: unknown[]
    ) {
      const [zOffset, depth] = [args[4], args[7]];
      if (depth === 1 && typeof zOffset === 'number') uploads[zOffset] = (uploads[zOffset] ?? 0) + 1;
      upload.apply(this, args);
    } as typeof WebGL2RenderingContext.prototype.texSubImage3D;
  });
}

export interface WebglContextCounts {
  made: number;
  lost: number;
}

/** Before the app loads: counts the WebGL contexts the page makes and those it loses, in `webglContexts`. */
export async function countWebglContexts(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const counts: WebglContextCounts = { made: 0, lost: 0 };
    (globalThis as unknown as { webglContexts: WebglContextCounts }).webglContexts = counts;
    const getContext = HTMLCanvasElement.prototype.getContext as (
      this: HTMLCanvasElement,
      ...args: unknown[]
    ) => RenderingContext | null;
    const counted = new WeakSet<HTMLCanvasElement>();
    HTMLCanvasElement.prototype.getContext = function (this: HTMLCanvasElement, ...args: unknown[]) {
      const context = getContext.apply(this, args);
      if (context && (args[0] === 'webgl2' || args[0] === 'webgl') && !counted.has(this)) {
        counted.add(this);
        counts.made++;
        this.addEventListener('webglcontextlost', () => counts.lost++);
      }
      return context;
    } as typeof HTMLCanvasElement.prototype.getContext;
  });
}

export async function webglContexts(page: Page): Promise<WebglContextCounts> {
  return page.evaluate(() => ({
    ...(globalThis as unknown as { webglContexts: WebglContextCounts }).webglContexts,
  }));
}

/** The slices not uploaded exactly once so far, as 'slice k: n uploads' (empty when each was once). */
export async function slicesNotUploadedOnce(page: Page, slices: number): Promise<string[]> {
  const counts = await page.evaluate(
    () => (globalThis as unknown as { volumeSliceUploads: Record<number, number> }).volumeSliceUploads,
  );
  const all = Array.from({ length: slices }, (_, k) => counts[k] ?? 0);
  return all.flatMap((count, k) => (count === 1 ? [] : [`slice ${k}: ${count} uploads`]));
}

export async function nextFrames(page: Page): Promise<void> {
  await page.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
  );
}

/** Opens the only series, checks the GPU backend, switches to MPR and waits for the whole volume. */
export async function openMpr(page: Page, sliceCount: number): Promise<VolumeInfo> {
  await openOnlySeries(page);
  await expect(page.getByTestId('slice-indicator')).toHaveText(`1/${sliceCount}`, { timeout: 60_000 });
  expect(await probe(page, 'renderBackend')).toBe('gpu');
  await page.getByTestId('mpr-toggle').click();
  await expect(page.getByTestId('mpr')).toBeVisible();
  const info = await waitForVolume(page);
  expect(await probe(page, 'renderBackend')).toBe('gpu');
  return info;
}

/**
 * The MPR toggle is disabled for the open series and, clicked all the same, says why and opens
 * nothing (Playwright waits for aria-disabled elements to be enabled; the user can click it).
 */
export async function expectMprRefused(page: Page, reason: string | RegExp): Promise<void> {
  await expect(page.getByTestId('mpr-toggle')).toHaveAttribute('aria-disabled', 'true');
  await page.getByTestId('mpr-toggle').click({ force: true });
  await expect(page.getByTestId('mpr-unavailable')).toHaveText(reason);
  await expect(page.getByTestId('mpr')).toHaveCount(0);
}
