/**
 * The contract between the renderer and the main-process services.
 *
 * The same methods are carried by Electron IPC (preload) and by HTTP/WebSocket (browser mode);
 * `BackendMethods` is what main implements, `WorkstationApi` is what the renderer sees.
 */

export type HostKind = 'electron' | 'browser';

export interface StudySummary {
  readonly studyInstanceUid: string;
  readonly patientName: string;
  readonly patientId: string;
  readonly patientBirthDate: string;
  /** DICOM DA, YYYYMMDD, or '' when absent. */
  readonly studyDate: string;
  readonly studyDescription: string;
  readonly modalities: readonly string[];
  readonly seriesCount: number;
  /** Image instances only: reports, segmentations and other objects are not counted as images. */
  readonly instanceCount: number;
}

/** What a series holds: only 'image' series are offered to the viewer. */
export type SeriesKind = 'image' | 'seg' | 'sr' | 'rtstruct' | 'waveform' | 'pr' | 'nifti' | 'other';

export interface SeriesSummary {
  /** Library key of the series (stable across restarts). */
  readonly seriesId: number;
  readonly seriesInstanceUid: string;
  readonly studyInstanceUid: string;
  readonly modality: string;
  readonly seriesNumber: number | null;
  readonly seriesDescription: string;
  readonly instanceCount: number;
  readonly rows: number;
  readonly columns: number;
  /** Results already stored for this series, newest first. */
  readonly resultCount: number;
  readonly kind: SeriesKind;
  /** SEG (and other derived objects): the series they were drawn on, when they name one. */
  readonly referencedSeriesUid: string | null;
  /** Frames over all instances (a multi-frame instance counts each frame). */
  readonly frameCount: number;
  /**
   * Why this stack was split from the others of its DICOM series (orientation, size, spacing, echo,
   * acquisition); null when the series is one stack. Split stacks share seriesInstanceUid.
   */
  readonly splitReason: string | null;
  /** Usual distance between slices along the normal, mm; null when unknown or a single image. */
  readonly sliceSpacing: number | null;
  /** Missing slices: steps over 1.5 times the usual spacing. */
  readonly sliceGaps: number;
  /** Some steps differ from the usual spacing by over 10 %. */
  readonly spacingIrregular: boolean;
  /** Frame of Reference UID ('' when absent): viewports of the same one scroll in sync. */
  readonly frameOfReferenceUid: string;
}

export interface InstanceRef {
  readonly instanceId: number;
  readonly sopInstanceUid: string;
  readonly instanceNumber: number | null;
  /** Frames in the instance: a multi-frame instance is shown as its frames. */
  readonly frames: number;
  /** The file it was imported from is no longer there (a referenced file moved or deleted). */
  readonly missing: boolean;
  /** URL the renderer hands to Cornerstone's wadouri loader (custom scheme or loopback HTTP). */
  readonly url: string;
  /** Image Position (Patient) in mm (LPS); null when absent. */
  readonly position: readonly [number, number, number] | null;
  /** Image Orientation (Patient): row then column direction cosines; null when absent. */
  readonly orientation: readonly number[] | null;
  /** Enhanced multi-frame: each frame's position; null otherwise. */
  readonly framePositions: ReadonlyArray<readonly [number, number, number]> | null;
  /** A DICOM file, or a NIfTI volume (its frames are its slices). */
  readonly format: 'dicom' | 'nifti';
  /** Photometric Interpretation (0028,0004), e.g. MONOCHROME2, RGB, PALETTE COLOR. */
  readonly photometric: string;
}

export type ImportOutcome = 'indexed' | 'duplicate' | 'not-dicom' | 'unreadable';

export interface ImportFailure {
  /** The path or name as the user gave it. */
  readonly path: string;
  readonly outcome: Exclude<ImportOutcome, 'indexed' | 'duplicate'>;
  readonly reason: string;
}

export interface LibrarySettings {
  /**
   * Copy imported files into the library folder instead of referencing them where they are
   * (browser-mode uploads are always copies).
   */
  readonly copyIntoLibrary: boolean;
}

/** How far an import has come; pushed while it runs. */
export interface ImportProgress {
  readonly filesFound: number;
  readonly filesRead: number;
  readonly indexed: number;
  readonly duplicates: number;
  readonly failed: number;
  readonly elapsedMs: number;
}

