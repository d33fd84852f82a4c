import { useEffect, useState, type RefObject } from 'react';
import { reportError } from '../state/errorStore';
import { initCornerstone } from './cornerstoneInit';
import { setMprDiagnosticsTarget } from './diagnostics';
import { MprLabelmapOverlay } from './mprLabelmap';
import { MPR_SLOTS, MprViewer, type MprSlot, type MprViewReadout } from './mprViewer';

export interface MprHandle {
  readonly viewer: MprViewer;
  readonly overlay: MprLabelmapOverlay;
}

type Readouts = Record<MprSlot, MprViewReadout | null>;
const NO_READOUTS: Readouts = { large: null, axial: null, sagittal: null, coronal: null };

/** Creates the MPR viewer once its four elements exist, and tears it down with the component. */
export function useMprViewer(refs: Record<MprSlot, RefObject<HTMLDivElement | null>>): {
  handle: MprHandle | null;
  readouts: Readouts;
} {
  const [handle, setHandle] = useState<MprHandle | null>(null);
  const [readouts, setReadouts] = useState<Readouts>(NO_READOUTS);
  const { large, axial, sagittal, coronal } = refs;

  useEffect(() => {
    const elements = {
      large: large.current,
      axial: axial.current,
      sagittal: sagittal.current,
      coronal: coronal.current,
    };
    if (!elements.large || !elements.axial || !elements.sagittal || !elements.coronal) return;
    const present = elements as Record<MprSlot, HTMLDivElement>;
    let created: MprHandle | null = null;
    let disposed = false;
    initCornerstone()
      .then(() => {
        if (disposed) return;
        const viewer = new MprViewer(present, (next) =>
          // Rendering fires on every frame of a drag: only publish changes.
          setReadouts((current) => (JSON.stringify(current) === JSON.stringify(next) ? current : next)),
        );
        created = { viewer, overlay: new MprLabelmapOverlay(viewer.viewportIds) };
        setMprDiagnosticsTarget(created.viewer, created.overlay);
        setHandle(created);
      })
      .catch(reportError);

    const observer = new ResizeObserver(() => created?.viewer.resize());
    for (const slot of MPR_SLOTS) observer.observe(present[slot]);
    return () => {
      disposed = true;
      observer.disconnect();
      if (created) {
        setMprDiagnosticsTarget(null, null);
        created.overlay.remove();
        created.viewer.destroy();
      }
    };
  }, [large, axial, sagittal, coronal]);

  return { handle, readouts };
}
