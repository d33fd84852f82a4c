/**
 * Keeps the viewport's segmentation overlays in step with the segmentation store: one labelmap
 * overlay per layer of every SEG the user shows, and every segment's style, AI labels included.
 */
import { useEffect, useRef, type RefObject } from 'react';
import type { InstanceRef, SeriesSummary } from '../../src-shared/api';
import { useAnalysisStore } from '../state/analysisStore';
import { reportError } from '../state/errorStore';
import {
  segmentStyle,
  useSegmentationStore,
  type LoadedSeg,
  type SegmentStyle,
} from '../state/segmentationStore';
import { stackImageIds } from './imageIds';
import { LabelmapOverlay } from './labelmapOverlay';
import type { ViewerHandle } from './viewportRegistry';

/** The per-value styles of a set of labels of one source. */
function stylesFor(
  styles: Readonly<Record<string, SegmentStyle>>,
  source: string,
  labels: ReadonlyArray<{ value: number; color: readonly [number, number, number] }>,
): Map<number, SegmentStyle> {
  return new Map(
    labels.map((label) => [label.value, segmentStyle(styles, source, label.value, label.color)]),
  );
}

function layerLabels(seg: LoadedSeg, layer: number) {
  return seg.overlay.segments
    .filter((segment) => segment.layer === layer)
    .map((segment) => ({ value: segment.value, name: segment.label, color: segment.color }));
}

/** SEG overlays shown now, by `seg-<id>-layer-<n>`. */
const shownOverlays = new Map<string, LabelmapOverlay>();

/** For the end-to-end tests: how many SEG layers are on screen. */
export function shownSegLayers(): number {
  return [...shownOverlays.values()].filter((overlay) => overlay.shown).length;
}

export function useSegmentationOverlays(
  handle: ViewerHandle | null,
  series: SeriesSummary | null,
  instances: readonly InstanceRef[],
  stackReady: RefObject<Promise<void>>,
): void {
  const loaded = useSegmentationStore((s) => s.loaded);
  const shown = useSegmentationStore((s) => s.shown);
  const styles = useSegmentationStore((s) => s.styles);
  const result = useAnalysisStore((s) => s.result);
  const overlays = useRef(shownOverlays);

  useEffect(() => {
    void useSegmentationStore.getState().openSeries(series);
  }, [series]);

  // Layers to add and remove.
  useEffect(() => {
    const current = overlays.current;
    if (!handle) return;
    const wanted = new Map<string, { seg: LoadedSeg; layer: number }>();
    for (const [id, seg] of Object.entries(loaded)) {
      if (!shown[Number(id)]) continue;
      seg.layers.forEach((_, layer) => wanted.set(`seg-${id}-layer-${layer}`, { seg, layer }));
    }
    for (const [key, overlay] of current) {
      if (!wanted.has(key)) {
        overlay.clear();
        current.delete(key);
      }
    }
    const imageIds = stackImageIds(instances);
    for (const [key, { seg, layer }] of wanted) {
      if (current.has(key)) continue;
      const overlay = new LabelmapOverlay(handle.viewer.viewportId);
      current.set(key, overlay);
      const labels = layerLabels(seg, layer);
      const source = `seg-${seg.overlay.segSeriesId}`;
      overlay.setOpacity(0.6);
      overlay.setSegmentStyles(stylesFor(useSegmentationStore.getState().styles, source, labels));
      void stackReady.current
        .then(() =>
          overlay.showSource(imageIds, {
            id: key,
            title: key,
            columns: seg.overlay.columns,
            rows: seg.overlay.rows,
            slices: seg.overlay.slices,
            labels,
            bytes: seg.layers[layer]!,
          }),
        )
        .then(() => handle.viewer.viewport.render())
        .catch((error: unknown) =>
          reportError(
            new Error(`Could not show the segmentation: ${error instanceof Error ? error.message : error}`),
          ),
        );
    }
  }, [handle, loaded, shown, instances, stackReady]);

  // Styles, on every change, for the SEG layers and the AI result alike.
  useEffect(() => {
    if (!handle) return;
    for (const [key, overlay] of overlays.current) {
      const id = Number(/^seg-(\d+)-layer-(\d+)$/.exec(key)?.[1]);
      const seg = loaded[id];
      if (seg)
        overlay.setSegmentStyles(
          stylesFor(styles, `seg-${id}`, layerLabels(seg, Number(key.split('-').pop()))),
        );
    }
    if (result)
      handle.overlay.setSegmentStyles(
        stylesFor(
          styles,
          `result-${result.resultId}`,
          result.labels.filter((l) => l.value > 0),
        ),
      );
    handle.viewer.viewport.render();
  }, [handle, styles, loaded, result]);

  // The viewer going away takes its overlays with it.
  useEffect(
    () => () => {
      for (const overlay of overlays.current.values()) overlay.clear();
      overlays.current.clear();
    },
    [handle],
  );
}
