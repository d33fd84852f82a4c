import { useEffect, useState, type RefObject } from 'react';
import { reportError } from '../state/errorStore';
import { useViewerStore } from '../state/viewerStore';
import { initCornerstone } from './cornerstoneInit';
import { setDiagnosticsTarget } from './diagnostics';
import { LabelmapOverlay } from './labelmapOverlay';
import { StackViewer } from './stackViewer';

export interface ViewerHandle {
  readonly viewer: StackViewer;
  readonly overlay: LabelmapOverlay;
}

/** Creates the Cornerstone viewer once the element exists, and tears it down with the component. */
export function useStackViewer(elementRef: RefObject<HTMLDivElement | null>): ViewerHandle | null {
  const [handle, setHandle] = useState<ViewerHandle | null>(null);

  useEffect(() => {
    const element = elementRef.current;
    if (!element) return;
    let created: ViewerHandle | null = null;
    let disposed = false;
    initCornerstone()
      .then(() => {
        if (disposed) return;
        const viewer = new StackViewer(element, (readout) => {
          const current = useViewerStore.getState();
          // IMAGE_RENDERED fires on every frame of a drag: only publish changes.
          const changed = (Object.keys(readout) as Array<keyof typeof readout>).some(
            (key) => JSON.stringify(current[key]) !== JSON.stringify(readout[key]),
          );
          if (changed) {
            useViewerStore.setState(readout);
          }
        });
        created = { viewer, overlay: new LabelmapOverlay(viewer.viewportId) };
        setDiagnosticsTarget(created.viewer, created.overlay);
        setHandle(created);
      })
      .catch(reportError);

    const observer = new ResizeObserver(() => created?.viewer.resize());
    observer.observe(element);
    return () => {
      disposed = true;
      observer.disconnect();
      if (created) {
        setDiagnosticsTarget(null, null);
        created.overlay.clear();
        created.viewer.destroy();
      }
    };
  }, [elementRef]);

  return handle;
}
