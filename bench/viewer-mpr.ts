/**
 * MPR, measured in Chromium (browser mode): the time from the MPR button to the whole volume of
 * the 128-slice JPEG-lossless CT loaded and drawn, and the memory of the app's renderer process and
 * Chromium's GPU process with MPR open on a 1,000-slice 512x512 CT made at run time from that CT's
 * slices (in a Chromium driven without Playwright: bench/direct-chromium.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { CT_128_SERIES, sharedPath } from '../test-support/shared-data';
import { openFirstSeries, withHostPage } from '../test-support/browser-session';
import { writeLongSeries } from '../test-support/dicom-copies';
import { openWorkstation } from '../test-support/workstation';
import { appRendererRss, chromiumRss } from './chromium-processes';
import { withDirectPage, type DirectPage } from './direct-chromium';
import { figure } from './report';

const GROUP = 'viewer';
const LONG_SLICES = 1000;

interface PageGlobals {
  requestAnimationFrame(callback: (now: number) => void): number;
  document: { querySelector(selector: string): { click(): void } | null };
  __lumenDiagnostics?: {
    mprVolumeInfo(): { loaded: boolean; stages: MprLoadStages | null } | null;
    norm16Textures(): boolean;
    cachedImageBytes(): number;
    stackCachedCount(): number;
  };
}

/** Milliseconds from the MPR load's start to each stage (src-renderer/viewer/mprViewer.ts). */
interface MprLoadStages {
  created: number;
  decoded: number;
  attached: number;
}

interface MprTiming {
  /** From the MPR button to the volume whole and drawn. */
  complete: number;
  stages: MprLoadStages;
}

/**
 * In the page: clicks the MPR button and resolves once every slice is in the volume and one more
 * frame is drawn. Runs as a function (Playwright) and as its source text (the directly driven page).
 */
function mprTimingInPage(): Promise<MprTiming> {
  return new Promise<MprTiming>((resolve) => {
    const page = globalThis as unknown as PageGlobals;
    const started = performance.now();
    page.document.querySelector('[data-testid="mpr-toggle"]')!.click();
    const frame = (): void => {
      const info = page.__lumenDiagnostics?.mprVolumeInfo();
      if (info?.loaded && info.stages) {
        const stages = info.stages;
        page.requestAnimationFrame(() => resolve({ complete: performance.now() - started, stages }));
      } else page.requestAnimationFrame(frame);
    };
    page.requestAnimationFrame(frame);
  });
}

/**
 * Opens the only series in the stack view (the decoder is then warm), then times MPR to a complete
 * volume: at once, or once the stack's prefetch has decoded every slice (a reader who looked at the
 * stack first), when the volume is built from the cached images.
 */
async function timeMpr(page: Page, slices: number, afterPrefetch = false): Promise<MprTiming> {
  await openFirstSeries(page, `1/${slices}`, 120_000);
  if (afterPrefetch)
    await page.waitForFunction(
      (count) => (globalThis as unknown as PageGlobals).__lumenDiagnostics?.stackCachedCount() === count,
      slices,
      { timeout: 120_000 },
    );
  return page.evaluate(mprTimingInPage);
}

/** The same in the directly driven page: the series opened by clicks, then MPR timed. */
async function timeMprDirect(page: DirectPage, slices: number): Promise<MprTiming> {
  const testId = (id: string): string => `document.querySelector('[data-testid="${id}"]')`;
  await page.waitFor(testId('study-row'), 60_000);
  await page.evaluate(`${testId('study-row')}.click()`);
  await page.waitFor(testId('series-row'), 60_000);
  await page.evaluate(`${testId('series-row')}.click()`);
  await page.waitFor(`${testId('slice-indicator')}?.textContent.includes('1/${slices}')`, 120_000);
  return page.evaluate<MprTiming>(`(${mprTimingInPage.toString()})()`);
}

