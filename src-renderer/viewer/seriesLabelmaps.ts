/**
 * The labelmaps a series shows (its shown DICOM SEGs' layers and its AI result), and the hook that
 * keeps a view's overlays (a stack viewport, or the MPR views) in step with them and their styles.
 */
import { useEffect, useMemo, useRef } from 'react';
import { useAnalysisStore } from '../state/analysisStore';
import { reportError } from '../state/errorStore';
import {
  segmentStyle,
  useSegmentationStore,
  type LoadedSeg,
  type SegmentStyle,
} from '../state/segmentationStore';
import type { LabelmapSource, StyledLabelmap } from './styledLabelmap';

/** DICOM SEG overlays are drawn at this overall opacity (each segment's own opacity multiplies it). */
const SEG_OPACITY = 0.6;

/** One labelmap to draw over a series, with where its segments' styles live and its overall style. */
export interface SeriesLabelmap {
  readonly source: LabelmapSource;
  /** `seg-<segSeriesId>` or `result-<resultId>`: the segmentation store's style key prefix. */
  readonly styleSource: string;
  readonly opacity: number;
  readonly visible: boolean;
}

function segLayers(id: string, seg: LoadedSeg): SeriesLabelmap[] {
  const { overlay } = seg;
  return seg.layers.map((bytes, layer) => ({
    source: {
      id: `seg-${id}-layer-${layer}`,
      title: `seg-${id}-layer-${layer}`,
      columns: overlay.columns,
      rows: overlay.rows,
      slices: overlay.slices,
      labels: overlay.segments
        .filter((segment) => segment.layer === layer)
        .map((segment) => ({ value: segment.value, name: segment.label, color: segment.color })),
      bytes,
    },
    styleSource: `seg-${id}`,
    opacity: SEG_OPACITY,
    visible: true,
  }));
}

/** What is drawn over a series now. */
function useSeriesLabelmaps(seriesId: number | null): readonly SeriesLabelmap[] {
  const loaded = useSegmentationStore((s) => s.loaded);
  const shown = useSegmentationStore((s) => s.shown);
  const ai = useAnalysisStore((s) => (seriesId === null ? undefined : s.labelmaps[seriesId]));
  const opacity = useAnalysisStore((s) => s.opacity);
  const visible = useAnalysisStore((s) => s.visible);
  return useMemo(() => {
    if (seriesId === null) return [];
    const segs = Object.entries(loaded).flatMap(([id, seg]) =>
      shown[Number(id)] && seg.overlay.seriesId === seriesId ? segLayers(id, seg) : [],
    );
    if (!ai) return segs;
    const { result, labelmap } = ai;
    const source: LabelmapSource = {
      id: `result-${result.resultId}`,
      title: `${result.modelName} ${result.modelVersion}`,
      columns: result.columns,
      rows: result.rows,
      slices: result.slices,
      labels: result.labels,
      bytes: labelmap,
    };
    return [...segs, { source, styleSource: `result-${result.resultId}`, opacity, visible }];
  }, [seriesId, loaded, shown, ai, opacity, visible]);
}

function segmentStyles(
  styles: Readonly<Record<string, SegmentStyle>>,
  shown: SeriesLabelmap,
): Map<number, SegmentStyle> {
  return new Map(
    shown.source.labels
      .filter((label) => label.value > 0)
      .map((label) => [label.value, segmentStyle(styles, shown.styleSource, label.value, label.color)]),
  );
}

/** Where a view's overlays go: a new overlay on its viewports, drawing a source, re-rendering. */
export interface LabelmapTarget<O extends StyledLabelmap> {
  create(): O;
  /** Resolves once the source is drawn (after whatever the view must load first). */
  show(overlay: O, source: LabelmapSource): Promise<void>;
  render(): void;
}

/** Each view's overlays by source id, for the diagnostics: `slot-<n>` or `mpr`. */
const overlaysByView = new Map<string, ReadonlyMap<string, StyledLabelmap>>();

export function viewOverlays(view: string): ReadonlyMap<string, StyledLabelmap> {
  return overlaysByView.get(view) ?? new Map();
}

/**
 * Keeps one overlay per labelmap of the series on the target, styled from the stores. A new
 * target (another stack or volume) starts afresh: the old one's overlays are cleared.
 */
export function useLabelmapOverlays<O extends StyledLabelmap>(
  view: string,
  seriesId: number | null,
  target: LabelmapTarget<O> | null,
): void {
  const wanted = useSeriesLabelmaps(seriesId);
  const styles = useSegmentationStore((s) => s.styles);
  const overlays = useRef(new Map<string, O>());

  useEffect(() => {
    if (!target) return;
    const current = overlays.current;
    overlaysByView.set(view, current);
    return () => {
      for (const overlay of current.values()) overlay.clear();
      current.clear();
      overlaysByView.delete(view);
    };
  }, [view, target]);

  useEffect(() => {
    if (!target) return;
    const current = overlays.current;
    const ids = new Set(wanted.map((shown) => shown.source.id));
    for (const [id, overlay] of current) {
      if (ids.has(id)) continue;
      overlay.clear();
      current.delete(id);
    }
    for (const { source } of wanted) {
      if (current.has(source.id)) continue;
      const overlay = target.create();
      current.set(source.id, overlay);
      target
        .show(overlay, source)
        .then(() => target.render())
        .catch((error: unknown) =>
          reportError(
            new Error(`Could not show the segmentation: ${error instanceof Error ? error.message : error}`),
          ),
        );
    }
  }, [target, wanted]);

  // Styles are kept by each overlay and applied once it is drawn, so a new one gets them here too.
  useEffect(() => {
    if (!target) return;
    for (const shown of wanted) {
      const overlay = overlays.current.get(shown.source.id);
      if (!overlay) continue;
      overlay.setOpacity(shown.opacity);
      overlay.setVisible(shown.visible);
      overlay.setSegmentStyles(segmentStyles(styles, shown));
    }
    target.render();
  }, [target, wanted, styles]);
}
