/**
 * The job system: every analysis is a row of the job table, run one at a time in order of priority
 * then arrival. A job builds the series volume in main, is answered from the result cache when an
 * earlier job saw the same model, weights, parameters and pixels, and otherwise has the inference
 * process segment it under a timeout scaled to its size. A process that dies, hangs or times out
 * is restarted and the job retried with backoff (at most `maxRetries` times), then failed with the
 * reason; a model error fails at once. Jobs queued or running when the app stops resume on the
 * next start. 2D classification jobs of one model may run together as one batch request (see
 * JobPolicy.batching).
 */
import { cpus, freemem } from 'node:os';
import type { JobRecord, JobState, JobStatus } from '../../src-shared/api';
import { voxelVolume } from '../../src-shared/geometry';
import type { ClassifierSpec, ClassifyResult, ModelSpec } from '../../src-shared/inference-protocol';
import type { ClassificationManifest, SegmentationManifest } from '../../src-shared/models';
import { preprocessXray } from '../../src-shared/xray-preprocess';
import type { LibraryDb } from '../library/library-db';
import type { LibraryStore } from '../library/library-store';
import type { ModelRegistry, RegisteredModel } from '../models/model-registry';
import { InferenceProcessError } from '../inference/inference-process';
import type { InferenceProcess } from '../inference/inference-process';
import {
  buildGreyImage,
  buildSeriesVolume,
  framePlacement,
  inDisplayOrder,
  reorderSlices,
} from './series-volume';
import { colourNote } from './colour-luminance';
import { analysisRefusal } from '../models/input-gate';
import type { ResultStore } from './result-store';
import { errorText } from '../library/dicom-header';
import { JobStore } from './job-store';
import type { JobRow } from './job-store';
import { cacheKey, inputsSha256, pixelsSha256, seriesSopUids } from './input-identity';
import { batchesJobs, DEFAULT_JOB_POLICY, retryDelayMs, segmentationBytes, timeoutMs } from './job-policy';
import type { JobPolicy } from './job-policy';

export class AnalysisError extends Error {}
class JobCancelled extends Error {}

export interface EngineOptions extends JobPolicy {
  /** Bytes the inference process may still take (free memory by default; tests lower it). */
  readonly availableMemory: () => number;
}

/** The job (or batch of classification jobs) on the inference process now. */
interface Running {
  readonly jobIds: readonly number[];
  readonly cancelled: Set<number>;
}

export class AnalysisService {
  readonly jobs: JobStore;
  /** Peak resident memory of the inference process during the last job (benchmarks, status). */
  lastPeakRssBytes = 0;
  /** Milliseconds the last cache hit took from request to completed job (benchmarks). */
  lastCacheHitMs: number | null = null;
  /** The provider the last segmentation ran on, and why the preferred ones were not used. */
  lastProvider: { inUse: string; skipped: readonly { provider: string; reason: string }[] } | null = null;
  readonly loadedModels = new Set<string>();
  readonly #options: EngineOptions;
  /** The provider each classifier last ran on: it decides whether its jobs are batched. */
  readonly #classifierProviders = new Map<string, string>();
  #running: Running | null = null;
  #active: Promise<void> | null = null;
  #idleWaiters: Array<() => void> = [];
  #closed = false;

