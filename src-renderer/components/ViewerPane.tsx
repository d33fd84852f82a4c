import { stackImageIds } from '../viewer/imageIds';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useAnalysisStore } from '../state/analysisStore';
import { reportError } from '../state/errorStore';
import { selectOpenedSeries, selectOpenedStudy, useLibraryStore } from '../state/libraryStore';
import { useViewerStore } from '../state/viewerStore';
import { useStackViewer } from '../viewer/useStackViewer';
import { useViewerKeys } from '../viewer/useViewerKeys';
import { HeatMapLayer } from '../viewer/heatMapLayer';
import { AnalysisPanel } from './AnalysisPanel';
import { AnalyzeControl } from './AnalyzeControl';
import { MeasurementPanel } from './MeasurementPanel';
import { NotOfferedNote } from './NotOfferedNote';
import { ReadingToolbar } from './ReadingToolbar';
import { ShortcutHelp } from './ShortcutHelp';
import { ViewportOverlay } from './ViewportOverlay';

export function ViewerPane() {
  const elementRef = useRef<HTMLDivElement>(null);
  const handle = useStackViewer(elementRef);
  const series = useLibraryStore(selectOpenedSeries);
  const study = useLibraryStore(selectOpenedStudy);
  const openedSeriesId = useLibraryStore((s) => s.openedSeriesId);
  const instances = useLibraryStore((s) => s.instances);
  const result = useAnalysisStore((s) => s.result);
  const labelmap = useAnalysisStore((s) => s.labelmap);
  const opacity = useAnalysisStore((s) => s.opacity);
  const visible = useAnalysisStore((s) => s.visible);
  const loading = useViewerStore((s) => s.loading);
  const decodeError = useViewerStore((s) => s.decodeError);
  /** Resolves once the current stack is on screen; the labelmap waits for it. */
  const stackReady = useRef<Promise<void>>(Promise.resolve());

  const [helpShown, setHelpShown] = useState(false);
  const toggleHelp = useCallback(() => setHelpShown((shown) => !shown), []);
  const modality = series?.modality ?? '';
  useViewerKeys(handle?.viewer ?? null, modality, toggleHelp);

  // A newly opened series: fetch its stored results (shown once the labelmap arrives).
  useEffect(() => {
    if (openedSeriesId !== null) void useAnalysisStore.getState().loadResults(openedSeriesId);
  }, [openedSeriesId]);

  useEffect(() => {
    const imageIds = stackImageIds(instances);
    // Nothing to show when every file of the series is missing (the user was told on opening).
    if (!handle || imageIds.length === 0) return;
    handle.overlay.clear();
    useViewerStore.setState({ loading: true });
    stackReady.current = handle.viewer
      .showStack(imageIds)
      .catch((error: unknown) => reportError(new Error(`Could not display the series: ${String(error)}`)))
      .finally(() => useViewerStore.setState({ loading: false }));
  }, [handle, instances]);

  useEffect(() => {
    if (!handle) return;
    if (!result || !labelmap || instances.length === 0 || result.seriesId !== openedSeriesId) {
      handle.overlay.clear();
      return;
    }
    const imageIds = stackImageIds(instances);
    void stackReady.current
      .then(() => handle.overlay.show(imageIds, result, labelmap))
      .catch((error: unknown) =>
        reportError(
          new Error(`Could not show the segmentation: ${error instanceof Error ? error.message : error}`),
        ),
      );
  }, [handle, result, labelmap, instances, openedSeriesId]);

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

  useEffect(() => handle?.overlay.setOpacity(opacity), [handle, opacity]);
  useEffect(() => handle?.overlay.setVisible(visible), [handle, visible]);

  return (
    <main className="viewer-area">
      <div className="viewer-toolbar">
        {series ? (
          <>
            <span className="viewer-title">
              {series.seriesDescription || 'Unnamed series'}{' '}
              <span className="muted">({series.modality})</span>
            </span>
            {handle && <ReadingToolbar viewer={handle.viewer} modality={modality} onHelp={toggleHelp} />}
            <AnalyzeControl series={series} />
          </>
        ) : (
          <span className="muted">Open a series from the library to view it.</span>
        )}
      </div>
      <div className="viewer-body">
        <div className="viewport-frame">
          <div className="viewport" ref={elementRef} data-testid="viewport" tabIndex={0} />
          {series && <ViewportOverlay study={study} series={series} />}
          {loading && !decodeError && <div className="viewport-loading">Loading…</div>}
          {helpShown && <ShortcutHelp modality={modality} onClose={toggleHelp} />}
          {series && decodeError && (
            <div className="viewport-error" role="alert" data-testid="viewport-error">
              This image could not be decoded: {decodeError}
            </div>
          )}
        </div>
        <div className="side-panels">
          {handle && <MeasurementPanel viewer={handle.viewer} />}
          {series && <NotOfferedNote series={series} />}
          <AnalysisPanel />
        </div>
      </div>
    </main>
  );
}
