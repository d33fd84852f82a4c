/**
 * Segmentations over every view of their series: a DICOM SEG and an AI labelmap in both viewports
 * of a 1x2 layout showing the series, and a SEG in the three MPR planes, with the same per-segment
 * colour, visibility and opacity controls. Real files from ../shared/dicom/, a real browser-mode
 * host, the real inference process, Chromium with WebGL.
 */
import { expect, test, type Page } from '@playwright/test';
import { hasSharedData } from '../test-support/shared-data';
import {
  blended,
  canvasColourAt,
  colourAt,
  colourDistance,
  openImageSeries,
  SMALL_SEG_FILES,
  smallSegReference,
  uidsByImageId,
  type Rgb,
  hostWithFieldMap,
} from './seg-page';
import { hostWithFiles, probe, seriesRowWith } from './viewer-page';

test.skip(!hasSharedData, 'the shared DICOM data (../shared) is absent');

/** Liver's Recommended Display CIELab Value as sRGB; SEGs are drawn at 60 % opacity. */
const LIVER: Rgb = [221, 130, 101];
const GREEN: Rgb = [0, 255, 0];
const SEG_OPACITY = 0.6;

interface OverlayProbe {
  shown: boolean;
  nonZero: number;
}

const slotSelector = (slot: number): string => `[data-testid=viewport-slot][data-slot="${slot}"]`;

/** The SEG layers a grid slot (or MPR) draws: labelled voxels of each shown one. */
async function segLayers(page: Page, where: number | 'mpr'): Promise<number[]> {
  const overlays =
    where === 'mpr'
      ? await probe<Record<string, OverlayProbe>>(page, 'mprSegmentationOverlays')
      : await probe<Record<string, OverlayProbe>>(page, 'segmentationOverlays', where);
  return Object.entries(overlays)
    .filter(([id, overlay]) => id.startsWith('seg-') && overlay.shown)
    .map(([, overlay]) => overlay.nonZero);
}

/** The AI result overlays a grid slot draws. */
async function resultLayers(page: Page, slot: number): Promise<OverlayProbe[]> {
  return Object.entries(await probe<Record<string, OverlayProbe>>(page, 'segmentationOverlays', slot))
    .filter(([id]) => id.startsWith('result-'))
    .map(([, overlay]) => overlay);
}

/** Where two slots' canvases are clearly coloured (the CT is grey): counts, and pixels coloured in one only. */
async function tintedInBoth(
  page: Page,
): Promise<{ sizes: string[]; tinted: [number, number]; differing: number }> {
  return page.evaluate(
    ([first, second]) => {
      const masks = [first, second].map((selector) => {
        const canvas = document.querySelector<HTMLCanvasElement>(`${selector} canvas.cornerstone-canvas`)!;
        const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        const mask = new Uint8Array(data.length / 4);
        for (let p = 0; p < mask.length; p++) {
          const i = p * 4;
          mask[p] = Math.abs(data[i]! - data[i + 1]!) + Math.abs(data[i + 1]! - data[i + 2]!) > 40 ? 1 : 0;
        }
        return { size: `${canvas.width}x${canvas.height}`, mask };
      });
      const [a, b] = masks as [(typeof masks)[0], (typeof masks)[0]];
      let differing = 0;
      for (let p = 0; p < Math.min(a.mask.length, b.mask.length); p++)
        if (a.mask[p] !== b.mask[p]) differing++;
      const count = (mask: Uint8Array): number => mask.reduce((sum, v) => sum + v, 0);
      return {
        sizes: [a.size, b.size],
        tinted: [count(a.mask), count(b.mask)] as [number, number],
        differing,
      };
    },
    [slotSelector(0), slotSelector(1)] as const,
  );
}

