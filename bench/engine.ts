/**
 * The inference engine, measured: the engine's overhead per job (end-to-end latency minus the
 * model's own run), the result cache's answer time, and the UI's frame time in Chromium while a 3D
 * segmentation runs in the inference process.
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobStatus } from '../src-shared/api';
import type { GreyImage } from '../src-shared/inference-protocol';
import { InferenceProcess } from '../src-main/inference/inference-process';
import type { Workstation } from '../src-main/backend/workstation';
import { forkInferenceProcess } from '../src-main/inference/fork-channel';
import { inferenceEntry } from '../src-main/app-paths';
import { percentile } from '../src-main/analysis/engine-stats';
import { hasSharedData, sharedPath, T1_SERIES, TRIO_STUDY } from '../test-support/shared-data';
import { openFirstSeries, withHostPage } from '../test-support/browser-session';
import { openWorkstation } from '../test-support/workstation';
import { figure } from './report';
import {
  PAGE_INSTRUMENTS,
  printBreakdown,
  READ_PAGE_RECORD,
  sampleCpu,
  type PageRecord,
} from './frame-breakdown';
import type { EngineOptions } from '../src-main/analysis/analysis-service';
import { writeRenamedCopies } from '../test-support/dicom-copies';
import {
  hasStandIn,
  STAND_IN_ID,
  STAND_IN_ONNX,
  STAND_IN_SPEC,
  standInModelsDir,
  syntheticXray,
} from '../test-support/standin-models';
import { ungatedMeshnetDir } from '../test-support/ungated-meshnet';
import { preprocessXray } from '../src-shared/xray-preprocess';

const GROUP = 'engine';

/** Runs one job and resolves with its end-to-end latency, from the request to the completed event. */
async function timedJob(
  workstation: Workstation,
  seriesId: number,
  modelId = 'meshnet-gwm',
): Promise<{ ms: number; job: JobStatus }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    let jobId = -1;
    const off = workstation.onEvent((event) => {
      if (event.type !== 'job' || event.job.jobId !== jobId) return;
      if (event.job.state === 'completed') {
        off();
        resolve({ ms: performance.now() - started, job: event.job });
      } else if (event.job.state === 'failed') {
        off();
        reject(new Error(event.job.error ?? 'failed'));
      }
    });
    workstation.startAnalysis({ seriesId, modelId }).then((job) => {
      jobId = job.jobId;
      if (job.state === 'completed') {
        off();
        resolve({ ms: performance.now() - started, job });
      }
    }, reject);
  });
}

async function overheadAndCache(): Promise<void> {
  const workstation = openWorkstation(mkdtempSync(join(tmpdir(), 'lumen-bench-engine-')), {
    modelsDir: ungatedMeshnetDir(),
  });
  await workstation.importPaths({ paths: [sharedPath(TRIO_STUDY)] });
  const [study] = await workstation.listStudies();
  const series = await workstation.listSeries({ studyInstanceUid: study!.studyInstanceUid });
  // Warm the process and the session, so the figures are per job, not per start.
  await timedJob(workstation, series[0]!.seriesId);
  const overheads: number[] = [];
  for (const s of series.slice(1)) {
    const { ms, job } = await timedJob(workstation, s.seriesId);
    const [result] = await workstation.listResults({ seriesId: s.seriesId });
    if (result?.resultId !== job.resultId) throw new Error('result mismatch');
    overheads.push(ms - result.timings.modelRunMs);
    figure(GROUP, `meshnet_end_to_end_${s.instanceCount}_slices`, ms, 'ms', 0);
    figure(GROUP, `meshnet_session_run_${s.instanceCount}_slices`, result.timings.modelRunMs, 'ms', 0);
  }
  overheads.sort((a, b) => a - b);
  // For MeshNet this includes building the volume, conforming to 256^3 and mapping labels back.
  figure(GROUP, 'meshnet_overhead_median', percentile(overheads, 50), 'ms', 0);

  const hits: number[] = [];
  for (let i = 0; i < 50; i++) hits.push((await timedJob(workstation, series[0]!.seriesId)).ms);
  hits.sort((a, b) => a - b);
  figure(GROUP, 'cache_hit_median', percentile(hits, 50), 'ms', 2);
  figure(GROUP, 'cache_hit_p95', percentile(hits, 95), 'ms', 2);
  workstation.close();
}

