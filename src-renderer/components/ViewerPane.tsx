import { useCallback, useEffect, useRef, useState } from 'react';
import { useAnalysisStore } from '../state/analysisStore';
import { useLayoutStore } from '../state/layoutStore';
import { selectOpenedSeries, useLibraryStore } from '../state/libraryStore';
import { SHORTCUTS, useViewerKeys } from '../viewer/useViewerKeys';
import { LAYOUT_SHORTCUTS, useLayoutKeys } from '../viewer/useLayoutKeys';
import { useViewportRegistry } from '../viewer/viewportRegistry';
import { HeatMapLayer } from '../viewer/heatMapLayer';
import { AnalysisPanel } from './AnalysisPanel';
import { AnalyzeControl } from './AnalyzeControl';
import { CineControl } from './CineControl';
import { LayoutControls } from './LayoutControls';
import { MeasurementPanel } from './MeasurementPanel';
import { MprToggle, useMprMode } from './MprToggle';
import { MprView } from './MprView';
import { NotOfferedNote } from './NotOfferedNote';
import { ReadingToolbar } from './ReadingToolbar';
import { ShortcutHelp } from './ShortcutHelp';
import { ViewportGrid } from './ViewportGrid';
import { SavePngControl } from './SavePngControl';
import { SegmentationPanel } from './SegmentationPanel';
import { useSegmentationStore } from '../state/segmentationStore';
import { useMeasurementPersistence } from '../viewer/measurementPersistence';
import type { PngTarget } from '../viewer/viewportPng';

const NOTHING_SHOWN = { current: Promise.resolve() };
const MPR_MEASUREMENT_NOTE =
  'Measurements on the acquisition plane are saved with their image. Those on reformatted planes ' +
  'are not saved, and are cleared when MPR closes.';

/** The viewer: toolbar, viewport grid and side panels; the toolbar, keys and panels act on the active viewport. */
export function ViewerPane() {
  const activeSlot = useLayoutStore((s) => s.activeSlot);
  const handle = useViewportRegistry((s) => s.handles[activeSlot] ?? null);
  const series = useLibraryStore(selectOpenedSeries);
  const openedSeriesId = useLibraryStore((s) => s.openedSeriesId);
  const instances = useLibraryStore((s) => s.instances);

  const mpr = useMprMode(series, instances);
  /** The active MPR view, for "Save PNG" while MPR is open (kept by the MPR view). */
  const mprPngTarget = useRef<(() => PngTarget | null) | null>(null);
  const pngTarget = useCallback((): PngTarget | null => {
    if (mpr.active) return mprPngTarget.current?.() ?? null;
    if (!handle) return null;
    return {
      element: handle.viewer.element,
      fileName: `viewport-slice${handle.viewer.readout().sliceIndex + 1}`,
    };
  }, [mpr.active, handle]);
  const [helpShown, setHelpShown] = useState(false);
  const toggleHelp = useCallback(() => setHelpShown((shown) => !shown), []);
  const modality = series?.modality ?? '';
  // In MPR the grid is hidden: its keys stay off (the MPR views use the mouse wheel).
  useViewerKeys(mpr.active ? null : handle, modality, toggleHelp);
  useLayoutKeys(mpr);

  // A newly opened series: fetch its stored results (shown once the labelmap arrives).
  useEffect(() => {
    if (openedSeriesId !== null) void useAnalysisStore.getState().loadResults(openedSeriesId);
  }, [openedSeriesId]);

  // The Segmentations panel lists the opened series' SEGs; each viewport draws its series' overlays.
  useEffect(() => {
    void useSegmentationStore.getState().openSeries(series);
  }, [series]);
  // After the slots' stack effects (children's effects run first), so stackReady is the stack now being shown.
  useMeasurementPersistence(
    handle?.viewer ?? null,
    openedSeriesId,
    instances,
    handle?.stackReady ?? NOTHING_SHOWN,
  );

  const result = useAnalysisStore((s) => s.result);
  const heatMapVisible = useAnalysisStore((s) => s.heatMapVisible);
  const heatMapFinding = useAnalysisStore((s) => s.heatMapFinding);
  const [heatMap, setHeatMapLayer] = useState<HeatMapLayer | null>(null);
  useEffect(() => {
    if (!handle) return;
    const layer = new HeatMapLayer(handle.viewer);
    setHeatMapLayer(layer);
    return () => layer.destroy();
  }, [handle]);
  useEffect(() => {
    const cam = result?.findings[heatMapFinding]?.cam;
    if (heatMap && heatMapVisible && cam && result?.camSize && result.seriesId === openedSeriesId)
      heatMap.show(cam, result.camSize);
    else heatMap?.hide();
  }, [heatMap, heatMapVisible, heatMapFinding, result, openedSeriesId]);

  return (
    <main className="viewer-area">
      <div className="viewer-toolbar">
        <LayoutControls />
        {series ? (
          <>
            <span className="viewer-title">
              {series.seriesDescription || 'Unnamed series'}{' '}
              <span className="muted">({series.modality})</span>
            </span>
            {handle && !mpr.active && <CineControl handle={handle} slot={activeSlot} />}
            <MprToggle mode={mpr} />
            <AnalyzeControl series={series} />
          </>
        ) : (
          <span className="muted">Open a series from the library to view it.</span>
        )}
      </div>
      {series && handle && !mpr.active && (
        <div className="viewer-toolbar">
          <ReadingToolbar viewer={handle.viewer} slot={activeSlot} modality={modality} onHelp={toggleHelp} />
        </div>
      )}
      <div className="viewer-body">
        {series && mpr.active && (
          <MprView
            series={series}
            instances={instances}
            helpShown={helpShown}
            toggleHelp={toggleHelp}
            extraShortcuts={LAYOUT_SHORTCUTS}
            pngTarget={mprPngTarget}
          />
        )}
        <div className="viewer-stage" hidden={mpr.active}>
          <ViewportGrid />
          {helpShown && !mpr.active && (
            <ShortcutHelp
              shortcuts={[...SHORTCUTS, ...LAYOUT_SHORTCUTS]}
              modality={modality}
              onClose={toggleHelp}
            />
          )}
        </div>
        <div className="side-panels">
          {handle && series && <SavePngControl target={pngTarget} />}
          {handle && <MeasurementPanel note={mpr.active ? MPR_MEASUREMENT_NOTE : undefined} />}
          <SegmentationPanel />
          {series && <NotOfferedNote series={series} />}
          <AnalysisPanel />
        </div>
      </div>
    </main>
  );
}