export interface ImportReport {
  readonly filesFound: number;
  /** Fewer than filesFound when the import was cancelled. */
  readonly filesRead: number;
  readonly cancelled: boolean;
  readonly indexed: number;
  readonly duplicates: number;
  readonly failures: readonly ImportFailure[];
  /** DICOMDIR media directories read; the files they list are imported as files of their own. */
  readonly directories: number;
  readonly studiesTouched: readonly string[];
  /** Analysis results removed because their series gained or lost images in this import. */
  readonly resultsDropped: number;
  readonly elapsedMs: number;
}

export interface LabelInfo {
  readonly value: number;
  readonly name: string;
  /** RGB, 0-255. */
  readonly color: readonly [number, number, number];
}

export interface ModelInfo {
  readonly id: string;
  readonly name: string;
  readonly version: string;
  readonly task: 'segmentation' | 'classification';
  readonly modalities: readonly string[];
  readonly installed: boolean;
  /** When not installed: what to do about it, in words a user can follow. */
  readonly installHint: string | null;
  readonly weightsSha256: string;
  readonly licence: string;
  /** A stand-in with meaningless (random) weights: its output is labelled as such, never as a finding. */
  readonly testOnly: boolean;
}

/** Whether a model is offered for a series, and why not when it is not. */
export interface ModelEligibility {
  readonly modelId: string;
  readonly eligible: boolean;
  readonly reason: string | null;
}

/** One finding of a classification: sigmoid score against the model's calibrated threshold. */
export interface ClassificationFinding {
  readonly name: string;
  /** 0..1 */
  readonly score: number;
  readonly threshold: number;
  readonly aboveThreshold: boolean;
  /** Class activation map, row after row (camSize of the result), over the image's centre square. */
  readonly cam: readonly number[] | null;
}

export type JobState = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';

export interface JobStatus {
  readonly jobId: number;
  readonly seriesId: number;
  readonly modelId: string;
  readonly state: JobState;
  readonly stage: string;
  /** 0..1 */
  readonly fraction: number;
  readonly error: string | null;
  readonly resultId: number | null;
}

/** A job as the job table holds it (no patient names or IDs: series UID and model facts only). */
export interface JobRecord {
  readonly jobId: number;
  readonly seriesId: number;
  readonly seriesInstanceUid: string | null;
  readonly instanceCount: number;
  readonly modelId: string;
  readonly modelVersion: string | null;
  readonly weightsSha256: string | null;
  readonly state: JobState;
  /** Higher runs first. */
  readonly priority: number;
  readonly attempts: number;
  readonly executionProvider: string | null;
  readonly error: string | null;
  readonly resultId: number | null;
  /** Answered from the result cache (same model, weights, parameters and pixels). */
  readonly cached: boolean;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
}

export interface EngineSettings {
  /** Start every eligible analysis of a study as soon as it is imported (off by default). */
  readonly autoAnalyze: boolean;
}

export interface LatencyPercentiles {
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
}

export interface ModelJobStats {
  readonly modelId: string;
  readonly finished: number;
  readonly failed: number;
  readonly jobsPerMinute: number;
  /** failed / finished, 0..1. */
  readonly failureRate: number;
  /** Milliseconds from creation to start, and from start to end. */
  readonly queueMs: LatencyPercentiles | null;
  readonly runMs: LatencyPercentiles | null;
}

export interface EngineStatus {
  readonly process: {
    readonly state: string;
    readonly pid: number | null;
    readonly runtimeVersion: string | null;
    readonly restarts: number;
    readonly lastExit: string | null;
    readonly rssBytes: number | null;
  };
  /** The provider the last job ran on, and why the ones before it in the preference order were not used. */
  readonly provider: {
    readonly inUse: string | null;
    readonly skipped: readonly { readonly provider: string; readonly reason: string }[];
  };
  readonly loadedModels: readonly string[];
  readonly memory: { readonly freeBytes: number; readonly totalBytes: number };
  readonly queue: { readonly queued: number; readonly running: number; readonly failed: number };
  readonly lastHour: readonly ModelJobStats[];
  readonly overall: readonly ModelJobStats[];
}