/** The inference process's thread policy for one run: overrides of thread-policy.ts's defaults. */
interface ThreadPolicy {
  readonly threads?: number;
  readonly niceness?: number;
  /** Chromium in the host's session (scheduler autogroup), as Electron's processes are. */
  readonly sameSession?: boolean;
}

/**
 * requestAnimationFrame intervals in Chromium from the Analyze click until the overlay is shown,
 * with the inference process under `policy` (empty: the app's default); `suffix` names the run.
 */
async function frameTimeDuringSegmentation(policy: ThreadPolicy, suffix: string): Promise<void> {
  // The host (and its inference process) inherits these.
  const set = (name: string, value: number | undefined): void => {
    if (value === undefined) delete process.env[name];
    else process.env[name] = String(value);
  };
  set('LUMEN_INTRA_OP_THREADS', policy.threads);
  set('LUMEN_INFERENCE_NICENESS', policy.niceness);
  const dataDir = mkdtempSync(join(tmpdir(), 'lumen-bench-frames-'));
  const importer = openWorkstation(dataDir);
  await importer.importPaths({ paths: [sharedPath(T1_SERIES)] });
  importer.close();
  await withHostPage(
    dataDir,
    async (page, host) => {
      await openFirstSeries(page, /\/176$/);
      const record = async (): Promise<PageRecord> => (await page.evaluate(READ_PAGE_RECORD)) as PageRecord;
      let taken = 0;
      // Frame lengths since the last call, sorted.
      const takeFrames = async (): Promise<number[]> => {
        const { frames } = await record();
        const lengths = frames.slice(taken).map(([, length]) => length);
        taken = frames.length;
        return lengths.sort((a, b) => a - b);
      };
      const report = (name: string, frames: number[]): void => {
        figure(GROUP, `ui_frame_time_p50_${name}${suffix}`, percentile(frames, 50), 'ms');
        figure(GROUP, `ui_frame_time_p95_${name}${suffix}`, percentile(frames, 95), 'ms');
        figure(GROUP, `ui_frame_time_max_${name}${suffix}`, frames.at(-1)!, 'ms');
      };
      // Scroll through the series as a reader would: first with nothing running, as the baseline.
      await page.getByTestId('viewport').hover();
      const scroll = async (until: () => boolean): Promise<void> => {
        for (let i = 0; !until(); i++) {
          await page.mouse.wheel(0, i % 40 < 20 ? 120 : -120);
          await page.waitForTimeout(50);
        }
      };
      await takeFrames();
      const baselineEnd = Date.now() + 10_000;
      await scroll(() => Date.now() > baselineEnd);
      report('idle', await takeFrames());

      const cpu = sampleCpu(host.process.pid!);
      const clickAt = performance.timeOrigin + performance.now();
      const started = performance.now();
      await page.getByTestId('analyze-button').click();
      await page.getByTestId('viewport').hover();
      const done = page.getByTestId('legend-item').first().waitFor({ timeout: 300_000 });
      let running = true;
      // Both ways, so a timeout rejects `await done` below, not as an unhandled rejection that
      // would end the benchmark before it closes the browser and the host.
      const stop = (): void => void (running = false);
      done.then(stop, stop);
      await scroll(() => !running);
      await done;
      figure(GROUP, `meshnet_click_to_overlay${suffix}`, performance.now() - started, 'ms', 0);
      report('during_segmentation', await takeFrames());
      printBreakdown(`${GROUP}${suffix}`, clickAt, await record(), cpu.stop());
    },
    { initScript: PAGE_INSTRUMENTS, sameSession: policy.sameSession },
  );
}

