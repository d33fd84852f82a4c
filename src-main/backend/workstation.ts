/**
 * The main-process services composed into one backend, free of any host: Electron and browser
 * mode each wrap it with their own transport.
 */
import { rm } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import type { BackendMethods, ImportReport, LibrarySettings, ServerEvent } from '../../src-shared/api';
import { LibraryDb } from '../library/library-db';
import { LibraryStore } from '../library/library-store';
import { ImportService } from '../library/import-service';
import type { ImportOptions, ImportSource } from '../library/import-service';
import { ModelRegistry } from '../models/model-registry';
import { InferenceProcess } from '../inference/inference-process';
import type { InferenceChannelFactory } from '../inference/inference-channel';
import { ResultStore } from '../analysis/result-store';
import { AnalysisService } from '../analysis/analysis-service';

export interface WorkstationOptions {
  /** The app's data folder: the library database and uploaded files live here. */
  readonly dataDir: string;
  /** The folder of `models/<id>/manifest.json` files and their installed weights. */
  readonly modelsDir: string;
  /** The compiled inference process entry file. */
  readonly inferenceEntry: string;
  readonly startInferenceProcess: InferenceChannelFactory;
}

export class Workstation implements BackendMethods {
  readonly db: LibraryDb;
  readonly library: LibraryStore;
  readonly importer: ImportService;
  readonly models: ModelRegistry;
  readonly results: ResultStore;
  readonly inference: InferenceProcess;
  readonly analysis: AnalysisService;
  readonly #listeners = new Set<(event: ServerEvent) => void>();
  readonly #imports = new Set<AbortController>();

  constructor(readonly options: WorkstationOptions) {
    this.db = new LibraryDb(join(options.dataDir, 'library.sqlite'));
    this.library = new LibraryStore(this.db);
    this.importer = new ImportService(this.db, this.library);
    this.models = new ModelRegistry(options.modelsDir);
    this.results = new ResultStore(this.db);
    this.inference = new InferenceProcess(options.inferenceEntry, options.startInferenceProcess);
    this.analysis = new AnalysisService(
      this.db,
      this.library,
      this.results,
      this.models,
      this.inference,
      (job) => this.#emit({ type: 'job', job }),
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
    return this.#runImport((options) => this.importer.importSources(sources, [], options));
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

  instancePath(instanceId: number): string | undefined {
    return this.library.instancePath(instanceId);
  }

  labelmap(resultId: number): Uint8Array | undefined {
    return this.results.labelmap(resultId);
  }

  close(): void {
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
      return report;
    } finally {
      this.#imports.delete(controller);
    }
  }

  #emit(event: ServerEvent): void {
    for (const listener of this.#listeners) listener(event);
  }
}
