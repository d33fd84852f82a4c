/**
 * MPR, measured in Chromium (browser mode): the time from the MPR button to the whole volume of
 * the 128-slice JPEG-lossless CT loaded and drawn, and the memory of Chromium's renderer and GPU
 * processes with MPR open on a 1,000-slice 512x512 CT made at run time from that CT's slices.
 */
import { readFileSync, readdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { sharedPath } from '../test-support/shared-data';
import { openFirstSeries, withHostPage } from '../test-support/browser-session';
import { writeLongSeries } from '../test-support/dicom-copies';
import { openWorkstation } from '../test-support/workstation';
import { figure } from './report';

const GROUP = 'viewer';
const CT_SERIES = 'dicom/ct_series/ricord_1a_chest_ct_jpeg_lossless_subset128';
const LONG_SLICES = 1000;

interface PageGlobals {
  requestAnimationFrame(callback: (now: number) => void): number;
  document: { querySelector(selector: string): { click(): void } | null };
  __lumenDiagnostics?: {
    mprVolumeInfo(): { loaded: boolean; stages: MprLoadStages | null } | null;
    norm16Textures(): boolean;
    cachedImageBytes(): number;
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

/** Opens the only series in the stack view (the decoder is then warm), then times MPR to a complete volume. */
async function timeMpr(page: Page, slices: number): Promise<MprTiming> {
  await openFirstSeries(page, `1/${slices}`, 120_000);
  return page.evaluate(
    () =>
      new Promise<MprTiming>((resolve) => {
        const page = globalThis as unknown as PageGlobals;
        const started = performance.now();
        page.document.querySelector('[data-testid="mpr-toggle"]')!.click();
        // Complete: every slice in the volume, then one more frame for it to be drawn.
        const frame = (): void => {
          const info = page.__lumenDiagnostics?.mprVolumeInfo();
          if (info?.loaded && info.stages) {
            const stages = info.stages;
            page.requestAnimationFrame(() => resolve({ complete: performance.now() - started, stages }));
          } else page.requestAnimationFrame(frame);
        };
        page.requestAnimationFrame(frame);
      }),
  );
}

/** Resident memory (MB) of this process's Chromium descendants of one type (renderer, gpu-process). */
function chromiumRss(type: string): number {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'latin1');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(name)]);
    } catch {
      // The process ended while it was being listed.
    }
  }
  const descendants: number[] = [];
  const visit = (pid: number): void => {
    for (const child of children.get(pid) ?? []) {
      descendants.push(child);
      visit(child);
    }
  };
  visit(process.pid);
  let kilobytes = 0;
  for (const pid of descendants) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes(`--type=${type}`)) continue;
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
      kilobytes += Number(rss?.[1] ?? 0);
    } catch {
      // Ended meanwhile.
    }
  }
  return kilobytes / 1024;
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
  await importInto(ctDir, sharedPath(CT_SERIES));
  await withHostPage(ctDir, async (page) => {
    reportMpr('', await timeMpr(page, 128));
    const norm16 = await page.evaluate(() =>
      (globalThis as unknown as PageGlobals).__lumenDiagnostics!.norm16Textures(),
    );
    console.log(
      `${GROUP}: volume textures ${norm16 ? 'norm16 (16-bit)' : 'float32 (no EXT_texture_norm16)'}`,
    );
  });

  // The synthetic series: 1,000 copies of the CT's slices, 1.25 mm apart, written to a temp folder.
  const longDir = mkdtempSync(join(tmpdir(), 'lumen-bench-mpr-1000-'));
  const filesDir = join(longDir, 'files');
  writeLongSeries(sharedPath(CT_SERIES), filesDir, LONG_SLICES, 1.25);
  await importInto(longDir, filesDir);
  try {
    await withHostPage(longDir, async (page) => {
      reportMpr('_1000_slices', await timeMpr(page, LONG_SLICES));
      // Let the decoders finish handing over and the GPU upload settle before reading memory.
      await page.waitForTimeout(3000);
      const renderer = chromiumRss('renderer');
      const gpu = chromiumRss('gpu-process');
      figure(GROUP, 'renderer_memory_mpr_1000_slices', renderer + gpu, 'MB', 0);
      figure(GROUP, 'renderer_memory_mpr_1000_slices_renderer_rss', renderer, 'MB', 0);
      figure(GROUP, 'renderer_memory_mpr_1000_slices_gpu_process_rss', gpu, 'MB', 0);
      const voxels = await page.evaluate(() =>
        (globalThis as unknown as PageGlobals).__lumenDiagnostics!.cachedImageBytes(),
      );
      figure(GROUP, 'renderer_memory_mpr_1000_slices_decoded_images', voxels / 2 ** 20, 'MB', 0);
      // Once idle, Chromium collects the garbage of the load (decoded copies, per-slice upload buffers).
      await page.waitForTimeout(12_000);
      figure(
        GROUP,
        'renderer_memory_mpr_1000_slices_renderer_rss_idle_15s',
        chromiumRss('renderer'),
        'MB',
        0,
      );
    });
  } finally {
    rmSync(longDir, { recursive: true, force: true });
    rmSync(ctDir, { recursive: true, force: true });
  }
}
