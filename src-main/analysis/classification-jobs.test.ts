/**
 * Classification jobs through the real job system: the job table, the forked inference process
 * with the DenseNet stand-in (RANDOM weights, registered only in a test models folder), the stored
 * findings, the cache and batching. The scores mean nothing; what is tested is that each job's
 * stored scores are the model's scores for that job's own image.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { preprocessXray } from '../../src-shared/xray-preprocess';
import type { Workstation } from '../backend/workstation';
import { hasSharedData, sharedPath } from '../../test-support/shared-data';
import { hasStandIn, STAND_IN_ID, STAND_IN_SPEC, standInModelsDir } from '../../test-support/standin-models';
import { openWorkstation } from '../../test-support/workstation';
import { buildGreyImage } from './series-volume';

async function chestSeries(workstation: Workstation): Promise<Map<string, number>> {
  await workstation.importPaths({ paths: [sharedPath('dicom', 'chest_xray')] });
  const byFile = new Map<string, number>();
  for (const study of await workstation.listStudies()) {
    for (const series of await workstation.listSeries({ studyInstanceUid: study.studyInstanceUid })) {
      const [instance] = workstation.library.seriesInstances(series.seriesId);
      if (instance) byFile.set(instance.path.split('/').at(-1)!, series.seriesId);
    }
  }
  return byFile;
}

/** The stand-in's scores for one series' image, straight from the inference process. */
async function directScores(workstation: Workstation, seriesId: number): Promise<readonly number[]> {
  const image = await buildGreyImage(workstation.library.seriesInstances(seriesId)[0]!);
  const result = await workstation.inference.classify(STAND_IN_SPEC, preprocessXray(image, 224), 1);
  return result.images[0]!.probabilities;
}

