/**
 * The main-process services composed into one backend, free of any host: Electron and browser
 * mode each wrap it with their own transport.
 */
import { readFile, rm } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import { freemem, totalmem } from 'node:os';
import type {
  BackendMethods,
  EngineSettings,
  EngineStatus,
  ImportReport,
  JobState,
  LibrarySettings,
  ModelEligibility,
  ServerEvent,
  StoredMeasurement,
} from '../../src-shared/api';
import { instanceRecordHead } from '../../src-shared/instance-batch-records';
import { LibraryDb } from '../library/library-db';
import { LibraryStore } from '../library/library-store';
import { ImportService } from '../library/import-service';
import type { ImportOptions, ImportSource } from '../library/import-service';
import { isZipName } from '../library/zip-import';
import { inflatePart10 } from '../library/deflated-part10';
import { DEFLATED_TRANSFER_SYNTAX } from '../library/dicom-tags';
import { readWithOffsetTable } from '../library/offset-table-file';
import { ModelRegistry } from '../models/model-registry';
import { InferenceProcess } from '../inference/inference-process';
import type { InferenceChannelFactory } from '../inference/inference-channel';
import { ResultStore } from '../analysis/result-store';
import { AnalysisService } from '../analysis/analysis-service';
import type { EngineOptions } from '../analysis/analysis-service';
import type { SupervisionOptions } from '../inference/inference-process';
import { modelStats } from '../analysis/engine-stats';
import { JobLog } from '../analysis/job-log';
import { installModel } from '../models/model-install';
import { MeasurementStore } from '../measurements/measurement-store';
import { buildSegmentationOverlay } from '../seg/seg-overlay';
import { analysisRefusal } from '../models/input-gate';
import { framePlacement } from '../analysis/series-volume';

export interface WorkstationOptions {
  /** The app's data folder: the library database and uploaded files live here. */
  readonly dataDir: string;
  /** The folder of `models/<id>/manifest.json` files and their installed weights. */
  readonly modelsDir: string;
  /** The compiled inference process entry file. */
  readonly inferenceEntry: string;
  readonly startInferenceProcess: InferenceChannelFactory;
  /** Retries, timeouts and memory limits of the job system (tests shorten them). */
  readonly engine?: Partial<EngineOptions>;
  readonly supervision?: Partial<SupervisionOptions>;
}

export class Workstation implements BackendMethods {
  readonly db: LibraryDb;
  readonly library: LibraryStore;
  readonly importer: ImportService;
  readonly models: ModelRegistry;
  readonly results: ResultStore;
  readonly inference: InferenceProcess;
  readonly analysis: AnalysisService;
  readonly jobLog: JobLog;
  readonly measurements: MeasurementStore;
  readonly #listeners = new Set<(event: ServerEvent) => void>();
  readonly #imports = new Set<AbortController>();

  constructor(readonly options: WorkstationOptions) {
    this.db = new LibraryDb(join(options.dataDir, 'library.sqlite'));
    this.library = new LibraryStore(this.db);
    this.importer = new ImportService(this.db, this.library);
    this.models = new ModelRegistry(options.modelsDir, join(options.dataDir, 'models'));
    this.results = new ResultStore(this.db);
    this.measurements = new MeasurementStore(this.db);
    this.inference = new InferenceProcess(
      options.inferenceEntry,
      options.startInferenceProcess,
      options.supervision,
    );
    this.jobLog = new JobLog(join(options.dataDir, 'logs'));
    this.analysis = new AnalysisService(
      this.db,
      this.library,
      this.results,
      this.models,
      this.inference,
      (job) => {
        this.jobLog.record(job);
        this.#emit({ type: 'job', job });
      },
      options.engine,
    );
  }

