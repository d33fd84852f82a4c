/**
 * DICOM SEG overlays, per-segment controls, measurements kept in the library, PNG export and
 * projection orientation markers, on real files in a real browser-mode host and Chromium (WebGL).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startBrowserHost, type BrowserHost } from '../test-support/browser-host';
import { hasSharedData, sharedPath } from '../test-support/shared-data';
import { referenceSeg } from '../test-support/seg-reference';
import { dropFiles } from './drop-files';
import { hostWithFiles, probe } from './viewer-page';
import {
  blended,
  colourAt,
  colourDistance,
  insideAndOutside,
  openImageSeries,
  shownUid,
  SMALL_SEG_FILES,
  smallSegReference,
  type Rgb,
  hostWithFieldMap,
} from './seg-page';

test.skip(!hasSharedData, 'the shared DICOM data (../shared) is absent');

const LIVER_CT = 'dicom/ct_series/dcmqi_ct_3slice_liver';
const LIVER_FILES = ['01.dcm', '02.dcm', '03.dcm'];

test('a DICOM SEG over its CT: segment colour inside, none outside, per-segment visibility and colour', async ({
  page,
}) => {
  const host = await hostWithFiles(page, SMALL_SEG_FILES);
  try {
    await openImageSeries(page);
    await expect(page.getByTestId('slice-indicator')).toHaveText('1/3', { timeout: 60_000 });
    expect(await probe(page, 'renderBackend')).toBe('gpu');
    // A slice the SEG has a frame on.
    const { frame, inside, outside } = smallSegReference();
    await page.getByTestId('viewport').hover();
    for (let i = 0; i < 3 && (await shownUid(page)) !== frame.sourceUid; i++)
      await page.keyboard.press('PageDown');
    expect(await shownUid(page)).toBe(frame.sourceUid);
    const greyInside = await colourAt(page, ...inside);
    const greyOutside = await colourAt(page, ...outside);
    expect(Math.abs(greyInside[0] - greyInside[2])).toBeLessThanOrEqual(2);

    await page.getByTestId('seg-toggle').check();
    const item = page.getByTestId('segment-item');
    await expect(item).toHaveCount(1);
    await expect(item).toHaveAttribute('data-label', 'Liver');
    // Liver's Recommended Display CIELab Value is sRGB (221, 130, 101), blended at 60 % over the grey.
    const expected = (grey: Rgb, rgb: Rgb): Rgb => blended(grey, rgb, 0.6);
    const near = async (column: number, row: number, want: Rgb): Promise<number> =>
      colourDistance(await colourAt(page, column, row), want);
    await expect.poll(() => near(...inside, expected(greyInside, [221, 130, 101]))).toBeLessThanOrEqual(12);
    expect(await near(...outside, greyOutside)).toBeLessThanOrEqual(2);
    await page.screenshot({ path: 'test-results/shots/seg-small.png' });

    await page.getByTestId('segment-visible').uncheck();
    await expect.poll(() => near(...inside, greyInside)).toBeLessThanOrEqual(2);
    await page.getByTestId('segment-visible').check();
    await expect.poll(() => near(...inside, expected(greyInside, [221, 130, 101]))).toBeLessThanOrEqual(12);
    await page.getByTestId('segment-color').fill('#00ff00');
    await expect.poll(() => near(...inside, expected(greyInside, [0, 255, 0]))).toBeLessThanOrEqual(12);
    await page.getByTestId('segment-opacity').fill('0');
    await expect.poll(() => near(...inside, greyInside)).toBeLessThanOrEqual(2);
  } finally {
    await host.stop();
  }
});

test('the liver SEG over its CT, as a screenshot reference', async ({ page }) => {
  const host = await hostWithFiles(page, [
    ...LIVER_FILES.map((f) => sharedPath(LIVER_CT, f)),
    sharedPath('dicom/seg/dcmqi_liver_seg.dcm'),
  ]);
  try {
    await openImageSeries(page);
    await expect(page.getByTestId('slice-indicator')).toHaveText('1/3', { timeout: 60_000 });
    expect(await probe(page, 'renderBackend')).toBe('gpu');
    const reference = referenceSeg(sharedPath('dicom/seg/dcmqi_liver_seg.dcm'));
    const shown = reference.frames.reduce((a, b) => (b.setBits > a.setBits ? b : a));
    await page.getByTestId('viewport').hover();
    for (let i = 0; i < 3 && (await shownUid(page)) !== shown.sourceUid; i++)
      await page.keyboard.press('PageDown');
    expect(await shownUid(page)).toBe(shown.sourceUid);
    await page.getByTestId('seg-toggle').check();
    await expect(page.getByTestId('segment-item')).toHaveAttribute('data-label', 'Liver');
    const { inside } = insideAndOutside(shown.mask, reference.columns, reference.rows);
    await expect
      .poll(async () => {
        const [r, , b] = await colourAt(page, ...inside);
        return r - b;
      })
      .toBeGreaterThan(40);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: 'test-results/shots/seg-liver-page.png' });
    await expect(page.locator('.viewport-frame')).toHaveScreenshot('seg-liver.png', {
      maxDiffPixelRatio: 0.01,
    });
  } finally {
    await host.stop();
  }
});

/** Decodes a PNG in the page and returns its size and the largest channel difference from another PNG around a point. */
async function pngFacts(page: Page, png: Buffer, other: Buffer, at: [number, number]) {
  return page.evaluate(
    async ([a, b, [x, y]]) => {
      const decode = async (base64: string) => {
        // CSP allows no fetch of data: URLs; the bytes go through a Blob instead.
        const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        const context = canvas.getContext('2d')!;
        context.drawImage(bitmap, 0, 0);
        return {
          width: bitmap.width,
          height: bitmap.height,
          data: context.getImageData(0, 0, bitmap.width, bitmap.height).data,
        };
      };
      const first = await decode(a);
      const second = await decode(b);
      let diff = 0;
      for (let dy = -3; dy <= 3; dy++)
        for (let dx = -3; dx <= 3; dx++) {
          const i = ((y + dy) * first.width + (x + dx)) * 4;
          for (let c = 0; c < 3; c++)
            diff = Math.max(diff, Math.abs(first.data[i + c]! - second.data[i + c]!));
        }
      return { width: first.width, height: first.height, otherWidth: second.width, diff };
    },
    [png.toString('base64'), other.toString('base64'), at] as const,
  );
}

