import { useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { reportError } from '../state/errorStore';
import { useLayoutStore } from '../state/layoutStore';
import { useLibraryStore } from '../state/libraryStore';
import { publishViewportState, useViewportState } from '../state/viewerStore';
import { stackImageIds } from '../viewer/imageIds';
import { LabelmapOverlay } from '../viewer/labelmapOverlay';
import { useLabelmapOverlays, type LabelmapTarget } from '../viewer/seriesLabelmaps';
import { SERIES_DRAG_TYPE, draggedSeriesId } from '../viewer/seriesDrag';
import { useStackViewer } from '../viewer/useStackViewer';
import { ReferenceLine } from './ReferenceLine';
import { ViewportOverlay } from './ViewportOverlay';

/**
 * One viewport of the grid: its own Cornerstone viewer, series, segmentations, corner text and
 * reference line.
 * A click or the wheel makes it the active viewport; a series dragged from the list drops into it.
 */
export function ViewportSlot({ slot, active, framed }: { slot: number; active: boolean; framed: boolean }) {
  const elementRef = useRef<HTMLDivElement>(null);
  const handle = useStackViewer(elementRef, slot);
  const content = useLayoutStore((s) => s.slots[slot] ?? null);
  const activate = useLayoutStore((s) => s.activate);
  const studies = useLibraryStore((s) => s.studies);
  const loading = useViewportState(slot, (s) => s.loading);
  const decodeError = useViewportState(slot, (s) => s.decodeError);
  const [dropTarget, setDropTarget] = useState(false);
  const instances = content?.instances;
  const series = content?.series ?? null;
  const study = studies.find((s) => s.studyInstanceUid === series?.studyInstanceUid) ?? null;

  useEffect(() => {
    const imageIds = stackImageIds(instances ?? []);
    // Nothing to show when every file of the series is missing (the user was told on opening).
    if (!handle || imageIds.length === 0) return;
    handle.cine.stop();
    publishViewportState(slot, { loading: true });
    handle.stackReady.current = handle.viewer
      .showStack(imageIds)
      .then(() => handle.cine.reset())
      .catch((error: unknown) => reportError(new Error(`Could not display the series: ${String(error)}`)))
      .finally(() => publishViewportState(slot, { loading: false }));
  }, [handle, instances, slot]);

  // The series' segmentations (shown SEGs, its AI result) over this viewport, whichever is active.
  const labelmapTarget = useMemo((): LabelmapTarget<LabelmapOverlay> | null => {
    const imageIds = stackImageIds(instances ?? []);
    if (!handle || imageIds.length === 0) return null;
    return {
      create: () => new LabelmapOverlay(handle.viewer.viewportId),
      // Read when called: the stack effect above has set it for this stack by then.
      show: (overlay, source) => handle.stackReady.current.then(() => overlay.showSource(imageIds, source)),
      render: () => handle.viewer.viewport.render(),
    };
  }, [handle, instances]);
  useLabelmapOverlays(`slot-${slot}`, series?.seriesId ?? null, labelmapTarget);

  const acceptsDrag = (event: DragEvent): boolean => event.dataTransfer.types.includes(SERIES_DRAG_TYPE);
  return (
    <div
      className={`viewport-frame${framed && active ? ' active' : ''}${dropTarget ? ' drop-target' : ''}`}
      data-testid="viewport-slot"
      data-slot={slot}
      data-active={active}
      onPointerDownCapture={() => activate(slot)}
      onWheelCapture={() => activate(slot)}
      onDragOver={(event) => {
        if (!acceptsDrag(event)) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
        setDropTarget(true);
      }}
      onDragLeave={() => setDropTarget(false)}
      onDrop={(event) => {
        setDropTarget(false);
        const dropped = draggedSeriesId(event.dataTransfer);
        if (dropped === null) return;
        event.preventDefault();
        void useLayoutStore.getState().openInSlot(slot, dropped);
      }}
    >
      {/* The active viewport keeps the single-viewport test id; the others are told apart by slot. */}
      <div
        className="viewport"
        ref={elementRef}
        data-testid={active ? 'viewport' : 'viewport-inactive'}
        tabIndex={0}
      />
      {series && <ViewportOverlay slot={slot} study={study} series={series} />}
      {framed && <ReferenceLine slot={slot} />}
      {loading && !decodeError && <div className="viewport-loading">Loading…</div>}
      {series && decodeError && (
        <div className="viewport-error" role="alert" data-testid="viewport-error">
          This image could not be decoded: {decodeError}
        </div>
      )}
      {!series && framed && <div className="viewport-empty muted">Drag a series here</div>}
    </div>
  );
}
