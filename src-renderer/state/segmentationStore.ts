/**
 * Segmentations: the DICOM SEGs that reference the opened series (shown on request), the SEGs
 * shown over every series in the viewports, and the colour, visibility and opacity of every
 * segment, for SEG segments and AI labels alike.
 */
import { create } from 'zustand';
import type { SegmentationOverlay, SeriesSummary } from '../../src-shared/api';
import { getApi } from '../api';
import { reportError } from './errorStore';
import { seriesInView } from './layoutStore';

export interface SegmentStyle {
  readonly color: readonly [number, number, number];
  readonly visible: boolean;
  /** 0..1, multiplied by the overlay's overall opacity. */
  readonly opacity: number;
}

export interface LoadedSeg {
  /** On the grid of the series `overlay.seriesId`. */
  readonly overlay: SegmentationOverlay;
  /** The overlay's layers as labelmap bytes. */
  readonly layers: readonly Uint8Array[];
}

/** Where a segment's style lives: `seg-<segSeriesId>` or `result-<resultId>`, then the label value. */
export const styleKey = (source: string, value: number): string => `${source}:${value}`;

interface SegmentationState {
  /** The opened series' id, and the SEG series that reference it. */
  readonly seriesId: number | null;
  readonly available: readonly SeriesSummary[];
  /** By SEG series id, for the series in the viewports (each SEG references one series). */
  readonly loaded: Readonly<Record<number, LoadedSeg>>;
  readonly shown: Readonly<Record<number, boolean>>;
  readonly loading: Readonly<Record<number, boolean>>;
  readonly styles: Readonly<Record<string, SegmentStyle>>;
  /** Lists the SEGs of the study that reference this series; forgets those of series no viewport shows. */
  openSeries(series: SeriesSummary | null): Promise<void>;
  setShown(segSeriesId: number, shown: boolean): Promise<void>;
  setStyle(key: string, fallback: SegmentStyle, change: Partial<SegmentStyle>): void;
}

async function inflateLayer(base64: string): Promise<Uint8Array> {
  const deflated = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const stream = new Blob([deflated]).stream().pipeThrough(new DecompressionStream('deflate'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export const useSegmentationStore = create<SegmentationState>()((set, get) => ({
  seriesId: null,
  available: [],
  loaded: {},
  shown: {},
  loading: {},
  styles: {},

  openSeries: async (series) => {
    if (series?.seriesId === get().seriesId) return;
    const inView = seriesInView();
    const kept = Object.entries(get().loaded).filter(([, seg]) => inView.has(seg.overlay.seriesId));
    set({
      seriesId: series?.seriesId ?? null,
      available: [],
      loaded: Object.fromEntries(kept),
      shown: Object.fromEntries(kept.map(([id]) => [id, get().shown[Number(id)] ?? false])),
      loading: {},
    });
    if (!series) return;
    try {
      const all = await getApi().listSeries(series.studyInstanceUid);
      const available = all.filter(
        (s) => s.kind === 'seg' && s.referencedSeriesUid === series.seriesInstanceUid,
      );
      if (get().seriesId === series.seriesId) set({ available });
    } catch (error) {
      reportError(error);
    }
  },

  setShown: async (segSeriesId, shown) => {
    const seriesId = get().seriesId;
    if (seriesId === null) return;
    set((state) => ({ shown: { ...state.shown, [segSeriesId]: shown } }));
    if (!shown || get().loaded[segSeriesId] || get().loading[segSeriesId]) return;
    set((state) => ({ loading: { ...state.loading, [segSeriesId]: true } }));
    try {
      const overlay = await getApi().loadSegmentation(segSeriesId, seriesId);
      const layers = await Promise.all(overlay.layers.map(inflateLayer));
      const expected = overlay.columns * overlay.rows * overlay.slices;
      if (layers.some((layer) => layer.length !== expected)) {
        throw new Error(`A layer of the segmentation does not have ${expected} voxels.`);
      }
      set((state) => ({ loaded: { ...state.loaded, [segSeriesId]: { overlay, layers } } }));
    } catch (error) {
      set((state) => ({ shown: { ...state.shown, [segSeriesId]: false } }));
      reportError(
        new Error(`Could not load the segmentation: ${error instanceof Error ? error.message : error}`),
      );
    } finally {
      set((state) => ({ loading: { ...state.loading, [segSeriesId]: false } }));
    }
  },

  setStyle: (key, fallback, change) =>
    set((state) => ({
      styles: { ...state.styles, [key]: { ...(state.styles[key] ?? fallback), ...change } },
    })),
}));

/** The style of one segment: what the user set, or its own colour, shown, fully opaque. */
export function segmentStyle(
  styles: Readonly<Record<string, SegmentStyle>>,
  source: string,
  value: number,
  color: readonly [number, number, number],
): SegmentStyle {
  return styles[styleKey(source, value)] ?? { color, visible: true, opacity: 1 };
}