/** The MPR figures: complete, and the stages inside it. */
function reportMpr(suffix: string, timing: MprTiming): void {
  figure(GROUP, `mpr_volume_complete${suffix}`, timing.complete, 'ms', 0);
  figure(GROUP, `mpr_slices_decoded${suffix}`, timing.stages.decoded, 'ms', 0);
  // The views get the volume, then their first render uploads it as a texture and draws four views.
  figure(GROUP, `mpr_upload_and_first_frame${suffix}`, timing.complete - timing.stages.attached, 'ms', 0);
}

async function importInto(dataDir: string, path: string): Promise<void> {
  const workstation = openWorkstation(dataDir);
  await workstation.importPaths({ paths: [path] });
  workstation.close();
}

export async function benchmarkMpr(): Promise<void> {
  const ctDir = mkdtempSync(join(tmpdir(), 'lumen-bench-mpr-'));
  try {
    await importInto(ctDir, sharedPath(CT_128_SERIES));
    await withHostPage(ctDir, async (page) => {
      reportMpr('', await timeMpr(page, 128));
      const norm16 = await page.evaluate(() =>
        (globalThis as unknown as PageGlobals).__lumenDiagnostics!.norm16Textures(),
      );
      console.log(
        `${GROUP}: volume textures ${norm16 ? 'norm16 (16-bit)' : 'float32 (no EXT_texture_norm16)'}`,
      );
    });
    await withHostPage(ctDir, async (page) => reportMpr('_after_prefetch', await timeMpr(page, 128, true)));
  } finally {
    rmSync(ctDir, { recursive: true, force: true });
  }
  await benchmarkLongMpr();
}

/** The 1,000-slice figures alone (also `npm run bench -- viewer-memory`). */
export async function benchmarkLongMpr(): Promise<void> {
  // The synthetic series: 1,000 copies of the CT's slices, 1.25 mm apart, written to a temp folder.
  const longDir = mkdtempSync(join(tmpdir(), 'lumen-bench-mpr-1000-'));
  const filesDir = join(longDir, 'files');
  writeLongSeries(sharedPath(CT_128_SERIES), filesDir, LONG_SLICES, 1.25);
  await importInto(longDir, filesDir);
  try {
    // Memory is read in a Chromium driven without Playwright (bench/direct-chromium.ts says why).
    await withDirectPage(longDir, async (page) => {
      const appRenderer = (): number => {
        const megabytes = appRendererRss(page.browserPid);
        if (megabytes === undefined) throw new Error('no Chromium renderer runs the decode worker');
        return megabytes;
      };
      let peak = 0;
      const sampler = setInterval(() => (peak = Math.max(peak, appRendererRss(page.browserPid) ?? 0)), 100);
      try {
        reportMpr('_1000_slices', await timeMprDirect(page, LONG_SLICES));
        // Let the decoders finish handing over and the GPU upload settle before reading memory.
        await new Promise((resolve) => setTimeout(resolve, 3000));
      } finally {
        clearInterval(sampler);
      }
      const renderer = appRenderer();
      const gpu = chromiumRss('gpu-process', page.browserPid);
      figure(GROUP, 'renderer_memory_mpr_1000_slices', renderer + gpu, 'MB', 0);
      figure(GROUP, 'renderer_memory_mpr_1000_slices_renderer_rss', renderer, 'MB', 0);
      // The highest sample (every 100 ms) from opening the series to here: the load's peak.
      figure(GROUP, 'renderer_memory_mpr_1000_slices_renderer_rss_peak', Math.max(peak, renderer), 'MB', 0);
      figure(GROUP, 'renderer_memory_mpr_1000_slices_gpu_process_rss', gpu, 'MB', 0);
      const voxels = await page.evaluate<number>('__lumenDiagnostics.cachedImageBytes()');
      figure(GROUP, 'renderer_memory_mpr_1000_slices_decoded_images', voxels / 2 ** 20, 'MB', 0);
      // Once idle, Chromium may collect the garbage of the load (per-slice upload buffers).
      await new Promise((resolve) => setTimeout(resolve, 12_000));
      figure(GROUP, 'renderer_memory_mpr_1000_slices_renderer_rss_idle_15s', appRenderer(), 'MB', 0);
    });
  } finally {
    rmSync(longDir, { recursive: true, force: true });
  }
}