async function savePng(page: Page, which: 'plain' | 'annotated'): Promise<Buffer> {
  await page.getByTestId('save-png').click();
  const download = page.waitForEvent('download');
  await page.getByTestId(`save-png-${which}`).click();
  return readFileSync(await (await download).path());
}

test('a length is saved with the image: back after a reload and a host restart; PNG with and without it', async ({
  page,
}) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'lumen-measure-'));
  let host: BrowserHost = await startBrowserHost(dataDir);
  try {
    await page.goto(host.url);
    await dropFiles(
      page,
      page.locator('body'),
      LIVER_FILES.map((f) => sharedPath(LIVER_CT, f)),
    );
    await expect(page.getByTestId('import-report')).toBeVisible({ timeout: 120_000 });
    await openImageSeries(page);
    await expect(page.getByTestId('slice-indicator')).toHaveText('1/3', { timeout: 60_000 });
    expect(await probe(page, 'renderBackend')).toBe('gpu');
    await page.getByTestId('viewport').hover();
    await page.keyboard.press('l');
    const start = await probe<[number, number]>(page, 'imagePointOnPage', 100, 200);
    const end = await probe<[number, number]>(page, 'imagePointOnPage', 400, 260);
    await page.mouse.move(...start);
    await page.mouse.down();
    await page.mouse.move(...end, { steps: 8 });
    await page.mouse.up();
    const items = page.getByTestId('measurement-item');
    await expect(items).toHaveCount(1);
    const lengthNow = async (): Promise<number> =>
      (JSON.parse((await items.first().getAttribute('data-stats')) ?? '{}') as { length?: number }).length ??
      0;
    await expect.poll(lengthNow).toBeGreaterThan(100);
    // Settle on the final figure (recomputed throttled after the last move).
    let length = 0;
    await expect
      .poll(async () => {
        const previous = length;
        length = await lengthNow();
        return Math.abs(length - previous);
      })
      .toBeLessThan(1e-9);

    // The PNG: the canvas's size; with annotations it differs from the plain one where the line is.
    const canvasSize = await page.evaluate(() => {
      const canvas = document.querySelector<HTMLCanvasElement>(
        '[data-testid=viewport] canvas.cornerstone-canvas',
      )!;
      return [canvas.width, canvas.height, canvas.width / canvas.getBoundingClientRect().width] as const;
    });
    await page.mouse.move(0, 0);
    const plain = await savePng(page, 'plain');
    const annotated = await savePng(page, 'annotated');
    const box = (await page.locator('[data-testid=viewport] canvas.cornerstone-canvas').boundingBox())!;
    const middle: [number, number] = [
      Math.round(((start[0] + end[0]) / 2 - box.x) * canvasSize[2]),
      Math.round(((start[1] + end[1]) / 2 - box.y) * canvasSize[2]),
    ];
    const onLine = await pngFacts(page, annotated, plain, middle);
    expect([onLine.width, onLine.height]).toEqual([canvasSize[0], canvasSize[1]]);
    expect(onLine.otherWidth).toBe(canvasSize[0]);
    expect(onLine.diff).toBeGreaterThan(60);
    // Away from the line (and its text box) both show the same image.
    const away = await pngFacts(page, annotated, plain, [20, Math.round(canvasSize[1] / 2)]);
    expect(away.diff).toBeLessThanOrEqual(2);

    const expectRestored = async (): Promise<void> => {
      await openImageSeries(page);
      await expect(page.getByTestId('slice-indicator')).toHaveText('1/3', { timeout: 60_000 });
      expect(await probe(page, 'renderBackend')).toBe('gpu');
      await expect(items).toHaveCount(1);
      await expect.poll(async () => Math.abs((await lengthNow()) - length)).toBeLessThan(0.01);
    };
    await page.reload();
    await expectRestored();

    await host.stop();
    host = await startBrowserHost(dataDir);
    await page.goto(host.url);
    await expectRestored();

    // Deleting it removes it from the library too: after a reload only a probe drawn since is back.
    await page.getByTestId('viewport').hover();
    await page.keyboard.press('p');
    await page.mouse.click(...(await probe<[number, number]>(page, 'imagePointOnPage', 250, 400)));
    await expect(items).toHaveCount(2);
    await page.getByTestId('measurement-delete').first().click();
    await expect(items).toHaveCount(1);
    await page.reload();
    await openImageSeries(page);
    await expect(page.getByTestId('slice-indicator')).toHaveText('1/3', { timeout: 60_000 });
    await expect(items).toHaveCount(1);
    await expect(items.first()).toHaveAttribute('data-tool', 'Probe');
  } finally {
    await host.stop();
  }
});

