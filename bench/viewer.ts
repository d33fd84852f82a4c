/**
 * The viewer, measured in Chromium (browser mode) on the 128-slice JPEG-lossless chest CT: first
 * image cold (fresh page, decoder not yet started) and warm (decoder already used), and scripted
 * scrolling through the whole series, one step per animation frame, with frame times from rAF.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Page } from '@playwright/test';
import { hasSharedData, sharedPath } from '../test-support/shared-data';
import { openFirstSeries, withHostPage } from '../test-support/browser-session';
import { openWorkstation } from '../test-support/workstation';
import { figure } from './report';
import { benchmarkJpegLosslessDecode } from './jpeg-lossless-decode';
import { benchmarkMpr } from './viewer-mpr';

const GROUP = 'viewer';
const CT_SERIES = 'dicom/ct_series/ricord_1a_chest_ct_jpeg_lossless_subset128';
const SLICES = 128;

/** The few browser globals the page scripts use (this project's Node build has no DOM types). */
interface PageGlobals {
  requestAnimationFrame(callback: (now: number) => void): number;
  dispatchEvent(event: unknown): boolean;
  KeyboardEvent: new (type: string, init: { key: string }) => unknown;
  __lumenDiagnostics?: {
    libraryImageIds(): Promise<Record<string, string>>;
    decodedPixels(imageId: string): Promise<unknown>;
    currentImageIdIndex(): number;
  };
}

/**
 * Steps one slice per animation frame from the first to the last; returns the frame intervals (ms)
 * and how many different slices were on screen at a frame (a frame rate alone would hide skipped ones).
 */
function scrollThrough(page: Page): Promise<{ intervals: number[]; slicesShown: number }> {
  return page.evaluate(
    (steps) =>
      new Promise<{ intervals: number[]; slicesShown: number }>((resolve) => {
        const page = globalThis as unknown as PageGlobals;
        const shown = new Set<number>();
        const intervals: number[] = [];
        let last = performance.now();
        let done = 0;
        const frame = (now: number): void => {
          intervals.push(now - last);
          last = now;
          shown.add(page.__lumenDiagnostics!.currentImageIdIndex());
          if (done++ === steps) return resolve({ intervals: intervals.slice(1), slicesShown: shown.size });
          page.dispatchEvent(new page.KeyboardEvent('keydown', { key: 'ArrowDown' }));
          page.requestAnimationFrame(frame);
        };
        page.requestAnimationFrame(frame);
      }),
    SLICES - 1,
  );
}

async function main(): Promise<void> {
  if (!hasSharedData) {
    console.log(`${GROUP}: skipped, the shared DICOM data is absent`);
    return;
  }
  benchmarkJpegLosslessDecode(GROUP, CT_SERIES);
  const dataDir = mkdtempSync(join(tmpdir(), 'lumen-bench-viewer-'));
  const workstation = openWorkstation(dataDir);
  await workstation.importPaths({ paths: [sharedPath(CT_SERIES)] });
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
    const { intervals, slicesShown } = await scrollThrough(page);
    await page
      .getByTestId('slice-indicator')
      .filter({ hasText: `${SLICES}/${SLICES}` })
      .waitFor();
    const sorted = [...intervals].sort((a, b) => a - b);
    const mean = intervals.reduce((sum, value) => sum + value, 0) / intervals.length;
    figure(GROUP, 'scroll_fps', 1000 / mean, 'fps');
    figure(GROUP, 'scroll_frame_p95', sorted[Math.floor(sorted.length * 0.95)]!, 'ms');
    figure(GROUP, 'scroll_slices_shown', slicesShown, `of ${SLICES}`, 0);
  });
  await benchmarkMpr();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
