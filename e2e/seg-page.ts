/** Helpers for the segmentation end-to-end tests: canvas colours, mask pixels, the series shown. */
import { readdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import type { BrowserHost } from '../test-support/browser-host';
import { referenceSeg, type ReferenceSeg, type ReferenceSegFrame } from '../test-support/seg-reference';
import { sharedPath } from '../test-support/shared-data';
import { ungatedMeshnetDir } from '../test-support/ungated-meshnet';
import { hostWithFiles, probe } from './viewer-page';

/** dcmqi's 3-slice 38x24 CT and its one-segment (Liver) SEG. */
export const SMALL_SEG_FILES = ['IMG0001.dcm', 'IMG0002.dcm', 'IMG0003.dcm', 'label_seg.dcm'].map((f) =>
  sharedPath('dicom/seg/dcmqi_24x38x3', f),
);

/**
 * A host with the trio study's 64x64x36 field map imported (and any other files), for a quick real
 * segmentation: the field map is no T1, so MeshNet's input gate is lifted for it (test use only).
 */
export function hostWithFieldMap(page: Page, otherFiles: readonly string[] = []): Promise<BrowserHost> {
  const series = 'dicom/mr_series/trio_b17_brain_study/gre_field_mapping_2';
  return hostWithFiles(
    page,
    [...readdirSync(sharedPath(series)).map((name) => sharedPath(series, name)), ...otherFiles],
    ['--models-dir', ungatedMeshnetDir()],
  );
}

/** The small SEG read independently: its frame with a segment, clear pixels inside and outside it. */
export function smallSegReference(): {
  reference: ReferenceSeg;
  frame: ReferenceSegFrame;
  totalSet: number;
  inside: [number, number];
  outside: [number, number];
} {
  const reference = referenceSeg(SMALL_SEG_FILES[3]!);
  const frame = reference.frames.find((f) => f.setBits > 30)!;
  const totalSet = reference.frames.reduce((sum, f) => sum + f.setBits, 0);
  return { reference, frame, totalSet, ...insideAndOutside(frame.mask, reference.columns, reference.rows) };
}

export type Rgb = [number, number, number];

/** The colour a viewport's canvas shows at a page point (CSS pixels). */
export function canvasColourAt(page: Page, viewportSelector: string, [x, y]: [number, number]): Promise<Rgb> {
  return page.evaluate(
    ([selector, px, py]) => {
      const canvas = document.querySelector<HTMLCanvasElement>(`${selector} canvas.cornerstone-canvas`)!;
      const box = canvas.getBoundingClientRect();
      const scale = canvas.width / box.width;
      const d = canvas
        .getContext('2d')!
        .getImageData(Math.floor((px - box.left) * scale), Math.floor((py - box.top) * scale), 1, 1).data;
      return [d[0]!, d[1]!, d[2]!] as Rgb;
    },
    [viewportSelector, x, y] as const,
  );
}

/** The colour on screen at an image pixel of the current image of a grid slot (the active one by default). */
export async function colourAt(page: Page, column: number, row: number, slot?: number): Promise<Rgb> {
  const point = await probe<[number, number]>(page, 'imagePointOnPage', column, row, slot);
  const selector =
    slot === undefined ? '[data-testid=viewport]' : `[data-testid=viewport-slot][data-slot="${slot}"]`;
  return canvasColourAt(page, selector, point);
}

/** The largest channel difference between two colours. */
export const colourDistance = (a: Rgb, b: Rgb): number => Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));

/** A colour drawn at an opacity over a grey pixel. */
export const blended = (grey: Rgb, rgb: Rgb, opacity: number): Rgb =>
  rgb.map((v, i) => grey[i]! * (1 - opacity) + v * opacity) as Rgb;

/** A pixel inside the mask whose neighbours are all inside too, and one far from any mask pixel. */
export function insideAndOutside(
  mask: Uint8Array,
  columns: number,
  rows: number,
): { inside: [number, number]; outside: [number, number] } {
  let inside: [number, number] | null = null;
  let outside: [number, number] | null = null;
  const at = (c: number, r: number): number =>
    c < 0 || r < 0 || c >= columns || r >= rows ? 0 : mask[r * columns + c]!;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      // Set pixels in the 5x5 neighbourhood.
      let set = 0;
      for (let dr = -2; dr <= 2; dr++) for (let dc = -2; dc <= 2; dc++) set += at(c + dc, r + dr);
      if (!inside && set === 25) inside = [c, r];
      if (!outside && set === 0 && c > 2 && r > 2 && c < columns - 3 && r < rows - 3) outside = [c, r];
    }
  }
  if (!inside || !outside) throw new Error('no clear inside and outside pixels');
  return { inside, outside };
}

export async function openImageSeries(page: Page): Promise<void> {
  await page.getByTestId('study-row').first().click();
  await page.locator('[data-testid=series-row][data-kind=image]').first().click();
}

/** SOP Instance UID by imageId, over the library. */
export async function uidsByImageId(page: Page): Promise<Record<string, string>> {
  const byUid = await probe<Record<string, string>>(page, 'libraryImageIds');
  return Object.fromEntries(Object.entries(byUid).map(([uid, imageId]) => [imageId, uid]));
}

/** The SOP Instance UID the active viewport shows now. */
export async function shownUid(page: Page): Promise<string> {
  return (await uidsByImageId(page))[await probe<string>(page, 'currentImageId')]!;
}