/**
 * The DenseNet stand-in (RANDOM weights, for measuring only) through the inference process:
 * overhead per request (round trip minus `session.run`) and images/s one by one and in batches.
 * This is the process-level path (preprocessing in main included); classificationJobs() times jobs.
 */
async function classifierThroughput(): Promise<void> {
  if (!hasStandIn) {
    console.log(`${GROUP}: classifier figures skipped, ${STAND_IN_ONNX} is absent`);
    return;
  }
  const inference = new InferenceProcess(inferenceEntry, forkInferenceProcess);
  try {
    // Preprocessing runs in main (only the 224^2 tensor crosses), so it is part of the round trip.
    const classify = (images: readonly GreyImage[]) => {
      const input = new Float32Array(images.length * 224 * 224);
      images.forEach((one, n) => input.set(preprocessXray(one, 224), n * 224 * 224));
      return inference.classify(STAND_IN_SPEC, input, images.length);
    };
    // The synthetic images are made before any clock starts: a job's pixels are its input, read
    // from the file before the engine sees them (densenet_job_overhead_median times that reading).
    const images = Array.from({ length: 17 }, (_, n) => syntheticXray(n + 1));
    await classify([images[0]!]);
    const overheads: number[] = [];
    const preprocessing: number[] = [];
    const pings: number[] = [];
    const singleStart = performance.now();
    for (const one of images.slice(1)) {
      const started = performance.now();
      const result = await classify([one]);
      overheads.push(performance.now() - started - result.modelRunMs);
    }
    const singleMs = performance.now() - singleStart;
    // Stages of that overhead, measured apart: preprocessing in main, and the bare IPC round trip.
    for (const one of images.slice(1)) {
      let started = performance.now();
      preprocessXray(one, 224);
      preprocessing.push(performance.now() - started);
      started = performance.now();
      await inference.ping();
      pings.push(performance.now() - started);
    }
    for (const list of [overheads, preprocessing, pings]) list.sort((a, b) => a - b);
    figure(GROUP, 'densenet_overhead_per_request_median', percentile(overheads, 50), 'ms', 2);
    figure(GROUP, 'densenet_preprocess_median', percentile(preprocessing, 50), 'ms', 2);
    figure(GROUP, 'inference_ipc_ping_median', percentile(pings, 50), 'ms', 2);
    figure(GROUP, 'densenet_images_per_s_batch_1', 16 / (singleMs / 1000), 'images/s');
    for (const size of [4, 8]) {
      const started = performance.now();
      for (let b = 0; b < 16 / size; b++) {
        await classify(images.slice(1 + b * size, 1 + (b + 1) * size));
      }
      figure(
        GROUP,
        `densenet_images_per_s_batch_${size}`,
        16 / ((performance.now() - started) / 1000),
        'images/s',
      );
    }
  } finally {
    inference.shutdown();
  }
}

/**
 * Chest X-ray copies that differ in one pixel each (so none is a cache hit), imported into a fresh
 * library with the stand-in registered from a test models folder.
 */