/** A 1x2 layout (no synchronised scrolling) with the study's image series dropped into both viewports. */
async function showInBothSlots(page: Page, slices: number): Promise<void> {
  await page.getByTestId('layout-menu').selectOption('1x2');
  await page.getByTestId('sync-scroll').uncheck();
  await page.getByTestId('study-row').first().click();
  const series = page.locator('[data-testid=series-row][data-kind=image]').first();
  for (const slot of [0, 1]) {
    await series.dragTo(page.locator(slotSelector(slot)));
    await expect
      .poll(
        async () => (await probe<{ imageIds: string[] } | null>(page, 'viewport', slot))?.imageIds.length,
        {
          timeout: 60_000,
        },
      )
      .toBe(slices);
  }
  expect(await probe(page, 'renderBackend')).toBe('gpu');
}

/** Pages each viewport down from its first slice to the one wanted. */
async function toSliceInBoth(page: Page, wanted: (imageId: string) => Promise<boolean>): Promise<void> {
  const shownIn = async (slot: number): Promise<string> =>
    (await probe<{ currentImageId: string }>(page, 'viewport', slot)).currentImageId;
  for (const slot of [0, 1]) {
    await page.locator(slotSelector(slot)).click();
    await expect.poll(() => probe(page, 'activeViewport')).toBe(slot);
    await page.keyboard.press('Home');
    const count = (await probe<{ imageIds: string[] }>(page, 'viewport', slot)).imageIds.length;
    for (let i = 0; i < count && !(await wanted(await shownIn(slot))); i++)
      await page.keyboard.press('PageDown');
    expect(await wanted(await shownIn(slot))).toBe(true);
  }
  await page.mouse.move(0, 0);
}

test('a SEG over its CT in both viewports of a 1x2 layout: the same pixels in both, colour and hiding act on both', async ({
  page,
}) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  const host = await hostWithFiles(page, SMALL_SEG_FILES);
  try {
    const { frame, totalSet, inside, outside } = smallSegReference();

    await showInBothSlots(page, 3);
    // Both viewports on the slice the SEG has its frame on.
    const uidOf = await uidsByImageId(page);
    await toSliceInBoth(page, async (imageId) => uidOf[imageId] === frame.sourceUid);
    const grey = [await colourAt(page, ...inside, 0), await colourAt(page, ...inside, 1)];
    const greyOutside = [await colourAt(page, ...outside, 0), await colourAt(page, ...outside, 1)];
    expect((await tintedInBoth(page)).tinted).toEqual([0, 0]);

    await page.getByTestId('seg-toggle').check();
    await expect(page.getByTestId('segment-item')).toHaveAttribute('data-label', 'Liver');
    // One overlay per viewport, each with every labelled voxel of the SEG.
    await expect.poll(() => segLayers(page, 0)).toEqual([totalSet]);
    await expect.poll(() => segLayers(page, 1)).toEqual([totalSet]);
    await page.mouse.move(0, 0);
    const insideDistance = async (slot: number, colour: Rgb, opacity: number): Promise<number> =>
      colourDistance(await colourAt(page, ...inside, slot), blended(grey[slot]!, colour, opacity));
    for (const slot of [0, 1]) {
      await expect.poll(() => insideDistance(slot, LIVER, SEG_OPACITY)).toBeLessThanOrEqual(12);
      expect(colourDistance(await colourAt(page, ...outside, slot), greyOutside[slot]!)).toBeLessThanOrEqual(
        2,
      );
    }
    // The image pixel lies at the same canvas point in both, and the same canvas pixels are coloured.
    const [p0, p1] = [
      await probe<[number, number]>(page, 'imagePointOnPage', ...inside, 0),
      await probe<[number, number]>(page, 'imagePointOnPage', ...inside, 1),
    ];
    const [box0, box1] = [
      (await page.locator(`${slotSelector(0)} canvas.cornerstone-canvas`).boundingBox())!,
      (await page.locator(`${slotSelector(1)} canvas.cornerstone-canvas`).boundingBox())!,
    ];
    expect(p0[0] - box0.x).toBeCloseTo(p1[0] - box1.x, 3);
    expect(p0[1] - box0.y).toBeCloseTo(p1[1] - box1.y, 3);
    const both = await tintedInBoth(page);
    expect(both.sizes[0]).toBe(both.sizes[1]);
    expect(both.tinted[0]).toBeGreaterThan(1000);
    expect(both.tinted[1]).toBe(both.tinted[0]);
    expect(both.differing).toBe(0);
    await page.screenshot({ path: 'test-results/shots/seg-1x2.png' });

    // One change in the panel, seen in both viewports.
    await page.getByTestId('segment-color').fill('#00ff00');
    for (const slot of [0, 1])
      await expect.poll(() => insideDistance(slot, GREEN, SEG_OPACITY)).toBeLessThanOrEqual(12);
    await page.getByTestId('segment-opacity').fill('0.5');
    for (const slot of [0, 1])
      await expect.poll(() => insideDistance(slot, GREEN, SEG_OPACITY * 0.5)).toBeLessThanOrEqual(12);
    await page.getByTestId('segment-visible').uncheck();
    await expect.poll(async () => (await tintedInBoth(page)).tinted).toEqual([0, 0]);
    for (const slot of [0, 1])
      expect(colourDistance(await colourAt(page, ...inside, slot), grey[slot]!)).toBeLessThanOrEqual(2);
    await page.getByTestId('segment-visible').check();
    await expect.poll(async () => (await tintedInBoth(page)).tinted[1]).toBe(both.tinted[1]);

    // Back to one viewport: the second one goes with its overlay, the first keeps its own.
    await page.getByTestId('layout-menu').selectOption('1x1');
    await expect(page.locator(slotSelector(1))).toHaveCount(0);
    expect(await segLayers(page, 0)).toEqual([totalSet]);
    expect(await segLayers(page, 1)).toEqual([]);
    await expect(page.getByTestId('error-banner')).toHaveCount(0);
    expect(pageErrors).toEqual([]);
  } finally {
    await host.stop();
  }
});