  constructor(
    private readonly db: LibraryDb,
    private readonly library: LibraryStore,
    private readonly results: ResultStore,
    private readonly models: ModelRegistry,
    private readonly inference: InferenceProcess,
    private readonly publish: (job: JobStatus) => void,
    options: Partial<EngineOptions> = {},
  ) {
    this.#options = { ...DEFAULT_JOB_POLICY, availableMemory: freemem, ...options };
    this.jobs = new JobStore(db);
    // Jobs that were running when the app stopped run again; the next tick lets listeners attach first.
    if (this.jobs.requeueInterrupted() > 0 || this.jobs.next()) setImmediate(() => this.#pump());
  }

  /**
   * Validates the request and records a job. A cache hit returns the job already completed;
   * otherwise it is queued and runs in the background.
   */
  async start(seriesId: number, modelId: string, priority = 0): Promise<JobStatus> {
    const requested = performance.now();
    const model = await this.#usableModel(modelId);
    const series = this.library.seriesInfo(seriesId);
    if (!series) throw new AnalysisError(`series ${seriesId} is not in the library`);
    const { manifest } = model;
    const instances = this.library.seriesInstances(seriesId);
    const refusal = analysisRefusal(manifest, series.modality, instances, await framePlacement(instances));
    if (refusal) throw new AnalysisError(refusal);
    const sopUids = seriesSopUids(this.db, seriesId);
    const inputs = inputsSha256(series.seriesUid, sopUids);
    const params = cacheParams(model);
    const jobId = this.jobs.add({
      seriesId,
      modelId,
      modelVersion: manifest.version,
      weightsSha256: manifest.weights.sha256,
      params,
      seriesUid: series.seriesUid,
      instanceUids: sopUids,
      inputsSha256: inputs,
      priority,
    });
    // The same instances were decoded before: their pixel hash is known, so the cache can answer now.
    const knownPixels = this.jobs.knownPixels(inputs);
    if (knownPixels) {
      const key = cacheKey(modelId, manifest.weights.sha256, params, knownPixels);
      this.jobs.setPixels(jobId, knownPixels, key);
      const hit = this.#answerFromCache(jobId, seriesId, key);
      if (hit) {
        this.lastCacheHitMs = performance.now() - requested;
        return hit;
      }
    }
    const queued = statusOf(this.jobs.get(jobId)!, 'queued', 0);
    this.publish(queued);
    this.#pump();
    return queued;
  }

  /** Resolves when no job is queued or running (tests, the CLI). */
  idle(): Promise<void> {
    if (!this.#active && !this.jobs.next()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Cancels a queued job at once, or a running one by ending the inference process. */
  async cancel(jobId: number): Promise<JobStatus> {
    const row = this.#row(jobId);
    if (row.state === 'queued') {
      this.jobs.finish(jobId, 'cancelled', 'cancelled by the user');
      const cancelled = statusOf(this.#row(jobId), 'cancelled', 1);
      this.publish(cancelled);
      return cancelled;
    }
    if (row.state === 'running' && this.#running?.jobIds.includes(jobId)) {
      this.#running.cancelled.add(jobId);
      // Others of its batch are retried on the fresh process.
      this.inference.kill('the job was cancelled');
      await this.#active;
    }
    const now = this.#row(jobId);
    return statusOf(now, now.state, 1);
  }

  /** Queues a failed or cancelled job again, with a fresh count of attempts. */
  retry(jobId: number): JobStatus {
    const row = this.#row(jobId);
    if (!this.jobs.retry(jobId))
      throw new AnalysisError(`job ${jobId} is ${row.state}: only failed or cancelled jobs can be retried`);
    const queued = statusOf(this.#row(jobId), 'queued', 0);
    this.publish(queued);
    this.#pump();
    return queued;
  }

  /** Moves a queued job ahead of every other (the series on screen). */
  prioritize(jobId: number): JobStatus {
    const row = this.#row(jobId);
    if (row.state === 'queued') this.jobs.prioritize(jobId);
    const now = this.#row(jobId);
    return statusOf(now, now.state === 'queued' ? 'queued' : now.state, now.state === 'queued' ? 0 : 1);
  }

  list(states: readonly JobState[]): JobRecord[] {
    return this.jobs.list(states);
  }

  /** Stops taking jobs (the app is closing); the job table keeps the rest for the next start. */
  close(): void {
    this.#closed = true;
  }

  #row(jobId: number): JobRow {
    const row = this.jobs.get(jobId);
    if (!row) throw new AnalysisError(`job ${jobId} does not exist`);
    return row;
  }

  async #usableModel(modelId: string): Promise<RegisteredModel> {
    const model = this.models.get(modelId);
    if (!model) throw new AnalysisError(`unknown model "${modelId}"`);
    if (!(await this.models.isInstalled(model))) {
      throw new AnalysisError(`${model.manifest.name} is not installed: run "npm run models:install".`);
    }
    return model;
  }

  #pump(): void {
    if (this.#active || this.#closed) return;
    const next = this.jobs.next();
    if (!next) {
      const waiters = this.#idleWaiters;
      this.#idleWaiters = [];
      for (const resolve of waiters) resolve();
      return;
    }
    const classifier = this.models.get(next.model_id)?.manifest.task === 'classification';
    this.#running = { jobIds: [next.id], cancelled: new Set() };
    this.#active = (classifier ? this.#runClassifications(next) : this.#run(next)).finally(() => {
      this.#running = null;
      this.#active = null;
      this.#pump();
    });
  }

  #answerFromCache(jobId: number, seriesId: number, key: string): JobStatus | null {
    const hit = this.jobs.cachedByKey(key);
    if (!hit || hit.result_ref === null) return null;
    const resultId = this.db.transaction(() => {
      // Another series with the same pixels gets its own copy, so each series lists its results.
      const id =
        hit.series_ref === seriesId ? hit.result_ref! : this.results.copyToSeries(hit.result_ref!, seriesId);
      this.jobs.complete(jobId, { resultId: id, provider: hit.provider ?? 'cache', cached: true });
      return id;
    });
    const completed = { ...statusOf(this.jobs.get(jobId)!, 'done (cached)', 1), resultId };
    this.publish(completed);
    return completed;
  }