export interface LabelVolume {
  readonly value: number;
  readonly name: string;
  readonly voxels: number;
  readonly millilitres: number;
}

export interface AnalysisTimings {
  readonly volumeBuildMs: number;
  readonly conformMs: number;
  readonly modelRunMs: number;
  readonly postprocessMs: number;
  readonly totalMs: number;
}

export interface AnalysisResult {
  readonly resultId: number;
  readonly seriesId: number;
  readonly modelId: string;
  readonly modelName: string;
  readonly modelVersion: string;
  readonly weightsSha256: string;
  readonly executionProvider: string;
  readonly createdAt: string;
  readonly timings: AnalysisTimings;
  readonly labels: readonly LabelInfo[];
  readonly volumes: readonly LabelVolume[];
  /** Geometry of the labelmap: one byte per voxel of the series, slice after slice in display order. */
  readonly columns: number;
  readonly rows: number;
  readonly slices: number;
  readonly task: 'segmentation' | 'classification';
  /** Classification only (empty for a segmentation), in the model's label order. */
  readonly findings: readonly ClassificationFinding[];
  /** [columns, rows] of each finding's activation map; null without maps. */
  readonly camSize: readonly [number, number] | null;
  /** Made by a stand-in with meaningless weights: never to be read as a finding. */
  readonly testOnly: boolean;
  /** How the input was adapted for the model (a colour image read as its luminance); null when it was not. */
  readonly inputNote: string | null;
}

/** One segment of a DICOM SEG as the viewer shows it. */
export interface SegmentInfo {
  /** Its value in its layer's labelmap (1-based order in the SEG's Segment Sequence). */
  readonly value: number;
  /** Which layer holds it: overlapping segments are put in different layers. */
  readonly layer: number;
  readonly segmentNumber: number;
  readonly label: string;
  /** RGB 0-255 from Recommended Display CIELab Value (0062,000D), or a default when absent. */
  readonly color: readonly [number, number, number];
  /** Voxels of the referenced series inside the segment. */
  readonly voxels: number;
}

/** A DICOM SEG placed on the grid of the series it references. */
export interface SegmentationOverlay {
  readonly segSeriesId: number;
  readonly seriesId: number;
  /** The referenced series' grid: one byte per voxel, slice after slice in display order. */
  readonly columns: number;
  readonly rows: number;
  readonly slices: number;
  readonly segments: readonly SegmentInfo[];
  /** Per layer: its labelmap bytes, zlib-deflated, then base64. */
  readonly layers: readonly string[];
  /** Frames that matched no slice of the series. */
  readonly unplacedFrames: number;
}

export type MeasurementToolName = 'Length' | 'Angle' | 'EllipticalROI' | 'RectangleROI' | 'Probe';

/** A measurement saved with the image it was drawn on. */
export interface StoredMeasurement {
  /** The annotation's UID. */
  readonly uid: string;
  readonly sopInstanceUid: string;
  /** 1-based frame of the instance. */
  readonly frame: number;
  readonly tool: MeasurementToolName;
  /** The annotation's handle points in patient coordinates (mm, LPS). */
  readonly points: readonly (readonly [number, number, number])[];
  readonly label: string;
  readonly createdAt: string;
}

export type ServerEvent =
  | { readonly type: 'job'; readonly job: JobStatus }
  | { readonly type: 'library-changed' }
  | { readonly type: 'import-progress'; readonly progress: ImportProgress };