test('an AI labelmap over both viewports of its series: the same pixels, one visibility control', async ({
  page,
}) => {
  const host = await hostWithFieldMap(page);
  try {
    await showInBothSlots(page, 36);
    // The real inference process segments the series (the active viewport's).
    await page.getByTestId('analyze-button').click();
    await expect(page.getByTestId('legend-item')).toHaveCount(2, { timeout: 180_000 });
    await expect(page.getByTestId('investigational-notice')).toBeVisible();
    await expect
      .poll(async () => (await resultLayers(page, 0))[0]?.nonZero ?? 0, { timeout: 60_000 })
      .toBeGreaterThan(0);
    const [drawn] = await resultLayers(page, 0);
    expect(drawn!.shown).toBe(true);
    await expect.poll(() => resultLayers(page, 1)).toEqual([drawn]);

    // The middle slice, where both tissues show.
    const imageIds = (await probe<{ imageIds: string[] }>(page, 'viewport', 0)).imageIds;
    await toSliceInBoth(page, async (imageId) => imageId === imageIds[18]);
    await expect.poll(async () => (await tintedInBoth(page)).tinted[0]).toBeGreaterThan(50);
    const both = await tintedInBoth(page);
    expect(both.tinted[1]).toBe(both.tinted[0]);
    expect(both.differing).toBe(0);
    await page.screenshot({ path: 'test-results/shots/seg-ai-1x2.png' });

    const labels = page.locator('[data-testid=segment-item][data-source^=result-]');
    await labels.nth(0).getByTestId('segment-visible').uncheck();
    await expect.poll(async () => (await tintedInBoth(page)).tinted[0]).toBeLessThan(both.tinted[0]);
    const oneLabel = await tintedInBoth(page);
    expect(oneLabel.tinted[1]).toBe(oneLabel.tinted[0]);
    expect(oneLabel.differing).toBe(0);
    await page.getByTestId('toggle-overlay').uncheck();
    await expect.poll(async () => (await tintedInBoth(page)).tinted).toEqual([0, 0]);
  } finally {
    await host.stop();
  }
});

