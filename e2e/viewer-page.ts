/**
 * Helpers for the viewer's end-to-end tests: call the renderer's diagnostics, and import real files
 * into a fresh real browser-mode host through a real drop.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';
import { startBrowserHost, type BrowserHost } from '../test-support/browser-host';
import { dropFiles } from './drop-files';
import type { DecodedPixels, DecodeFailure } from '../src-shared/pixel-probe';

export type { DecodedPixels, DecodeFailure };
export { probe } from './diagnostics';

/** Starts a host on an empty library, opens the app and drops the files; resolves after the import. */
export async function hostWithFiles(
  page: Page,
  files: readonly string[],
  hostArgs: readonly string[] = [],
): Promise<BrowserHost> {
  const host = await startBrowserHost(mkdtempSync(join(tmpdir(), 'lumen-viewer-')), hostArgs);
  await page.goto(host.url);
  await expect(page.getByTestId('open-files-button')).toBeVisible();
  await dropFiles(page, page.locator('body'), files);
  await expect(page.getByTestId('import-report')).toBeVisible({ timeout: 120_000 });
  return host;
}

/** Opens the only study's only series in the viewer. */
export async function openOnlySeries(page: Page): Promise<void> {
  await page.getByTestId('study-row').first().click();
  await page.getByTestId('series-row').first().click();
}

/** Clicks through the studies until one lists a series of that many images first; resolves with its row. */
export async function seriesRowWith(page: Page, images: number): Promise<Locator> {
  const studies = page.getByTestId('study-row');
  for (let k = 0; k < (await studies.count()); k++) {
    await studies.nth(k).click();
    const row = page.getByTestId('series-row').first();
    await row.waitFor();
    if ((await row.textContent())?.includes(`${images} images`)) return row;
  }
  throw new Error(`no study lists a series of ${images} images first`);
}

/** A series thumbnail's pixels (RGBA, row by row), as its PNG holds them. */
export interface ThumbnailPixels {
  readonly width: number;
  readonly height: number;
  readonly data: number[];
}

export function thumbnailPixels(page: Page, index = 0): Promise<ThumbnailPixels> {
  return page
    .getByTestId('series-thumbnail')
    .nth(index)
    .evaluate(async (img: HTMLImageElement) => {
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = img.naturalWidth;
      canvas.height = img.naturalHeight;
      const context = canvas.getContext('2d')!;
      context.drawImage(img, 0, 0);
      const { data, width, height } = context.getImageData(0, 0, canvas.width, canvas.height);
      return { width, height, data: Array.from(data) };
    });
}

/**
 * The colour (R, G, B) of the first series thumbnail at a point given as fractions of its width and
 * height.
 */
export async function thumbnailRgb(page: Page, x: number, y: number): Promise<[number, number, number]> {
  const { width, height, data } = await thumbnailPixels(page);
  const at = (Math.floor(y * height) * width + Math.floor(x * width)) * 4;
  return [data[at]!, data[at + 1]!, data[at + 2]!];
}

export interface LitExtent {
  readonly canvas: [number, number];
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

/**
 * The bounding box of a viewport's canvas pixels brighter than the background, in canvas pixels,
 * and the canvas size: where the image is, as the user sees it.
 */
export async function litExtent(viewport: Locator): Promise<LitExtent> {
  return viewport.locator('canvas.cornerstone-canvas').evaluate((canvas: HTMLCanvasElement) => {
    const { width, height } = canvas;
    const data = canvas.getContext('2d')!.getImageData(0, 0, width, height).data;
    let [left, top, right, bottom] = [width, height, -1, -1];
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 4;
        if (data[i]! + data[i + 1]! + data[i + 2]! < 90) continue;
        left = Math.min(left, x);
        right = Math.max(right, x + 1);
        top = Math.min(top, y);
        bottom = Math.max(bottom, y + 1);
      }
    return { canvas: [width, height] as [number, number], left, top, right, bottom };
  });
}

/**
 * How far, in canvas pixels, an image of that size in mm is from fitted (spanning the canvas on
 * its limiting axis) and centred, from where its pixels are lit.
 */
export function fitMisfit(lit: LitExtent, widthMm: number, heightMm: number): number {
  const [width, height] = lit.canvas;
  const scale = Math.min(width / widthMm, height / heightMm);
  return Math.max(
    Math.abs(lit.right - lit.left - widthMm * scale),
    Math.abs(lit.bottom - lit.top - heightMm * scale),
    Math.abs(lit.left + lit.right - width),
    Math.abs(lit.top + lit.bottom - height),
  );
}

/** Decodes a file in the renderer without the library (Chromium reads it from disk). */
export async function decodeFileDirectly(page: Page, path: string): Promise<DecodedPixels | DecodeFailure> {
  await page.evaluate(() => {
    const input = document.createElement('input');
    input.type = 'file';
    input.id = '__e2e-decode-source';
    input.style.display = 'none';
    document.body.append(input);
  });
  await page.setInputFiles('#__e2e-decode-source', path);
  return page.evaluate(() => {
    const input = document.getElementById('__e2e-decode-source') as HTMLInputElement;
    const file = input.files![0]!;
    input.remove();
    return (
      window as unknown as {
        __lumenDiagnostics: { decodedFilePixels(file: File): Promise<DecodedPixels | DecodeFailure> };
      }
    ).__lumenDiagnostics.decodedFilePixels(file);
  });
}
