/**
 * The viewer, measured in Chromium (browser mode) on the 128-slice JPEG-lossless chest CT: first
 * image cold (fresh page, decoder not yet started) and warm (decoder already used), and scripted
 * scrolling through the whole series (one step per animation frame, then one step per slice drawn),
 * with frame times from rAF and the slices drawn on screen; then the time until stack prefetch has
 * cached the whole series, and both scrolls again drawing from the cache.
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

const GROUP = 'viewer';
const SLICES = 128;

/** The few browser globals the page scripts use (this project's Node build has no DOM types). */
interface PageGlobals {
  requestAnimationFrame(callback: (now: number) => void): number;
  dispatchEvent(event: unknown): boolean;
  KeyboardEvent: new (type: string, init: { key: string }) => unknown;
  document: {
    addEventListener(type: string, listener: (event: StackNewImageEvent) => void, capture: boolean): void;
    removeEventListener(type: string, listener: (event: StackNewImageEvent) => void, capture: boolean): void;
  };
  __lumenDiagnostics?: {
    libraryImageIds(): Promise<Record<string, string>>;
    decodedPixels(imageId: string): Promise<unknown>;
    stackCachedCount(): number;
  };
}

/** Cornerstone's event for an image drawn in a stack viewport (dispatched on its element). */
interface StackNewImageEvent {
  detail?: { imageIdIndex?: number };
}

interface ScrollRun {
  /** Animation-frame intervals (ms) from the first step to the last slice drawn. */
  readonly intervals: number[];
  /** Different slices drawn on screen meanwhile. */
  readonly slicesDrawn: number;
  /** Milliseconds from the first step to the last slice drawn. */
  readonly elapsed: number;
}

/**
 * Scrolls from the first slice to the last with the down arrow, at most one step per animation
 * frame, until the last slice is drawn. Free-running (`paced` false), it steps every frame, as a
 * fast hand does: the viewer may skip slices it cannot draw in time, so the slices actually drawn
 * are counted (Cornerstone's STACK_NEW_IMAGE) — a frame rate alone would flatter a viewer that
 * draws nothing until the hand stops. Paced, it steps only once the slice asked for is drawn: the
 * rate at which every slice can be seen.
 */
function scrollThrough(page: Page, paced: boolean): Promise<ScrollRun> {
  return page.evaluate(
    ({ last: lastIndex, paced }) =>
      new Promise<ScrollRun>((resolve) => {
        const page = globalThis as unknown as PageGlobals;
        const drawn = new Set<number>();
        let newest = 0;
        const onDrawn = (event: StackNewImageEvent): void => {
          newest = event.detail?.imageIdIndex ?? newest;
          drawn.add(newest);
        };
        page.document.addEventListener('CORNERSTONE_STACK_NEW_IMAGE', onDrawn, true);
        const intervals: number[] = [];
        const started = performance.now();
        let previous = started;
        let asked = 0;
        const frame = (now: number): void => {
          intervals.push(now - previous);
          previous = now;
          if (drawn.has(lastIndex)) {
            page.document.removeEventListener('CORNERSTONE_STACK_NEW_IMAGE', onDrawn, true);
            resolve({ intervals: intervals.slice(1), slicesDrawn: drawn.size, elapsed: now - started });
            return;
          }
          if (asked < lastIndex && (!paced || newest === asked)) {
            asked++;
            page.dispatchEvent(new page.KeyboardEvent('keydown', { key: 'ArrowDown' }));
          }
          page.requestAnimationFrame(frame);
        };
        page.requestAnimationFrame(frame);
      }),
    { last: SLICES - 1, paced },
  );
}

/** Prints a scroll run's figures, each name ending in `suffix`. */
function reportScroll(run: ScrollRun, suffix: string): void {
  const sorted = [...run.intervals].sort((a, b) => a - b);
  const mean = run.intervals.reduce((sum, value) => sum + value, 0) / run.intervals.length;
  figure(GROUP, `scroll_fps${suffix}`, 1000 / mean, 'fps');
  figure(GROUP, `scroll_frame_p95${suffix}`, sorted[Math.floor(sorted.length * 0.95)]!, 'ms');
  figure(GROUP, `scroll_slices_drawn${suffix}`, run.slicesDrawn, `of ${SLICES}`, 0);
  figure(GROUP, `scroll_slices_drawn_per_s${suffix}`, (run.slicesDrawn * 1000) / run.elapsed, 'slices/s');
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
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