test('an AI labelmap reaches an inactive viewport of its series as the result arrives, without reopening', async ({
  page,
}) => {
  const host = await hostWithFieldMap(page, SMALL_SEG_FILES.slice(0, 3));
  try {
    await page.getByTestId('layout-menu').selectOption('1x2');
    await expect(page.getByTestId('study-row')).toHaveCount(2);
    const fieldMap = page.locator(slotSelector(0));
    const ct = page.locator(slotSelector(1));
    await (await seriesRowWith(page, 36)).dragTo(fieldMap);
    await expect(fieldMap.getByTestId('slice-indicator')).toHaveText('1/36', { timeout: 60_000 });
    await (await seriesRowWith(page, 3)).dragTo(ct);
    await expect(ct.getByTestId('slice-indicator')).toHaveText('1/3', { timeout: 60_000 });
    expect(await probe(page, 'renderBackend')).toBe('gpu');
    // The field map's middle slice, where both tissues show; no colour on either viewport yet.
    await fieldMap.click();
    for (let k = 0; k < 18; k++) await page.keyboard.press('PageDown');
    await expect(fieldMap.getByTestId('slice-indicator')).toHaveText('19/36');
    expect((await tintedInBoth(page)).tinted).toEqual([0, 0]);

    // The field map is segmented by the real inference process; the CT's viewport is made active meanwhile.
    await page.getByTestId('analyze-button').click();
    await ct.click();
    await expect.poll(() => probe(page, 'activeViewport')).toBe(1);
    expect(await resultLayers(page, 0)).toEqual([]);
    // Still at work once the field map's viewport is inactive: the result arrives there while inactive.
    await expect(page.getByTestId('engine-status')).toContainText(
      /Queue: (1 queued · 0|0 queued · 1) running/,
    );

    await expect
      .poll(async () => (await resultLayers(page, 0))[0]?.nonZero ?? 0, { timeout: 180_000 })
      .toBeGreaterThan(0);
    expect((await resultLayers(page, 0))[0]!.shown).toBe(true);
    await page.mouse.move(0, 0);
    await expect.poll(async () => (await tintedInBoth(page)).tinted[0]).toBeGreaterThan(50);
    // Nothing was reopened: the CT's viewport is still the active one, the field map on its slice.
    expect(await probe(page, 'activeViewport')).toBe(1);
    expect((await probe<{ currentImageIdIndex: number }>(page, 'viewport', 0)).currentImageIdIndex).toBe(18);
    expect((await tintedInBoth(page)).tinted[1]).toBe(0);
    await page.screenshot({ path: 'test-results/shots/seg-ai-inactive-viewport.png' });
  } finally {
    await host.stop();
  }
});

type Point3 = [number, number, number];
const PLANES = ['axial', 'sagittal', 'coronal'] as const;