async function chestCopies(
  count: number,
  engine: Partial<EngineOptions>,
): Promise<{ workstation: Workstation; ids: number[] }> {
  const source = mkdtempSync(join(tmpdir(), 'lumen-bench-cxr-src-'));
  copyFileSync(sharedPath('dicom', 'chest_xray', 'nih_cxr14_dx_1024.dcm'), join(source, 'cxr.dcm'));
  const copies = mkdtempSync(join(tmpdir(), 'lumen-bench-cxr-'));
  writeRenamedCopies(source, copies, count, 7);
  for (const folder of readdirSync(copies)) {
    for (const name of readdirSync(join(copies, folder))) {
      const path = join(copies, folder, name);
      const bytes = readFileSync(path);
      // The 1024x1024 8-bit pixel data ends the file: a 32x32 block at its centre takes the copy's
      // number, so the model's input differs too (a corner pixel would be cropped away).
      const pixels = bytes.length - 1024 * 1024;
      for (let y = 496; y < 528; y++)
        bytes.fill(Number.parseInt(name, 10) % 256, pixels + y * 1024 + 496, pixels + y * 1024 + 528);
      writeFileSync(path, bytes);
    }
  }
  const workstation = openWorkstation(mkdtempSync(join(tmpdir(), 'lumen-bench-jobs-')), {
    modelsDir: standInModelsDir(),
    engine,
  });
  await workstation.importPaths({ paths: [copies] });
  const ids: number[] = [];
  for (const study of await workstation.listStudies())
    for (const series of await workstation.listSeries({ studyInstanceUid: study.studyInstanceUid }))
      ids.push(series.seriesId);
  return { workstation, ids };
}

/**
 * Classification jobs through the job system (the stand-in, RANDOM weights): per-job overhead
 * (request to completed event, minus session.run) one at a time, and images/s for 24 jobs queued
 * at once with batching off and on.
 */
async function classificationJobs(): Promise<void> {
  if (!hasStandIn) return;
  {
    const { workstation, ids } = await chestCopies(17, { batching: 'off' });
    await timedJob(workstation, ids[0]!, STAND_IN_ID);
    const overheads: number[] = [];
    for (const seriesId of ids.slice(1)) {
      const { ms } = await timedJob(workstation, seriesId, STAND_IN_ID);
      const [result] = await workstation.listResults({ seriesId });
      overheads.push(ms - result!.timings.modelRunMs);
    }
    overheads.sort((a, b) => a - b);
    figure(GROUP, 'densenet_job_overhead_median', percentile(overheads, 50), 'ms', 2);
    workstation.close();
  }
  for (const [name, engine] of [
    ['off', { batching: 'off' }],
    ['on', { batching: 'on', batchWindowMs: 20, maxBatchSize: 8 }],
  ] as const) {
    const { workstation, ids } = await chestCopies(25, engine);
    await timedJob(workstation, ids[0]!, STAND_IN_ID);
    const started = performance.now();
    await Promise.all(
      ids.slice(1).map((seriesId) => workstation.startAnalysis({ seriesId, modelId: STAND_IN_ID })),
    );
    await workstation.analysis.idle();
    const seconds = (performance.now() - started) / 1000;
    const done = workstation.db.get<{ n: number }>(
      "SELECT count(*) AS n FROM jobs WHERE state = 'completed'",
    )!.n;
    if (done !== ids.length) throw new Error(`${done} of ${ids.length} jobs completed`);
    figure(GROUP, `densenet_jobs_images_per_s_batch_${name}`, (ids.length - 1) / seconds, 'images/s');
    workstation.close();
  }
}

async function main(): Promise<void> {
  if (!hasSharedData) {
    console.log(`${GROUP}: skipped, the shared DICOM data is absent`);
    return;
  }
  // LUMEN_BENCH_ENGINE=frames runs the frame-time part alone, with the app's thread policy.
  const framesOnly = process.env.LUMEN_BENCH_ENGINE === 'frames';
  if (!framesOnly) {
    await classifierThroughput();
    await classificationJobs();
    await overheadAndCache();
  }
  // The app's policy (every core but one, lowest priority) against the one before it (every
  // core, nice 10): frame time and segmentation time, both sides of the trade.
  await frameTimeDuringSegmentation({}, '');
  // Playwright starts Chromium in a session of its own, where the model's nice value does not
  // weigh against the page (Linux autogroups); Electron's processes share one session.
  await frameTimeDuringSegmentation({ sameSession: true }, '_same_session');
  if (!framesOnly)
    await frameTimeDuringSegmentation({ threads: cpus().length, niceness: 10 }, '_all_cores_nice_10');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
