/**
 * The viewport grid: which layout, which series each slot shows, which slot is active, and whether
 * viewports of one frame of reference scroll together. The active slot's series is the library's
 * "opened" series, so that everything acting on the opened series (analysis, results, the series
 * list's highlight) acts on the active viewport.
 */
import { create } from 'zustand';
import type { InstanceRef, SeriesSummary } from '../../src-shared/api';
import { useLibraryStore } from './libraryStore';

export type LayoutId = '1x1' | '1x2' | '2x2';

export const LAYOUTS: Readonly<
  Record<LayoutId, { readonly label: string; readonly columns: number; readonly rows: number }>
> = {
  '1x1': { label: '1×1', columns: 1, rows: 1 },
  '1x2': { label: '1×2', columns: 2, rows: 1 },
  '2x2': { label: '2×2', columns: 2, rows: 2 },
};

export function slotCount(layout: LayoutId): number {
  return LAYOUTS[layout].columns * LAYOUTS[layout].rows;
}

/** The most slots any layout has; slots beyond the current layout keep their series. */
export const MAX_SLOTS = Math.max(...Object.values(LAYOUTS).map((l) => l.columns * l.rows));

export interface SlotContent {
  readonly series: SeriesSummary;
  /** Instances in display order; empty while they load. */
  readonly instances: readonly InstanceRef[];
}

interface LayoutState {
  readonly layout: LayoutId;
  readonly activeSlot: number;
  readonly slots: ReadonlyArray<SlotContent | null>;
  readonly syncScroll: boolean;
  setLayout(layout: LayoutId): void;
  activate(slot: number): void;
  /** Shows a series in a slot (which becomes the active one). */
  openInSlot(slot: number, seriesId: number): Promise<void>;
  setSyncScroll(on: boolean): void;
}

export const useLayoutStore = create<LayoutState>()((set, get) => ({
  layout: '1x1',
  activeSlot: 0,
  slots: Array.from({ length: MAX_SLOTS }, () => null),
  syncScroll: true,

  setLayout: (layout) => {
    set({ layout });
    if (get().activeSlot >= slotCount(layout)) get().activate(0);
  },

  activate: (slot) => {
    if (slot === get().activeSlot) return;
    set({ activeSlot: slot });
    const content = get().slots[slot] ?? null;
    useLibraryStore.setState({
      openedSeriesId: content?.series.seriesId ?? null,
      openedSeries: content?.series ?? null,
      instances: content?.instances ?? [],
    });
    // A slot whose instances had not arrived when it lost focus loads them now.
    if (content && content.instances.length === 0)
      void useLibraryStore.getState().openSeries(content.series.seriesId);
  },

  openInSlot: async (slot, seriesId) => {
    get().activate(slot);
    await useLibraryStore.getState().openSeries(seriesId);
  },

  setSyncScroll: (syncScroll) => set({ syncScroll }),
}));

/** The series the slots hold, and the opened one: what per-series caches keep. */
export function seriesInView(): Set<number> {
  const ids = useLayoutStore.getState().slots.flatMap((slot) => (slot ? [slot.series.seriesId] : []));
  const opened = useLibraryStore.getState().openedSeriesId;
  return new Set(opened === null ? ids : [...ids, opened]);
}

// The library's opened series (a click in the series list, its instances arriving, a deleted
// study) is what the active slot shows.
useLibraryStore.subscribe((library, previous) => {
  const { activeSlot, slots } = useLayoutStore.getState();
  let next = slots;
  if (library.openedSeries !== previous.openedSeries || library.instances !== previous.instances) {
    const content = library.openedSeries
      ? { series: library.openedSeries, instances: library.instances }
      : null;
    const current = slots[activeSlot] ?? null;
    if (current?.series !== content?.series || current?.instances !== content?.instances)
      next = next.map((slot, index) => (index === activeSlot ? content : slot));
  }
  if (library.studies !== previous.studies) {
    const studies = new Set(library.studies.map((study) => study.studyInstanceUid));
    next = next.map((slot) => (slot && !studies.has(slot.series.studyInstanceUid) ? null : slot));
  }
  if (next !== slots) useLayoutStore.setState({ slots: next });
});
