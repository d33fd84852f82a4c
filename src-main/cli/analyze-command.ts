/**
 * `npm run analyze -- <file or folder>... --model <id> --out <dir>`: imports what it is given into
 * a library (a temporary one unless --data-dir), runs the model on every eligible series through
 * the job system, and writes per series `<out>/<series UID>/result.json` and, for a segmentation,
 * `labels.nii.gz` on the series' own voxel grid. Exit status 0 only if every eligible series was
 * analysed.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { LPS_TO_RAS, multiplyAffine } from '../../src-shared/geometry';
import { writeNiftiLabels } from '../../src-shared/nifti-write';
import { Workstation } from '../backend/workstation';
import { forkInferenceProcess } from '../inference/fork-channel';
import { analysisGrid, reorderSlices } from '../analysis/series-volume';
import { errorText } from '../library/dicom-header';

export interface AnalyzeEnvironment {
  readonly modelsDir: string;
  readonly inferenceEntry: string;
  readonly log: (line: string) => void;
}

const USAGE = 'usage: npm run analyze -- <file or folder>... --model <id> --out <dir> [--data-dir <dir>]';

export async function runAnalyze(argv: readonly string[], env: AnalyzeEnvironment): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: { model: { type: 'string' }, out: { type: 'string' }, 'data-dir': { type: 'string' } },
    allowPositionals: true,
  });
  if (!values.model || !values.out || positionals.length === 0) {
    env.log(USAGE);
    return 2;
  }
  const dataDir = values['data-dir'] ?? mkdtempSync(join(tmpdir(), 'lumen-analyze-'));
  const workstation = new Workstation({
    dataDir,
    modelsDir: env.modelsDir,
    inferenceEntry: env.inferenceEntry,
    startInferenceProcess: forkInferenceProcess,
  });
  try {
    return await analyzeAll(workstation, positionals, values.model, values.out, env.log);
  } finally {
    workstation.close();
    if (!values['data-dir']) rmSync(dataDir, { recursive: true, force: true });
  }
}

async function analyzeAll(
  workstation: Workstation,
  paths: readonly string[],
  modelId: string,
  outDir: string,
  log: (line: string) => void,
): Promise<number> {
  const model = workstation.models.get(modelId);
  if (!model) {
    log(`unknown model "${modelId}"; known: ${(await workstation.listModels()).map((m) => m.id).join(', ')}`);
    return 2;
  }
  const report = await workstation.importPaths({ paths: [...paths] });
  log(
    `imported ${report.indexed} images (${report.duplicates} duplicates, ${report.failures.length} not imported)`,
  );
  const eligible = [];
  for (const study of await workstation.listStudies()) {
    for (const series of await workstation.listSeries({ studyInstanceUid: study.studyInstanceUid })) {
      const verdict = (await workstation.seriesEligibility({ seriesId: series.seriesId })).find(
        (e) => e.modelId === modelId,
      );
      if (verdict?.eligible) eligible.push(series);
      else if (verdict) log(`${series.seriesInstanceUid}: not eligible: ${verdict.reason ?? ''}`);
    }
  }
  if (eligible.length === 0) {
    log(`no ${model.manifest.modalities.join('/')} series that ${modelId} accepts`);
    return 1;
  }
  const jobs = new Map<number, number>();
  for (const series of eligible) {
    try {
      jobs.set(
        series.seriesId,
        (await workstation.startAnalysis({ seriesId: series.seriesId, modelId })).jobId,
      );
    } catch (error) {
      log(`${series.seriesInstanceUid}: not analysed: ${errorText(error)}`);
    }
  }
  await workstation.analysis.idle();

  let analysed = 0;
  for (const series of eligible) {
    const jobId = jobs.get(series.seriesId);
    const job = jobId === undefined ? undefined : workstation.analysis.jobs.get(jobId);
    if (!job || job.state !== 'completed' || job.result_ref === null) {
      if (job) log(`${series.seriesInstanceUid}: ${job.state}: ${job.error ?? ''}`);
      continue;
    }
    const result = (await workstation.listResults({ seriesId: series.seriesId })).find(
      (r) => r.resultId === job.result_ref,
    )!;
    const dir = join(outDir, series.seriesInstanceUid);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'result.json'),
      `${JSON.stringify(
        {
          seriesInstanceUid: series.seriesInstanceUid,
          modelId: result.modelId,
          modelName: result.modelName,
          modelVersion: result.modelVersion,
          weightsSha256: result.weightsSha256,
          executionProvider: result.executionProvider,
          cached: job.cached === 1,
          timings: result.timings,
          grid: { columns: result.columns, rows: result.rows, slices: result.slices },
          inputNote: result.inputNote,
          ...(result.task === 'classification'
            ? {
                testOnly: result.testOnly,
                findings: result.findings.map(({ name, score, threshold, aboveThreshold }) => ({
                  name,
                  score,
                  threshold,
                  aboveThreshold,
                })),
              }
            : { labels: result.volumes }),
          notice: 'Investigational use only, not for diagnosis.',
        },
        null,
        2,
      )}\n`,
    );
    analysed++;
    if (result.task === 'classification') {
      log(
        `${series.seriesInstanceUid}: ${result.findings.length} scores${result.testOnly ? ' (test model)' : ''}`,
      );
      continue;
    }
    // Results are stored in display order; the NIfTI takes the volume's own order and grid.
    const grid = await analysisGrid(workstation.library.seriesInstances(series.seriesId));
    const nifti = writeNiftiLabels(
      [result.columns, result.rows, result.slices],
      multiplyAffine(LPS_TO_RAS, grid.affine),
      reorderSlices(
        workstation.labelmap(result.resultId)!,
        result.columns * result.rows,
        grid.displayIndex,
        'volume',
      ),
    );
    writeFileSync(join(dir, 'labels.nii.gz'), gzipSync(nifti));
    log(
      `${series.seriesInstanceUid}: ${result.volumes.map((v) => `${v.name} ${v.millilitres.toFixed(1)} mL`).join(', ')}`,
    );
  }
  log(`${analysed} of ${eligible.length} eligible series analysed; results in ${outDir}`);
  return analysed === eligible.length ? 0 : 1;
}