  onEvent(listener: (event: ServerEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async listStudies() {
    return this.library.listStudies();
  }

  async listSeries({ studyInstanceUid }: { studyInstanceUid: string }) {
    return this.library.listSeries(studyInstanceUid);
  }

  async listInstances({ seriesId }: { seriesId: number }) {
    return this.library.listInstances(seriesId);
  }

  async importPaths({ paths }: { paths: string[] }): Promise<ImportReport> {
    const { copyIntoLibrary } = await this.getLibrarySettings();
    const copyInto = copyIntoLibrary ? this.#copiesDir : undefined;
    return this.#runImport((options) => this.importer.importPaths(paths, { ...options, copyInto }));
  }

  async getLibrarySettings(): Promise<LibrarySettings> {
    return { copyIntoLibrary: this.library.setting('copyIntoLibrary') === 'true' };
  }

  async setLibrarySettings({ copyIntoLibrary }: LibrarySettings): Promise<LibrarySettings> {
    this.library.setSetting('copyIntoLibrary', String(copyIntoLibrary));
    return this.getLibrarySettings();
  }

  get #copiesDir(): string {
    return join(this.options.dataDir, 'copies');
  }

  /** Files a host has already stored (browser uploads), named as the user knows them. */
  async importSources(sources: readonly ImportSource[]): Promise<ImportReport> {
    const report = await this.#runImport((options) => this.importer.importSources(sources, [], options));
    // An uploaded ZIP's entries were copied into the library: the archive itself is not kept.
    await Promise.all(
      sources.filter((s) => isZipName(s.displayName)).map((s) => rm(s.path, { force: true })),
    );
    return report;
  }

  async deleteStudy({ studyInstanceUid }: { studyInstanceUid: string }) {
    const paths = this.library.deleteStudy(studyInstanceUid);
    // Only copies the library made (uploads, copies) are removed; referenced files stay where they are.
    const madeHere = [join(this.options.dataDir, 'uploads'), this.#copiesDir];
    const copies = paths.filter((path) =>
      madeHere.some((folder) => {
        const inside = relative(folder, path);
        return inside !== '' && !inside.startsWith('..') && !isAbsolute(inside);
      }),
    );
    await Promise.all(copies.map((path) => rm(path, { force: true })));
    this.#emit({ type: 'library-changed' });
    return { filesRemoved: copies.length };
  }

  async cancelImports() {
    for (const controller of this.#imports) controller.abort();
    return { cancelled: this.#imports.size };
  }

  async listModels() {
    return this.models.list();
  }

  async startAnalysis({ seriesId, modelId }: { seriesId: number; modelId: string }) {
    return this.analysis.start(seriesId, modelId);
  }

  async listResults({ seriesId }: { seriesId: number }) {
    return this.results.listForSeries(seriesId);
  }

  /** "Install model…": checks the model against its manifest in the inference process, then registers it. */
  async installModel({ onnxPath, manifestPath }: { onnxPath: string; manifestPath: string }) {
    const userModelsDir = this.models.userModelsDir!;
    const manifest = await installModel(
      onnxPath,
      manifestPath,
      userModelsDir,
      (path) => this.inference.inspect(path),
      (id) => this.models.get(id) !== undefined,
    );
    this.models.load(join(userModelsDir, manifest.id));
    return (await this.models.list()).find((model) => model.id === manifest.id)!;
  }

  async seriesEligibility({ seriesId }: { seriesId: number }): Promise<ModelEligibility[]> {
    const series = this.library.seriesInfo(seriesId);
    if (!series) throw new Error(`series ${seriesId} is not in the library`);
    const instances = this.library.seriesInstances(seriesId);
    const frames = await framePlacement(instances);
    return this.models
      .all()
      .filter(({ manifest }) => manifest.modalities.includes(series.modality))
      .map(({ manifest }) => {
        const reason = analysisRefusal(manifest, series.modality, instances, frames);
        return { modelId: manifest.id, eligible: reason === null, reason };
      });
  }

  async getEngineSettings(): Promise<EngineSettings> {
    return { autoAnalyze: this.library.setting('autoAnalyze') === 'true' };
  }

  async setEngineSettings(settings: EngineSettings): Promise<EngineSettings> {
    this.library.setSetting('autoAnalyze', String(settings.autoAnalyze));
    return this.getEngineSettings();
  }

  async listJobs({ states }: { states: JobState[] }) {
    return this.analysis.list(states);
  }

  async cancelJob({ jobId }: { jobId: number }) {
    return this.analysis.cancel(jobId);
  }

  async retryJob({ jobId }: { jobId: number }) {
    return this.analysis.retry(jobId);
  }

  async prioritizeJob({ jobId }: { jobId: number }) {
    return this.analysis.prioritize(jobId);
  }

  async engineStatus(): Promise<EngineStatus> {
    const inference = this.inference.status();
    const counts = this.analysis.jobs.counts();
    const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
    return {
      process: inference,
      provider: {
        inUse: this.analysis.lastProvider?.inUse ?? null,
        skipped: this.analysis.lastProvider?.skipped ?? [],
      },
      loadedModels: [...this.analysis.loadedModels],
      memory: { freeBytes: freemem(), totalBytes: totalmem() },
      queue: { queued: counts.queued, running: counts.running, failed: counts.failed },
      lastHour: modelStats(this.analysis.jobs.finishedSince(hourAgo), 60),
      overall: modelStats(this.analysis.jobs.finishedSince(null), null),
    };
  }

  async loadSegmentation({ segSeriesId, seriesId }: { segSeriesId: number; seriesId: number }) {
    return buildSegmentationOverlay(this.library, segSeriesId, seriesId);
  }

  async listMeasurements({ seriesId }: { seriesId: number }) {
    return this.measurements.listForSeries(seriesId);
  }

  async saveMeasurement(measurement: Omit<StoredMeasurement, 'createdAt'>) {
    return this.measurements.save(measurement);
  }

  async deleteMeasurement({ uid }: { uid: string }) {
    return { deleted: this.measurements.delete(uid) };
  }

  /**
   * An instance's file as the viewer reads it: a path to send as it is, or, for a deflated data
   * set, the bytes rewritten as explicit VR little endian (Cornerstone's loader cannot inflate),
   * or, for compressed multi-frame data whose frames span fragments without a Basic Offset Table,
   * the bytes with that table filled in (Cornerstone's loader then splits the frames right).
   */
  async instanceContent(
    instanceId: number,
  ): Promise<{ path: string } | { bytes: Uint8Array<ArrayBuffer> } | undefined> {
    const file = this.library.instanceFile(instanceId);
    if (!file) return undefined;
    if (file.transferSyntax === DEFLATED_TRANSFER_SYNTAX)
      return { bytes: inflatePart10(new Uint8Array(await readFile(file.path))) };
    const withTable = await readWithOffsetTable(file);
    return withTable ? { bytes: withTable } : { path: file.path };
  }

  /**
   * Several instances' content in one stream (instanceBatchPath's records), in the order asked.
   * An instance not in the library, or whose file cannot be read now, is left out.
   */
  async *instanceBatch(instanceIds: readonly number[]): AsyncGenerator<Uint8Array> {
    for (const instanceId of instanceIds) {
      let bytes: Uint8Array;
      try {
        const content = await this.instanceContent(instanceId);
        if (!content) continue;
        bytes = 'bytes' in content ? content.bytes : await readFile(content.path);
      } catch {
        continue;
      }
      yield instanceRecordHead(instanceId, bytes.byteLength);
      yield bytes;
    }
  }

  labelmap(resultId: number): Uint8Array | undefined {
    return this.results.labelmap(resultId);
  }

  close(): void {
    this.analysis.close();
    this.inference.shutdown();
    this.db.close();
  }

  /** Runs an import that can be cancelled, pushing its progress; new series are listed as they land. */
  async #runImport(start: (options: ImportOptions) => Promise<ImportReport>): Promise<ImportReport> {
    const controller = new AbortController();
    this.#imports.add(controller);
    let listed = 0;
    try {
      const report = await start({
        signal: controller.signal,
        zipCopiesInto: this.#copiesDir,
        onProgress: (progress) => {
          this.#emit({ type: 'import-progress', progress });
          if (progress.indexed > listed) {
            listed = progress.indexed;
            this.#emit({ type: 'library-changed' });
          }
        },
      });
      // Ordering of the stacks is written after the last batch: list once more.
      if (report.indexed > 0) this.#emit({ type: 'library-changed' });
      if (report.indexed > 0 && (await this.getEngineSettings()).autoAnalyze)
        await this.#analyzeStudies(report.studiesTouched);
      return report;
    } finally {
      this.#imports.delete(controller);
    }
  }

  /** Queues every installed model on every series it accepts, so results are ready when the study is opened. */
  async #analyzeStudies(studyUids: readonly string[]): Promise<void> {
    const models = (await this.models.list()).filter((model) => model.installed);
    for (const studyInstanceUid of studyUids) {
      for (const series of this.library.listSeries(studyInstanceUid)) {
        const eligible = new Set(
          (await this.seriesEligibility({ seriesId: series.seriesId }))
            .filter((e) => e.eligible)
            .map((e) => e.modelId),
        );
        // Test models (meaningless weights) are never started on their own.
        for (const model of models.filter((m) => eligible.has(m.id) && !m.testOnly)) {
          try {
            await this.analysis.start(series.seriesId, model.id);
          } catch (error) {
            // One series that cannot be analysed (too few slices, say) must not stop the others.
            console.warn(
              `automatic analysis of series ${series.seriesId} with ${model.id}: ${error instanceof Error ? error.message : String(error)}`,
            );
          }
        }
      }
    }
  }

  #emit(event: ServerEvent): void {
    for (const listener of this.#listeners) listener(event);
  }
}
