import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openWorkstation } from '../../test-support/workstation';
import { describe, expect, it } from 'vitest';
import type { JobStatus } from '../../src-shared/api';
import type { Workstation } from '../backend/workstation';
import { buildSeriesVolume } from './series-volume';
import { hasSharedData, repoRoot, sharedPath, T1_SERIES } from '../../test-support/shared-data';

const modelInstalled = existsSync(join(repoRoot, 'models', 'meshnet-gwm', 'weights', 'model.onnx'));
if (!modelInstalled) console.warn('Skipping analysis tests: run "npm run models:install" first.');

async function importT1(workstation: Workstation): Promise<number> {
  await workstation.importPaths({ paths: [sharedPath(T1_SERIES)] });
  const [study] = await workstation.listStudies();
  return (await workstation.listSeries({ studyInstanceUid: study!.studyInstanceUid }))[0]!.seriesId;
}

describe.skipIf(!hasSharedData || !modelInstalled)('brain tissue analysis with the real model', () => {
  it('segments the T1 MPRAGE into plausible white and grey matter, stores it, and keeps it after a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lumen-analysis-'));
    const workstation = openWorkstation(dataDir);
    const seriesId = await importT1(workstation);
    const events: JobStatus[] = [];
    workstation.onEvent((event) => event.type === 'job' && events.push(event.job));

    const queued = await workstation.startAnalysis({ seriesId, modelId: 'meshnet-gwm' });
    expect(queued.state).toBe('queued');
    await workstation.analysis.idle();
    const last = events.at(-1)!;
    expect(last.error).toBeNull();
    expect(last.state).toBe('completed');
    const stages = [...new Set(events.map((e) => e.stage))];
    expect(stages).toEqual(
      expect.arrayContaining(['building-volume', 'conforming', 'running-model', 'post-processing', 'done']),
    );

    const [result] = await workstation.listResults({ seriesId });
    expect(result!.resultId).toBe(last.resultId);
    expect(result!.executionProvider).toBe('cpu');
    expect(result!.weightsSha256).toBe('02850fb059badf0717d26f61048293b7422b2453fb48db8ae95d046059bfd90f');
    expect([result!.columns, result!.rows, result!.slices]).toEqual([256, 256, 176]);
    const wm = result!.volumes.find((v) => v.value === 1)!;
    const gm = result!.volumes.find((v) => v.value === 2)!;
    // A healthy adult brain: roughly 400-600 mL of white matter and 500-800 mL of grey matter.
    expect(wm.millilitres).toBeGreaterThan(300);
    expect(wm.millilitres).toBeLessThan(800);
    expect(gm.millilitres).toBeGreaterThan(350);
    expect(gm.millilitres).toBeLessThan(1000);

    // The labelmap lies on the series' own grid, and on T1 white matter is brighter than grey matter.
    const labels = workstation.labelmap(result!.resultId)!;
    expect(labels.length).toBe(256 * 256 * 176);
    const volume = await buildSeriesVolume(workstation.library.seriesInstances(seriesId));
    const mean = (label: number): number => {
      let sum = 0;
      let count = 0;
      for (let v = 0; v < labels.length; v++)
        if (labels[v] === label) {
          sum += volume.data[v]!;
          count++;
        }
      expect(count).toBe(label === 1 ? wm.voxels : gm.voxels);
      return sum / count;
    };
    expect(mean(1)).toBeGreaterThan(mean(2) * 1.1);
    workstation.close();

    const reopened = openWorkstation(dataDir);
    const [again] = await reopened.listResults({ seriesId });
    expect(again).toEqual(result);
    expect(Buffer.compare(reopened.labelmap(result!.resultId)!, labels)).toBe(0);
    reopened.close();
  });

  it('retries a job whose inference process is killed mid-run, and completes it', async () => {
    const workstation = openWorkstation(mkdtempSync(join(tmpdir(), 'lumen-kill-')));
    const seriesId = await importT1(workstation);
    const events: JobStatus[] = [];
    let killed = false;
    workstation.onEvent((event) => {
      if (event.type !== 'job') return;
      events.push(event.job);
      if (!killed && event.job.stage === 'running-model') {
        killed = true;
        process.kill(workstation.inference.pid!, 'SIGKILL');
      }
    });
    await workstation.startAnalysis({ seriesId, modelId: 'meshnet-gwm' });
    await workstation.analysis.idle();
    expect(killed).toBe(true);
    expect(events.map((e) => e.stage)).toContain('retrying');
    expect(events.at(-1)!.state).toBe('completed');
    expect(await workstation.listResults({ seriesId })).toHaveLength(1);
    workstation.close();
  });

  it('refuses a series of the wrong modality and an unknown model with a clear message', async () => {
    const workstation = openWorkstation(mkdtempSync(join(tmpdir(), 'lumen-refuse-')));
    await workstation.importPaths({ paths: [sharedPath('dicom/ct_series/dcmqi_ct_3slice_liver')] });
    const [study] = await workstation.listStudies();
    const [ct] = await workstation.listSeries({ studyInstanceUid: study!.studyInstanceUid });
    await expect(
      workstation.startAnalysis({ seriesId: ct!.seriesId, modelId: 'meshnet-gwm' }),
    ).rejects.toThrow(/accepts MR series, not CT/);
    await expect(workstation.startAnalysis({ seriesId: ct!.seriesId, modelId: 'nope' })).rejects.toThrow(
      /unknown model/,
    );
    workstation.close();
  });
});