test('a radiograph without plane geometry gets its markers from Patient Orientation', async ({ page }) => {
  const host = await hostWithFiles(page, [
    sharedPath('dicom/chest_xray/highdicom_dx_image_lateral_thorax.dcm'),
  ]);
  try {
    await openImageSeries(page);
    await expect(page.getByTestId('slice-indicator')).toHaveText('1/1', { timeout: 60_000 });
    expect(await probe(page, 'renderBackend')).toBe('gpu');
    const markers = async (): Promise<string> =>
      (
        await Promise.all(
          ['top', 'bottom', 'left', 'right'].map((edge) =>
            page.getByTestId(`orientation-${edge}`).textContent(),
          ),
        )
      ).join(' ');
    // Patient Orientation L\F: rows run to the patient's left, columns to the feet.
    await expect.poll(markers).toBe('H F R L');
    await page.getByTestId('viewport').hover();
    await page.keyboard.press('h');
    await expect.poll(markers).toBe('H F L R');
  } finally {
    await host.stop();
  }
});

/** Canvas pixels that are clearly coloured (the images under test are greyscale). */
async function tintedPixels(page: Page): Promise<number> {
  return page.evaluate(() => {
    const canvas = document.querySelector<HTMLCanvasElement>(
      '[data-testid=viewport] canvas.cornerstone-canvas',
    )!;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let count = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (Math.abs(data[i]! - data[i + 1]!) + Math.abs(data[i + 1]! - data[i + 2]!) > 40) count++;
    }
    return count;
  });
}

test('an AI result’s labels each have their own visibility', async ({ page }) => {
  const host = await hostWithFieldMap(page);
  try {
    await openImageSeries(page);
    await expect(page.getByTestId('slice-indicator')).toHaveText(/^\d+\/36$/, { timeout: 60_000 });
    expect(await probe(page, 'renderBackend')).toBe('gpu');
    await page.getByTestId('analyze-button').click();
    await expect(page.getByTestId('legend-item')).toHaveCount(2, { timeout: 180_000 });
    await expect(page.getByTestId('investigational-notice')).toBeVisible();
    await page.getByTestId('viewport').hover();
    await page.keyboard.press('Home');
    for (let i = 0; i < 18; i++) await page.keyboard.press('PageDown');
    const labels = page.locator('[data-testid=segment-item][data-source^=result-]');
    await expect(labels).toHaveCount(2);
    await page.mouse.move(0, 0);
    await expect.poll(() => tintedPixels(page)).toBeGreaterThan(50);
    const both = await tintedPixels(page);
    await labels.nth(0).getByTestId('segment-visible').uncheck();
    await expect.poll(() => tintedPixels(page)).toBeLessThan(both);
    const second = await tintedPixels(page);
    expect(second).toBeGreaterThan(0);
    await labels.nth(1).getByTestId('segment-visible').uncheck();
    await expect.poll(() => tintedPixels(page)).toBe(0);
    await labels.nth(0).getByTestId('segment-visible').check();
    await expect.poll(() => tintedPixels(page)).toBeGreaterThan(0);
    const first = await tintedPixels(page);
    // Each label alone covers its own pixels: together they make up what both showed.
    expect(Math.abs(first + second - both)).toBeLessThanOrEqual(Math.max(20, both * 0.02));
    await page.screenshot({ path: 'test-results/shots/seg-ai-labels.png' });
  } finally {
    await host.stop();
  }
});
