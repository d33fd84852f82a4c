import { create } from 'zustand';
import type { InstanceRef, SeriesSummary, StudySummary } from '../../src-shared/api';
import { getApi } from '../api';
import { reportError } from './errorStore';

interface LibraryState {
  readonly studies: readonly StudySummary[];
  readonly selectedStudyUid: string | null;
  readonly series: readonly SeriesSummary[];
  readonly openedSeriesId: number | null;
  /** Kept apart from `series` so that browsing another study does not lose the opened one. */
  readonly openedSeries: SeriesSummary | null;
  /** Instances of the opened series, in display order. */
  readonly instances: readonly InstanceRef[];
  refresh(): Promise<void>;
  selectStudy(studyInstanceUid: string): Promise<void>;
  openSeries(seriesId: number): Promise<void>;
  deleteStudy(studyInstanceUid: string): Promise<void>;
}

export const useLibraryStore = create<LibraryState>()((set, get) => ({
  studies: [],
  selectedStudyUid: null,
  series: [],
  openedSeriesId: null,
  openedSeries: null,
  instances: [],

  refresh: async () => {
    try {
      const studies = await getApi().listStudies();
      const selected = get().selectedStudyUid;
      // Keep the selection when the study still exists; otherwise fall back to the first one.
      const keep = studies.some((s) => s.studyInstanceUid === selected);
      const studyUid = keep ? selected : (studies[0]?.studyInstanceUid ?? null);
      const series = studyUid ? await getApi().listSeries(studyUid) : [];
      set({ studies, selectedStudyUid: studyUid, series, ...freshOpened(get().openedSeries, series) });
    } catch (error) {
      reportError(error);
    }
  },

  selectStudy: async (studyInstanceUid) => {
    if (get().selectedStudyUid === studyInstanceUid && get().series.length > 0) return;
    set({ selectedStudyUid: studyInstanceUid, series: [] });
    try {
      const series = await getApi().listSeries(studyInstanceUid);
      if (get().selectedStudyUid === studyInstanceUid)
        set({ series, ...freshOpened(get().openedSeries, series) });
    } catch (error) {
      reportError(error);
    }
  },

  deleteStudy: async (studyInstanceUid) => {
    try {
      await getApi().deleteStudy(studyInstanceUid);
      // A deleted study's opened series closes with it.
      if (get().openedSeries?.studyInstanceUid === studyInstanceUid)
        set({ openedSeriesId: null, openedSeries: null, instances: [] });
      await get().refresh();
    } catch (error) {
      reportError(error);
    }
  },

  openSeries: async (seriesId) => {
    if (get().openedSeriesId === seriesId && get().instances.length > 0) return;
    const openedSeries = get().series.find((s) => s.seriesId === seriesId) ?? null;
    set({ openedSeriesId: seriesId, openedSeries, instances: [] });
    try {
      const instances = await getApi().listInstances(seriesId);
      if (get().openedSeriesId === seriesId) set({ instances });
      const missing = instances.filter((i) => i.missing).length;
      if (missing > 0)
        reportError(
          new Error(
            missing === instances.length
              ? 'The files of this series are missing: they were moved or deleted since they were imported.'
              : `${missing} of ${instances.length} files of this series are missing (moved or deleted since import); the rest are shown.`,
          ),
        );
    } catch (error) {
      reportError(error);
    }
  },
}));

/** The opened series' newer summary (e.g. a new result count) when the fresh list has it. */
function freshOpened(
  opened: SeriesSummary | null,
  series: readonly SeriesSummary[],
): { openedSeries?: SeriesSummary } {
  const fresh = opened && series.find((s) => s.seriesId === opened.seriesId);
  return fresh ? { openedSeries: fresh } : {};
}

export function selectOpenedSeries(state: LibraryState): SeriesSummary | null {
  return state.openedSeries;
}

export function selectOpenedStudy(state: LibraryState): StudySummary | null {
  const series = selectOpenedSeries(state);
  return state.studies.find((s) => s.studyInstanceUid === series?.studyInstanceUid) ?? null;
}
