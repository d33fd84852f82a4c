/**
 * The viewer, measured in Chromium (browser mode) on the 128-slice JPEG-lossless chest CT: first
 * image cold (fresh page, decoder not yet started) and warm (decoder already used), and scripted
 * scrolling through the whole series (one step per animation frame, then one step per slice drawn),
 * with frame times from rAF and the slices drawn on screen; then the time until stack prefetch has
 * cached the whole series, and both scrolls again drawing from the cache; then MPR
 * (bench/viewer-mpr.ts) and the volume texture's upload alone (bench/volume-upload.ts).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Page } from '@playwright/test';
import { hasSharedData, CT_128_SERIES, sharedPath } from '../test-support/shared-data';
import { openFirstSeries, withHostPage } from '../test-support/browser-session';
import { openWorkstation } from '../test-support/workstation';
import { figure } from './report';
import { benchmarkJpegLosslessDecode } from './jpeg-lossless-decode';
import { benchmarkMpr } from './viewer-mpr';
import { benchmarkVolumeUpload } from './volume-upload';
import { reportScroll as reportScrollFigures, scrollThrough as scrollSlices, type ScrollRun } from './scroll';

const GROUP = 'viewer';
const SLICES = 128;

/** The few browser globals the page scripts use (this project's Node build has no DOM types). */
interface PageGlobals {
  __lumenDiagnostics?: {
    libraryImageIds(): Promise<Record<string, string>>;
    decodedPixels(imageId: string): Promise<unknown>;
    stackCachedCount(): number;
  };
}

/** Scrolls the stack from the first slice to the last (bench/scroll.ts). */
function scrollThrough(page: Page, paced: boolean): Promise<ScrollRun> {
  return scrollSlices(page, { slices: SLICES, paced, keysOn: 'window' });
}

function reportScroll(run: ScrollRun, suffix: string): void {
  reportScrollFigures(GROUP, SLICES, run, suffix);
}

async function main(): Promise<void> {
  if (!hasSharedData) {
    console.log(`${GROUP}: skipped, the shared DICOM data is absent`);
    return;
  }
  benchmarkJpegLosslessDecode(GROUP, CT_128_SERIES);
  const dataDir = mkdtempSync(join(tmpdir(), 'lumen-bench-viewer-'));
  const workstation = openWorkstation(dataDir);
  await workstation.importPaths({ paths: [sharedPath(CT_128_SERIES)] });
  workstation.close();

  await withHostPage(dataDir, async (page) => {
    figure(GROUP, 'first_image_cold', await openFirstSeries(page, `1/${SLICES}`), 'ms', 0);

    // Warm: a fresh page whose decoder has already decoded one slice of the series (the last one,
    // so the first slice still has to be fetched and decoded when the series opens).
    await page.reload();
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).__lumenDiagnostics !== undefined);
    await page.evaluate(async () => {
      const diagnostics = (globalThis as unknown as PageGlobals).__lumenDiagnostics!;
      const imageIds = Object.values(await diagnostics.libraryImageIds());
      await diagnostics.decodedPixels(imageIds[imageIds.length - 1]!);
    });
    figure(GROUP, 'first_image_warm', await openFirstSeries(page, `1/${SLICES}`), 'ms', 0);

    await page.getByTestId('viewport').hover();
    reportScroll(await scrollThrough(page, false), '');
    // Again on a fresh page (nothing decoded yet), stepping only once each slice is drawn.
    await page.reload();
    await openFirstSeries(page, `1/${SLICES}`);
    await page.getByTestId('viewport').hover();
    reportScroll(await scrollThrough(page, true), '_every_slice');

    // Again on a fresh page, once prefetch has put the whole series in the cache: from the click
    // on the series to the last slice cached, then both scrolls drawing from the cache.
    await page.reload();
    const firstImage = await openFirstSeries(page, `1/${SLICES}`);
    const shownAt = Date.now();
    await page.waitForFunction(
      (slices) => (globalThis as unknown as PageGlobals).__lumenDiagnostics?.stackCachedCount() === slices,
      SLICES,
      { polling: 20, timeout: 120_000 },
    );
    figure(GROUP, 'prefetch_complete', firstImage + Date.now() - shownAt, 'ms', 0);
    await page.getByTestId('viewport').hover();
    reportScroll(await scrollThrough(page, true), '_every_slice_prefetched');
    await page.keyboard.press('Home');
    await page
      .getByTestId('slice-indicator')
      .filter({ hasText: `1/${SLICES}` })
      .waitFor();
    reportScroll(await scrollThrough(page, false), '_prefetched');
  });
  await benchmarkMpr();
  await benchmarkVolumeUpload();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