describe.skipIf(!hasSharedData || !hasStandIn)(
  'classification jobs (RANDOM-weight stand-in, test models folder)',
  () => {
    it("stores per-finding scores, thresholds, above/below and 7x7 maps for the job's own image; repeats hit the cache", async () => {
      const workstation = openWorkstation(mkdtempSync(join(tmpdir(), 'lumen-classify-')), {
        modelsDir: standInModelsDir(),
      });
      try {
        const series = await chestSeries(workstation);
        const dx = series.get('nih_cxr14_dx_1024.dcm')!;
        const cr = series.get('gdcm_CR-MONO1-10-chest.dcm')!;
        const compressed = series.get('nema_wg04_RG1_J2KI_cr_chest_pa.dcm')!;
        const [model] = await workstation.listModels();
        expect(model).toMatchObject({
          id: STAND_IN_ID,
          task: 'classification',
          testOnly: true,
          installed: true,
        });

        for (const seriesId of [dx, cr, compressed])
          await workstation.startAnalysis({ seriesId, modelId: STAND_IN_ID });
        await workstation.analysis.idle();

        const jobs = workstation.db.all<{
          series_ref: number;
          state: string;
          error: string | null;
          provider: string;
        }>('SELECT series_ref, state, error, provider FROM jobs ORDER BY id');
        // The third is a lossy JPEG 2000 CR, decoded in main.
        expect(jobs.map((j) => j.state)).toEqual(['completed', 'completed', 'completed']);
        expect(jobs[0]!.provider).toBe('cpu');

        for (const seriesId of [dx, cr, compressed]) {
          const [result] = await workstation.listResults({ seriesId });
          expect(result).toMatchObject({
            task: 'classification',
            testOnly: true,
            camSize: [7, 7],
            modelId: STAND_IN_ID,
          });
          expect(result!.findings).toHaveLength(18);
          expect(result!.findings[3]).toMatchObject({ name: 'Pneumothorax', threshold: 0.0098118475 });
          const direct = await directScores(workstation, seriesId);
          result!.findings.forEach((finding, c) => {
            expect(finding.score).toBeCloseTo(direct[c]!, 5);
            expect(finding.aboveThreshold).toBe(finding.score >= finding.threshold);
            expect(finding.cam).toHaveLength(49);
          });
        }
        const [dxResult] = await workstation.listResults({ seriesId: dx });
        const [crResult] = await workstation.listResults({ seriesId: cr });
        expect(dxResult!.findings.map((f) => f.score)).not.toEqual(crResult!.findings.map((f) => f.score));
        expect(
          workstation.db.get('SELECT task, test_only FROM results WHERE id = ?', dxResult!.resultId),
        ).toEqual({
          task: 'classification',
          test_only: 1,
        });

        const again = await workstation.startAnalysis({ seriesId: dx, modelId: STAND_IN_ID });
        expect(again).toMatchObject({
          state: 'completed',
          stage: 'done (cached)',
          resultId: dxResult!.resultId,
        });
        expect(await workstation.listResults({ seriesId: dx })).toHaveLength(1);

        // A 2D model is not offered for an MR volume, nor for a series of several images.
        await workstation.importPaths({
          paths: [sharedPath('dicom/mr_series/trio_b17_brain_study/gre_field_mapping_2')],
        });
        const mrStudy = (await workstation.listStudies()).find((s) => s.modalities.includes('MR'))!;
        const [mr] = await workstation.listSeries({ studyInstanceUid: mrStudy.studyInstanceUid });
        await expect(
          workstation.startAnalysis({ seriesId: mr!.seriesId, modelId: STAND_IN_ID }),
        ).rejects.toThrow(/accepts CR, DX series, not MR/);
      } finally {
        workstation.close();
      }
    });

    it('records the providers skipped before the one a classification ran on, with the reasons, for the status panel', async () => {
      // A provider this onnxruntime build lacks comes first: the forked process inherits the list.
      vi.stubEnv('LUMEN_EXECUTION_PROVIDERS', 'npu,cpu');
      const workstation = openWorkstation(mkdtempSync(join(tmpdir(), 'lumen-classify-providers-')), {
        modelsDir: standInModelsDir(),
      });
      try {
        const series = await chestSeries(workstation);
        await workstation.startAnalysis({
          seriesId: series.get('nih_cxr14_dx_1024.dcm')!,
          modelId: STAND_IN_ID,
        });
        await workstation.analysis.idle();
        expect((await workstation.engineStatus()).provider).toEqual({
          inUse: 'cpu',
          skipped: [{ provider: 'npu', reason: 'not included in this onnxruntime build' }],
        });
      } finally {
        workstation.close();
        vi.unstubAllEnvs();
      }
    });

    it('with a batching window, jobs of the same model queued together run as one request with the same scores', async () => {
      const workstation = openWorkstation(mkdtempSync(join(tmpdir(), 'lumen-batch-')), {
        modelsDir: standInModelsDir(),
        engine: { batching: 'on', batchWindowMs: 200, maxBatchSize: 8 },
      });
      try {
        const series = await chestSeries(workstation);
        const ids = [
          'nih_cxr14_dx_1024.dcm',
          'gdcm_CR-MONO1-10-chest.dcm',
          'highdicom_dx_image_lateral_thorax.dcm',
        ].map((name) => series.get(name)!);
        const classify = vi.spyOn(workstation.inference, 'classify');
        await Promise.all(
          ids.map((seriesId) => workstation.startAnalysis({ seriesId, modelId: STAND_IN_ID })),
        );
        await workstation.analysis.idle();
        expect(classify).toHaveBeenCalledTimes(1);
        expect(classify.mock.calls[0]![2]).toBe(3);
        classify.mockRestore();
        expect(
          workstation.db.all<{ state: string; attempts: number }>(
            'SELECT state, attempts FROM jobs ORDER BY id',
          ),
        ).toEqual(ids.map(() => ({ state: 'completed', attempts: 1 })));
        for (const seriesId of ids) {
          const [result] = await workstation.listResults({ seriesId });
          const direct = await directScores(workstation, seriesId);
          result!.findings.forEach((finding, c) => expect(finding.score).toBeCloseTo(direct[c]!, 4));
        }
      } finally {
        workstation.close();
      }
    });
  },
);