/** The methods main implements; every argument is validated before it reaches them. */
export interface BackendMethods {
  listStudies(): Promise<StudySummary[]>;
  listSeries(args: { studyInstanceUid: string }): Promise<SeriesSummary[]>;
  listInstances(args: { seriesId: number }): Promise<Array<Omit<InstanceRef, 'url'>>>;
  importPaths(args: { paths: string[] }): Promise<ImportReport>;
  /** Removes a study's rows and the copies the library made of its files (never a user's own files). */
  deleteStudy(args: { studyInstanceUid: string }): Promise<{ readonly filesRemoved: number }>;
  getLibrarySettings(): Promise<LibrarySettings>;
  setLibrarySettings(args: LibrarySettings): Promise<LibrarySettings>;
  /** Stops the imports under way after the files being read; each still returns its report. */
  cancelImports(): Promise<{ readonly cancelled: number }>;
  listModels(): Promise<ModelInfo[]>;
  startAnalysis(args: { seriesId: number; modelId: string }): Promise<JobStatus>;
  listResults(args: { seriesId: number }): Promise<AnalysisResult[]>;
  listJobs(args: { states: JobState[] }): Promise<JobRecord[]>;
  cancelJob(args: { jobId: number }): Promise<JobStatus>;
  retryJob(args: { jobId: number }): Promise<JobStatus>;
  /** Moves a queued job ahead of the others (the series the user is looking at). */
  prioritizeJob(args: { jobId: number }): Promise<JobStatus>;
  engineStatus(): Promise<EngineStatus>;
  /** Paths on this machine (Electron's open dialog, the CLI); browser mode has no way to name them yet. */
  installModel(args: { onnxPath: string; manifestPath: string }): Promise<ModelInfo>;
  /** Every model of the series' modality, and whether the series passes its input gate. */
  seriesEligibility(args: { seriesId: number }): Promise<ModelEligibility[]>;
  getEngineSettings(): Promise<EngineSettings>;
  setEngineSettings(args: EngineSettings): Promise<EngineSettings>;
  /** A SEG series' segments and masks on the grid of an image series it references. */
  loadSegmentation(args: { segSeriesId: number; seriesId: number }): Promise<SegmentationOverlay>;
  listMeasurements(args: { seriesId: number }): Promise<StoredMeasurement[]>;
  /** Inserts or replaces the measurement with this uid. */
  saveMeasurement(args: Omit<StoredMeasurement, 'createdAt'>): Promise<StoredMeasurement>;
  deleteMeasurement(args: { uid: string }): Promise<{ readonly deleted: boolean }>;
}

export type BackendMethodName = keyof BackendMethods;

/** What the renderer sees: one object, the same in both hosts. */
export interface WorkstationApi {
  readonly host: HostKind;
  importFiles(files: readonly File[]): Promise<ImportReport>;
  /** Electron only: the native open dialog. Browser mode uses an <input type=file>. */
  openDialog: ((kind: 'files' | 'folder') => Promise<ImportReport | null>) | null;
  listStudies(): Promise<StudySummary[]>;
  listSeries(studyInstanceUid: string): Promise<SeriesSummary[]>;
  listInstances(seriesId: number): Promise<InstanceRef[]>;
  cancelImports(): Promise<{ readonly cancelled: number }>;
  deleteStudy(studyInstanceUid: string): Promise<{ readonly filesRemoved: number }>;
  getLibrarySettings(): Promise<LibrarySettings>;
  setLibrarySettings(settings: LibrarySettings): Promise<LibrarySettings>;
  listModels(): Promise<ModelInfo[]>;
  startAnalysis(seriesId: number, modelId: string): Promise<JobStatus>;
  listResults(seriesId: number): Promise<AnalysisResult[]>;
  fetchLabelmap(resultId: number): Promise<Uint8Array>;
  listJobs(states: JobState[]): Promise<JobRecord[]>;
  cancelJob(jobId: number): Promise<JobStatus>;
  retryJob(jobId: number): Promise<JobStatus>;
  prioritizeJob(jobId: number): Promise<JobStatus>;
  engineStatus(): Promise<EngineStatus>;
  getEngineSettings(): Promise<EngineSettings>;
  setEngineSettings(settings: EngineSettings): Promise<EngineSettings>;
  loadSegmentation(segSeriesId: number, seriesId: number): Promise<SegmentationOverlay>;
  listMeasurements(seriesId: number): Promise<StoredMeasurement[]>;
  saveMeasurement(measurement: Omit<StoredMeasurement, 'createdAt'>): Promise<StoredMeasurement>;
  deleteMeasurement(uid: string): Promise<{ readonly deleted: boolean }>;
  seriesEligibility(seriesId: number): Promise<ModelEligibility[]>;
  /** "Install model…": an .onnx file and its manifest (uploaded in browser mode, by path in Electron). */
  installModel(onnx: File, manifest: File): Promise<ModelInfo>;
  onEvent(listener: (event: ServerEvent) => void): () => void;
}
