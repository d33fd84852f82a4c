import { create } from 'zustand';
import type { AnalysisResult, JobStatus, ModelEligibility, ModelInfo } from '../../src-shared/api';
import { getApi } from '../api';
import { reportError } from './errorStore';
import { seriesInView } from './layoutStore';
import { useLibraryStore } from './libraryStore';

/** A segmentation result with its labelmap bytes. */
export interface ResultLabelmap {
  readonly result: AnalysisResult;
  readonly labelmap: Uint8Array;
}

interface AnalysisState {
  readonly models: readonly ModelInfo[];
  /** Latest known status of the newest job per series. */
  readonly jobs: Readonly<Record<number, JobStatus>>;
  /** The newest result of the opened series (its panel); a segmentation's labelmap is in `labelmaps`. */
  readonly result: AnalysisResult | null;
  /** The newest segmentation result of each series in the viewports, drawn over every viewport of it. */
  readonly labelmaps: Readonly<Record<number, ResultLabelmap>>;
  readonly opacity: number;
  readonly visible: boolean;
  /** Which models the series passes, and why not (per series id). */
  readonly eligibility: Readonly<Record<number, readonly ModelEligibility[]>>;
  /** A classification's activation map over the image: shown or not, and for which finding. */
  readonly heatMapVisible: boolean;
  readonly heatMapFinding: number;
  loadModels(): Promise<void>;
  loadEligibility(seriesId: number): Promise<void>;
  setHeatMap(visible: boolean, finding: number): void;
  startAnalysis(seriesId: number, modelId: string): Promise<void>;
  handleJob(job: JobStatus): void;
  /** Shows the newest stored result of the series, or nothing when it has none. */
  loadResults(seriesId: number): Promise<void>;
  setOpacity(opacity: number): void;
  setVisible(visible: boolean): void;
}

const isActive = (job: JobStatus | undefined): boolean => job?.state === 'queued' || job?.state === 'running';

export const useAnalysisStore = create<AnalysisState>()((set, get) => ({
  models: [],
  jobs: {},
  result: null,
  labelmaps: {},
  opacity: 0.5,
  visible: true,
  eligibility: {},
  heatMapVisible: false,
  heatMapFinding: 0,

  loadModels: async () => {
    try {
      set({ models: await getApi().listModels() });
    } catch (error) {
      reportError(error);
    }
  },

  loadEligibility: async (seriesId) => {
    try {
      const eligibility = await getApi().seriesEligibility(seriesId);
      set((state) => ({ eligibility: { ...state.eligibility, [seriesId]: eligibility } }));
    } catch (error) {
      reportError(error);
    }
  },

  setHeatMap: (heatMapVisible, heatMapFinding) => set({ heatMapVisible, heatMapFinding }),

  startAnalysis: async (seriesId, modelId) => {
    if (isActive(get().jobs[seriesId])) return;
    try {
      get().handleJob(await getApi().startAnalysis(seriesId, modelId));
    } catch (error) {
      reportError(error);
    }
  },

  handleJob: (job) => {
    const previous = get().jobs[job.seriesId];
    // Events may arrive before the startAnalysis reply: never go back to an older job.
    if (previous && previous.jobId > job.jobId) return;
    set((state) => ({ jobs: { ...state.jobs, [job.seriesId]: job } }));
    if (job.state === 'failed') reportError(new Error(`Analysis failed: ${job.error ?? 'unknown error'}`));
    const finishedNow = job.state === 'completed' && previous?.state !== 'completed';
    if (!finishedNow) return;
    // The series' result badge changed; the backend need not announce it as a library change.
    void useLibraryStore.getState().refresh();
    if (job.resultId === null) return;
    if (useLibraryStore.getState().openedSeriesId === job.seriesId) void get().loadResults(job.seriesId);
    // A series shown only in inactive viewports gets its labelmap drawn there now, not when reopened.
    else if (seriesInView().has(job.seriesId)) newestResult(job.seriesId).catch(reportError);
  },

  loadResults: async (seriesId) => {
    const stillOpen = (): boolean => useLibraryStore.getState().openedSeriesId === seriesId;
    set({ result: null });
    try {
      const newest = await newestResult(seriesId);
      if (!newest || !stillOpen()) return;
      if (newest.task === 'classification') set({ result: newest, heatMapVisible: false, heatMapFinding: 0 });
      else set({ result: newest });
    } catch (error) {
      reportError(error);
    }
  },

  setOpacity: (opacity) => set({ opacity }),
  setVisible: (visible) => set({ visible }),
}));

/**
 * A series' newest result. A segmentation's labelmap is fetched and kept for every view of the
 * series while one still shows it; any other newest result drops the series' labelmap.
 */
async function newestResult(seriesId: number): Promise<AnalysisResult | undefined> {
  const [newest] = await getApi().listResults(seriesId);
  if (newest?.task !== 'segmentation') {
    keepLabelmap(seriesId, null);
    return newest;
  }
  if (!seriesInView().has(seriesId)) return newest;
  const labelmap = await getApi().fetchLabelmap(newest.resultId);
  const expected = newest.columns * newest.rows * newest.slices;
  if (labelmap.length !== expected) {
    throw new Error(
      `Labelmap of result ${newest.resultId} has ${labelmap.length} bytes, expected ${expected}.`,
    );
  }
  if (seriesInView().has(seriesId)) keepLabelmap(seriesId, { result: newest, labelmap });
  return newest;
}

/** Sets (or with null drops) a series' labelmap, and drops those of series no viewport shows. */
function keepLabelmap(seriesId: number, entry: ResultLabelmap | null): void {
  const inView = seriesInView();
  useAnalysisStore.setState((state) => {
    const labelmaps: Record<number, ResultLabelmap> = {};
    for (const [id, kept] of Object.entries(state.labelmaps))
      if (inView.has(Number(id))) labelmaps[Number(id)] = kept;
    if (entry) labelmaps[seriesId] = entry;
    else delete labelmaps[seriesId];
    return { labelmaps };
  });
}

/** Models that can analyse a series of this modality, installed ones first. */
export function modelsForModality(models: readonly ModelInfo[], modality: string): ModelInfo[] {
  return models
    .filter((m) => m.modalities.includes(modality))
    .sort((a, b) => Number(b.installed) - Number(a.installed));
}

/**
 * The model offered for a series (the first installed one whose input gate the series passes,
 * else the first of its modality) and, when the series fails that model's gate, why.
 */
export function analysisChoice(
  models: readonly ModelInfo[],
  eligibility: readonly ModelEligibility[] | undefined,
  modality: string,
): { model: ModelInfo | undefined; refusal: string | undefined } {
  const candidates = modelsForModality(models, modality);
  const refusals = new Map(
    (eligibility ?? []).filter((e) => !e.eligible).map((e) => [e.modelId, e.reason ?? '']),
  );
  const model = candidates.find((m) => m.installed && !refusals.has(m.id)) ?? candidates[0];
  return { model, refusal: model ? refusals.get(model.id) : undefined };
}

export { isActive as isJobActive };
