import { useEffect, useState, type RefObject } from 'react';
import { reportError } from '../state/errorStore';
import { publishViewportState } from '../state/viewerStore';
import { CinePlayer, stackCineTarget } from './cinePlayer';
import { initCornerstone } from './cornerstoneInit';
import { StackViewer } from './stackViewer';
import { registerViewport, type ViewerHandle } from './viewportRegistry';

/**
 * Creates the Cornerstone viewer of a grid slot once its element exists, registers it under the
 * slot, and tears it down with the component.
 */
export function useStackViewer(
  elementRef: RefObject<HTMLDivElement | null>,
  slot: number,
): ViewerHandle | null {
  const [handle, setHandle] = useState<ViewerHandle | null>(null);

  useEffect(() => {
    const element = elementRef.current;
    if (!element) return;
    let created: ViewerHandle | null = null;
    let disposed = false;
    initCornerstone()
      .then(() => {
        if (disposed) return;
        const viewer = new StackViewer(element, (readout) => publishViewportState(slot, readout));
        created = {
          viewer,
          cine: new CinePlayer(stackCineTarget(viewer), (cine) => publishViewportState(slot, cine)),
          stackReady: { current: Promise.resolve() },
        };
        registerViewport(slot, created);
        setHandle(created);
      })
      .catch(reportError);

    const observer = new ResizeObserver(() => created?.viewer.resize());
    observer.observe(element);
    return () => {
      disposed = true;
      observer.disconnect();
      if (created) {
        registerViewport(slot, null);
        created.cine.stop();
        created.viewer.destroy();
      }
    };
  }, [elementRef, slot]);

  return handle;
}