test('MPR: a SEG voxel shows the segment colour in the axial, sagittal and coronal views, with its opacity and visibility', async ({
  page,
}) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  const host = await hostWithFiles(page, SMALL_SEG_FILES);
  try {
    const { reference, frame, totalSet, inside, outside } = smallSegReference();

    await openImageSeries(page);
    await expect(page.getByTestId('slice-indicator')).toHaveText('1/3', { timeout: 60_000 });
    expect(await probe(page, 'renderBackend')).toBe('gpu');
    await page.getByTestId('mpr-toggle').click();
    await expect
      .poll(async () => (await probe<{ loaded: boolean } | null>(page, 'mprVolumeInfo'))?.loaded ?? false, {
        timeout: 60_000,
      })
      .toBe(true);
    expect(await probe(page, 'renderBackend')).toBe('gpu');
    const info = (await probe<{ imageIds: string[]; dimensions: Point3 }>(page, 'mprVolumeInfo'))!;
    expect(info.dimensions).toEqual([reference.columns, reference.rows, 3]);
    const uidOf = await uidsByImageId(page);
    const k = info.imageIds.findIndex((imageId) => uidOf[imageId] === frame.sourceUid);
    expect(k).toBeGreaterThanOrEqual(0);
    // The SEG has this one frame: the voxel beside it on the next slice is outside.
    expect(reference.frames.filter((f) => f.setBits > 0)).toHaveLength(1);
    const points = {
      inside: await probe<Point3>(page, 'mprVoxelWorld', ...inside, k),
      outside: await probe<Point3>(page, 'mprVoxelWorld', ...outside, k),
      nextSlice: await probe<Point3>(page, 'mprVoxelWorld', ...inside, k === 0 ? 1 : k - 1),
    };

    /** Each plane's colour at a point, with the crosshair centre (so every view's slice) on it. */
    const coloursAt = async (world: Point3): Promise<Rgb[]> => {
      await probe(page, 'mprSetCrosshairCenter', world);
      await page.evaluate(
        () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
      );
      const colours: Rgb[] = [];
      for (const plane of PLANES) {
        const onPage = await probe<[number, number]>(page, 'mprPointOnPage', plane, world);
        colours.push(await canvasColourAt(page, `[data-testid=mpr-viewport-${plane}]`, onPage));
      }
      return colours;
    };
    /** The largest distance over the three planes from the wanted colours. */
    const distance = async (world: Point3, want: (plane: number) => Rgb): Promise<number> =>
      Math.max(...(await coloursAt(world)).map((colour, plane) => colourDistance(colour, want(plane))));

    await page.mouse.move(0, 0);
    const grey = {
      inside: await coloursAt(points.inside),
      outside: await coloursAt(points.outside),
      nextSlice: await coloursAt(points.nextSlice),
    };
    for (const colour of Object.values(grey).flat())
      expect(Math.abs(colour[0] - colour[2]), 'the CT alone is grey').toBeLessThanOrEqual(2);

    // Shown while MPR is open: the labelmap volume holds every labelled voxel of the SEG.
    await page.getByTestId('seg-toggle').check();
    await expect(page.getByTestId('segment-item')).toHaveAttribute('data-label', 'Liver');
    await expect.poll(() => segLayers(page, 'mpr')).toEqual([totalSet]);
    await expect
      .poll(() => distance(points.inside, (p) => blended(grey.inside[p]!, LIVER, SEG_OPACITY)))
      .toBeLessThanOrEqual(12);
    expect(await distance(points.outside, (p) => grey.outside[p]!)).toBeLessThanOrEqual(2);
    expect(await distance(points.nextSlice, (p) => grey.nextSlice[p]!)).toBeLessThanOrEqual(2);
    await coloursAt(points.inside);
    await page.screenshot({ path: 'test-results/shots/seg-mpr.png' });

    await page.getByTestId('segment-opacity').fill('0.5');
    await expect
      .poll(() => distance(points.inside, (p) => blended(grey.inside[p]!, LIVER, SEG_OPACITY * 0.5)))
      .toBeLessThanOrEqual(12);
    await page.getByTestId('segment-color').fill('#00ff00');
    await expect
      .poll(() => distance(points.inside, (p) => blended(grey.inside[p]!, GREEN, SEG_OPACITY * 0.5)))
      .toBeLessThanOrEqual(12);
    await page.getByTestId('segment-visible').uncheck();
    await expect.poll(() => distance(points.inside, (p) => grey.inside[p]!)).toBeLessThanOrEqual(2);
    await page.getByTestId('segment-visible').check();
    await page.getByTestId('segment-opacity').fill('0');
    await expect.poll(() => distance(points.inside, (p) => grey.inside[p]!)).toBeLessThanOrEqual(2);
    await page.getByTestId('segment-opacity').fill('1');
    await expect
      .poll(() => distance(points.inside, (p) => blended(grey.inside[p]!, GREEN, SEG_OPACITY)))
      .toBeLessThanOrEqual(12);

    // Back to the stack: the SEG is still drawn there; MPR went with its overlays, quietly.
    await page.getByTestId('mpr-toggle').click();
    await expect.poll(() => segLayers(page, 0)).toEqual([totalSet]);
    expect(await segLayers(page, 'mpr')).toEqual([]);
    await expect(page.getByTestId('error-banner')).toHaveCount(0);
    expect(pageErrors).toEqual([]);
  } finally {
    await host.stop();
  }
});
