/**
 * Runs analysis jobs one at a time: builds the series volume in main, has the inference process
 * segment it, and stores the result with everything a reader must know about where it came from.
 * A job whose inference process dies is retried once on a fresh process, then failed with the reason.
 */
import type { JobStatus } from '../../src-shared/api';
import { voxelVolume } from '../../src-shared/geometry';
import type { LibraryDb } from '../library/library-db';
import type { LibraryStore } from '../library/library-store';
import type { ModelRegistry } from '../models/model-registry';
import { InferenceProcessError } from '../inference/inference-process';
import type { InferenceProcess } from '../inference/inference-process';
import { buildSeriesVolume } from './series-volume';
import type { ResultStore } from './result-store';
import { errorText } from '../library/dicom-header';

const MAX_ATTEMPTS = 2;

export class AnalysisError extends Error {}

export class AnalysisService {
  #queue: Promise<void> = Promise.resolve();
  /** Peak resident memory of the inference process during the last job (benchmarks, status). */
  lastPeakRssBytes = 0;

  constructor(
    private readonly db: LibraryDb,
    private readonly library: LibraryStore,
    private readonly results: ResultStore,
    private readonly models: ModelRegistry,
    private readonly inference: InferenceProcess,
    private readonly publish: (job: JobStatus) => void,
  ) {}

  /** Validates the request, records a queued job and returns it; the job runs in the background. */
  async start(seriesId: number, modelId: string): Promise<JobStatus> {
    const model = this.models.get(modelId);
    if (!model) throw new AnalysisError(`unknown model "${modelId}"`);
    if (!(await this.models.isInstalled(model))) {
      throw new AnalysisError(`${model.manifest.name} is not installed: run "npm run models:install".`);
    }
    const series = this.library.seriesInfo(seriesId);
    if (!series) throw new AnalysisError(`series ${seriesId} is not in the library`);
    if (!model.manifest.modalities.includes(series.modality)) {
      throw new AnalysisError(
        `${model.manifest.name} accepts ${model.manifest.modalities.join(', ')} series, not ${series.modality}`,
      );
    }
    const jobId = this.db.run(
      "INSERT INTO jobs (series_ref, model_id, state, created_at) VALUES (?, ?, 'queued', ?)",
      seriesId,
      modelId,
      new Date().toISOString(),
    ).lastInsertRowid;
    const queued = status(jobId, seriesId, modelId, 'queued', 'queued', 0);
    this.publish(queued);
    this.#queue = this.#queue.then(() => this.#run(jobId, seriesId, modelId));
    return queued;
  }

  /** Resolves when every job queued so far has finished (tests, the CLI). */
  idle(): Promise<void> {
    return this.#queue;
  }

  async #run(jobId: number, seriesId: number, modelId: string): Promise<void> {
    const { manifest, weightsPath } = this.models.get(modelId)!;
    const report = (stage: string, fraction: number): void =>
      this.publish(status(jobId, seriesId, modelId, 'running', stage, fraction));
    this.db.run(
      "UPDATE jobs SET state = 'running', started_at = ? WHERE id = ?",
      new Date().toISOString(),
      jobId,
    );
    try {
      const started = performance.now();
      report('building-volume', 0);
      const volume = await buildSeriesVolume(this.library.seriesInstances(seriesId));
      const volumeBuildMs = performance.now() - started;
      const spec = {
        id: manifest.id,
        path: weightsPath,
        inputName: manifest.input.name,
        outputName: manifest.output.name,
        conformSize: manifest.input.conform.size,
        classCount: manifest.labels.length,
      };
      let segmented;
      for (let attempt = 1; ; attempt++) {
        try {
          segmented = await this.inference.segment(spec, volume, (stage, fraction) =>
            report(stage, fraction),
          );
          break;
        } catch (error) {
          // Only a dead process is worth a second try; a model error would fail the same way again.
          if (!(error instanceof InferenceProcessError) || attempt >= MAX_ATTEMPTS) throw error;
          report('retrying', 0);
        }
      }
      this.lastPeakRssBytes = segmented.peakRssBytes;
      const mlPerVoxel = voxelVolume(volume.affine) / 1000;
      const labels = manifest.labels.map((label) => ({
        value: label.value,
        name: label.name,
        color: label.color,
      }));
      const resultId = this.db.transaction(() => {
        const id = this.results.add({
          seriesId,
          modelId,
          modelName: manifest.name,
          modelVersion: manifest.version,
          weightsSha256: manifest.weights.sha256,
          executionProvider: segmented.executionProvider,
          timings: { ...segmented.timings, volumeBuildMs, totalMs: performance.now() - started },
          labels,
          volumes: labels
            .filter((label) => label.value !== 0)
            .map((label) => {
              const voxels = segmented.labelCounts[label.value] ?? 0;
              return { value: label.value, name: label.name, voxels, millilitres: voxels * mlPerVoxel };
            }),
          dims: volume.dims,
          labelmap: segmented.labels,
        });
        this.db.run(
          "UPDATE jobs SET state = 'completed', result_ref = ?, finished_at = ? WHERE id = ?",
          id,
          new Date().toISOString(),
          jobId,
        );
        return id;
      });
      this.publish({ ...status(jobId, seriesId, modelId, 'completed', 'done', 1), resultId });
    } catch (error) {
      const message = errorText(error);
      this.db.run(
        "UPDATE jobs SET state = 'failed', error = ?, finished_at = ? WHERE id = ?",
        message,
        new Date().toISOString(),
        jobId,
      );
      this.publish({ ...status(jobId, seriesId, modelId, 'failed', 'failed', 1), error: message });
    }
  }
}

function status(
  jobId: number,
  seriesId: number,
  modelId: string,
  state: JobStatus['state'],
  stage: string,
  fraction: number,
): JobStatus {
  return { jobId, seriesId, modelId, state, stage, fraction, error: null, resultId: null };
}