  async #run(row: JobRow): Promise<void> {
    const jobId = row.id;
    const seriesId = row.series_ref;
    const report = (stage: string, fraction: number): void => {
      const now = this.jobs.get(jobId);
      if (now) this.publish(statusOf(now, stage, fraction));
    };
    this.jobs.markRunning(jobId);
    try {
      const model = await this.#usableModel(row.model_id);
      const manifest = segmentationManifest(model);
      const started = performance.now();
      report('building-volume', 0);
      const instances = this.library.seriesInstances(seriesId);
      if (instances.length === 0) throw new AnalysisError('the series was deleted from the library');
      const volume = await buildSeriesVolume(instances);
      const volumeBuildMs = performance.now() - started;
      this.#checkCancelled();

      const params = cacheParams(model);
      // Results are stored in display order: the same pixels shown in another order are another
      // input (a series of images keeps the hash it always had).
      const order = inDisplayOrder(volume.displayIndex) ? {} : { displayIndex: volume.displayIndex };
      const pixels = pixelsSha256({ dims: volume.dims, affine: volume.affine, ...order }, volume.data);
      const key = cacheKey(row.model_id, manifest.weights.sha256, params, pixels);
      this.jobs.setPixels(jobId, pixels, key);
      if (this.#answerFromCache(jobId, seriesId, key)) return;

      const spec = modelParams(model.weightsPath, manifest);
      const seriesVoxels = volume.data.length;
      const needed = segmentationBytes(seriesVoxels, spec.conformSize, spec.classCount);
      const available = this.#options.availableMemory() + (this.inference.status().rssBytes ?? 0);
      if (needed > available) {
        throw new AnalysisError(
          `not enough memory for ${manifest.name}: it needs about ${gib(needed)} and ${gib(available)} is free. ` +
            'Close other programs and retry.',
        );
      }
      const limitMs = timeoutMs(
        this.#options,
        seriesVoxels + spec.conformSize ** 3,
        this.lastProvider?.inUse ?? null,
      );
      let segmented;
      for (let retry = 0; ; retry++) {
        // Hashing a large volume takes a while: a cancel during it is honoured before the model starts.
        this.#checkCancelled();
        this.jobs.countAttempt(jobId);
        try {
          // The volume alone goes to the process (its display order stays here).
          const { dims, affine, data } = volume;
          segmented = await this.inference.segment(spec, { dims, affine, data }, report, limitMs);
          // A cancel that came while no process was running to end: honoured now, nothing stored.
          this.#checkCancelled();
          break;
        } catch (error) {
          this.#checkCancelled();
          // Only a dead, hung or late process is worth another try; a model error would repeat.
          const attempts = this.jobs.get(jobId)?.attempts ?? Infinity;
          if (!(error instanceof InferenceProcessError) || attempts > this.#options.maxRetries) throw error;
          this.jobs.noteError(jobId, errorText(error));
          report('retrying', 0);
          await new Promise((resolve) => setTimeout(resolve, retryDelayMs(this.#options, retry + 1)));
          this.#checkCancelled();
        }
      }
      this.lastPeakRssBytes = segmented.peakRssBytes;
      this.lastProvider = { inUse: segmented.executionProvider, skipped: segmented.skippedProviders };
      this.loadedModels.add(row.model_id);
      const mlPerVoxel = voxelVolume(volume.affine) / 1000;
      const labels = manifest.labels.map((label) => ({
        value: label.value,
        name: label.name,
        color: label.color,
      }));
      const resultId = this.db.transaction(() => {
        if (!this.library.seriesInfo(seriesId))
          throw new AnalysisError('the series was deleted from the library');
        const id = this.results.add({
          seriesId,
          modelId: row.model_id,
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
          labelmap: reorderSlices(
            segmented.labels,
            volume.dims[0] * volume.dims[1],
            volume.displayIndex,
            'display',
          ),
          task: 'segmentation',
          findings: [],
          camSize: null,
          testOnly: manifest.testOnly === true,
          inputNote: null,
        });
        this.jobs.complete(jobId, { resultId: id, provider: segmented.executionProvider, cached: false });
        return id;
      });
      this.publish({ ...statusOf(this.jobs.get(jobId)!, 'done', 1), resultId });
    } catch (error) {
      // The app is closing: the row stays 'running' and the job resumes on the next start.
      if (this.#closed) return;
      this.#fail(row, error, error instanceof JobCancelled || this.#running?.cancelled.has(jobId) === true);
    }
  }

  #checkCancelled(): void {
    if (this.#running?.cancelled.size) throw new JobCancelled('cancelled by the user');
  }

  /**
   * Runs `first` and, when batching is on, the jobs of the same model queued within the window (up
   * to the largest batch) as one request. Each job keeps its own row, cache check and result; a
   * dead process retries the batch, a cancelled job leaves it.
   */
  async #runClassifications(first: JobRow): Promise<void> {
    const { batchWindowMs, maxBatchSize } = this.#options;
    this.jobs.markRunning(first.id);
    const batching = batchesJobs(
      this.#options,
      this.#classifierProviders.get(first.model_id) ?? null,
      cpus().length,
    );
    if (batching) await new Promise((resolve) => setTimeout(resolve, batchWindowMs));
    const rows = [first];
    if (batching) {
      for (const row of this.jobs.queuedOfModel(first.model_id, maxBatchSize - 1)) {
        this.jobs.markRunning(row.id);
        rows.push(row);
      }
    }
    const running = { jobIds: rows.map((row) => row.id), cancelled: this.#running!.cancelled };
    this.#running = running;
    const started = performance.now();
    let batch: { row: JobRow; input: Float32Array; readMs: number }[] = [];
    let model: RegisteredModel;
    let manifest: ClassificationManifest;
    try {
      model = await this.#usableModel(first.model_id);
      manifest = classificationManifest(model);
    } catch (error) {
      for (const row of rows) this.#fail(row, error, false);
      return;
    }
    const params = cacheParams(model);
    for (const row of rows) {
      try {
        const [instance, ...more] = this.library.seriesInstances(row.series_ref);
        if (!instance) throw new AnalysisError('the series was deleted from the library');
        if (more.length > 0) throw new AnalysisError(`${manifest.name} reads one image per series`);
        const readStarted = performance.now();
        const input = preprocessXray(await buildGreyImage(instance), manifest.input.size);
        // The model sees only the preprocessed image: hashing it (a fifth of a 1024^2 image's
        // floats) identifies the input as well and costs less.
        const pixels = pixelsSha256({ size: manifest.input.size }, input);
        const key = cacheKey(row.model_id, manifest.weights.sha256, params, pixels);
        this.jobs.setPixels(row.id, pixels, key);
        if (this.#answerFromCache(row.id, row.series_ref, key)) continue;
        batch.push({ row, input, readMs: performance.now() - readStarted });
      } catch (error) {
        this.#fail(row, error, false);
      }
    }
    const spec = classifierParams(model.weightsPath, manifest);
    for (let retry = 0; batch.length > 0; retry++) {
      for (const { row } of batch.filter(({ row }) => running.cancelled.has(row.id)))
        this.#fail(row, null, true);
      batch = batch.filter(({ row }) => !running.cancelled.has(row.id));
      if (batch.length === 0) return;
      for (const { row } of batch) this.jobs.countAttempt(row.id);
      const input = new Float32Array(batch.length * spec.inputSize ** 2);
      batch.forEach((item, n) => input.set(item.input, n * spec.inputSize ** 2));
      let classified: ClassifyResult;
      try {
        classified = await this.inference.classify(
          spec,
          input,
          batch.length,
          timeoutMs(this.#options, input.length, this.lastProvider?.inUse ?? null),
        );
      } catch (error) {
        if (this.#closed) return;
        const cancelled = batch.filter(({ row }) => running.cancelled.has(row.id));
        for (const { row } of cancelled) this.#fail(row, error, true);
        batch = batch.filter(({ row }) => !running.cancelled.has(row.id));
        const attempts = Math.max(...batch.map(({ row }) => this.jobs.get(row.id)?.attempts ?? Infinity));
        const worthRetry = error instanceof InferenceProcessError && attempts <= this.#options.maxRetries;
        if (cancelled.length > 0 || worthRetry) {
          if (worthRetry) {
            for (const { row } of batch) this.jobs.noteError(row.id, errorText(error));
            await new Promise((resolve) => setTimeout(resolve, retryDelayMs(this.#options, retry + 1)));
          }
          continue;
        }
        for (const { row } of batch) this.#fail(row, error, false);
        return;
      }
      this.lastProvider = { inUse: classified.executionProvider, skipped: classified.skippedProviders };
      this.#classifierProviders.set(first.model_id, classified.executionProvider);
      this.loadedModels.add(first.model_id);
      batch.forEach(({ row, readMs }, n) => {
        try {
          if (running.cancelled.has(row.id)) throw new JobCancelled('cancelled by the user');
          this.#storeClassification(row, manifest, classified, n, readMs, started);
        } catch (error) {
          this.#fail(row, error, error instanceof JobCancelled);
        }
      });
      return;
    }
  }

  #storeClassification(
    row: JobRow,
    manifest: ClassificationManifest,
    classified: ClassifyResult,
    index: number,
    readMs: number,
    started: number,
  ): void {
    const image = classified.images[index]!;
    const camCells = image.cam ? image.cam.length / manifest.labels.length : 0;
    const camEdge = Math.round(Math.sqrt(camCells));
    const findings = manifest.labels.map((label, c) => {
      const score = image.probabilities[c]!;
      return {
        name: label.name,
        score,
        threshold: label.threshold,
        aboveThreshold: score >= label.threshold,
        cam:
          image.cam && camEdge ** 2 === camCells
            ? Array.from(image.cam.subarray(c * camCells, (c + 1) * camCells))
            : null,
      };
    });
    const instance = this.library.seriesInstances(row.series_ref)[0];
    const resultId = this.db.transaction(() => {
      if (!instance || !this.library.seriesInfo(row.series_ref))
        throw new AnalysisError('the series was deleted from the library');
      const id = this.results.add({
        seriesId: row.series_ref,
        modelId: row.model_id,
        modelName: manifest.name,
        modelVersion: manifest.version,
        weightsSha256: manifest.weights.sha256,
        executionProvider: classified.executionProvider,
        timings: {
          volumeBuildMs: readMs,
          conformMs: 0,
          modelRunMs: classified.modelRunMs,
          postprocessMs: 0,
          totalMs: performance.now() - started,
        },
        labels: [],
        volumes: [],
        dims: [instance.columns, instance.rows, 1],
        labelmap: new Uint8Array(0),
        task: 'classification',
        findings,
        camSize: findings[0]?.cam ? [camEdge, camEdge] : null,
        testOnly: manifest.testOnly === true,
        inputNote: colourNote(instance),
      });
      this.jobs.complete(row.id, { resultId: id, provider: classified.executionProvider, cached: false });
      return id;
    });
    this.publish({ ...statusOf(this.jobs.get(row.id)!, 'done', 1), resultId });
  }

  /** Ends one job as failed (or cancelled) with its reason and tells the renderer. */
  #fail(row: JobRow, error: unknown, cancelled: boolean): void {
    const message = cancelled ? 'cancelled by the user' : describeFailure(error);
    this.jobs.finish(row.id, cancelled ? 'cancelled' : 'failed', message);
    // A deleted series takes its job rows with it (ON DELETE CASCADE): report from what we held.
    const now = this.jobs.get(row.id) ?? { ...row, state: 'failed' as const, error: message };
    this.publish({ ...statusOf(now, cancelled ? 'cancelled' : 'failed', 1), error: message });
  }
}

function segmentationManifest(model: RegisteredModel): SegmentationManifest {
  if (model.manifest.task !== 'segmentation')
    throw new AnalysisError(`${model.manifest.name} is not a segmentation model`);
  return model.manifest;
}

function classificationManifest(model: RegisteredModel): ClassificationManifest {
  if (model.manifest.task !== 'classification')
    throw new AnalysisError(`${model.manifest.name} is not a classification model`);
  return model.manifest;
}

/** The model's parameters as the cache key sees them: everything the worker is told but the file path. */
function cacheParams(model: RegisteredModel): string {
  const { manifest, weightsPath } = model;
  const spec =
    manifest.task === 'segmentation'
      ? modelParams(weightsPath, manifest)
      : classifierParams(weightsPath, manifest);
  return JSON.stringify(spec, (key, value: unknown) => (key === 'path' ? undefined : value));
}

/** What the inference process needs of a segmentation model. */
function modelParams(weightsPath: string, manifest: SegmentationManifest): ModelSpec {
  return {
    id: manifest.id,
    path: weightsPath,
    inputName: manifest.input.name,
    outputName: manifest.output.name,
    conformSize: manifest.input.conform.size,
    classCount: manifest.labels.length,
  };
}

/** What the inference process needs of a classifier. */
function classifierParams(weightsPath: string, manifest: ClassificationManifest): ClassifierSpec {
  return {
    id: manifest.id,
    path: weightsPath,
    inputName: manifest.input.name,
    inputSize: manifest.input.size,
    logitsName: manifest.output.name,
    camName: manifest.cam?.name ?? null,
    classCount: manifest.labels.length,
  };
}

function describeFailure(error: unknown): string {
  const text = errorText(error);
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOSPC' || /ENOSPC|SQLITE_FULL|database or disk is full/i.test(text)) {
    return `the disk is full, so the result could not be saved (${text}). Free some space and retry.`;
  }
  return text;
}

function gib(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(1)} GB`;
}

function statusOf(row: JobRow, stage: string, fraction: number): JobStatus {
  return {
    jobId: row.id,
    seriesId: row.series_ref,
    modelId: row.model_id,
    state: row.state,
    stage,
    fraction,
    error: row.error,
    resultId: row.result_ref,
  };
}
