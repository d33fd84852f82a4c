import { useEffect, useState, type RefObject } from 'react';
import { reportError } from '../state/errorStore';
import { initCornerstone } from './cornerstoneInit';
import { setMprDiagnosticsTarget } from './diagnostics';
import { MPR_SLOTS, MprViewer, type MprSlot, type MprViewReadout } from './mprViewer';

type Readouts = Record<MprSlot, MprViewReadout | null>;
const NO_READOUTS: Readouts = { large: null, axial: null, sagittal: null, coronal: null };

/** Creates the MPR viewer once its four elements exist, and tears it down with the component. */
export function useMprViewer(refs: Record<MprSlot, RefObject<HTMLDivElement | null>>): {
  viewer: MprViewer | null;
  readouts: Readouts;
} {
  const [viewer, setViewer] = useState<MprViewer | null>(null);
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
    let created: MprViewer | null = null;
    let disposed = false;
    initCornerstone()
      .then(() => {
        if (disposed) return;
        created = new MprViewer(present, (next) =>
          // Rendering fires on every frame of a drag: only publish changes.
          setReadouts((current) => (JSON.stringify(current) === JSON.stringify(next) ? current : next)),
        );
        setMprDiagnosticsTarget(created);
        setViewer(created);
      })
      .catch(reportError);

    const observer = new ResizeObserver(() => created?.resize());
    for (const slot of MPR_SLOTS) observer.observe(present[slot]);
    return () => {
      disposed = true;
      observer.disconnect();
      if (created) {
        setMprDiagnosticsTarget(null);
        created.destroy();
      }
    };
  }, [large, axial, sagittal, coronal]);

  return { viewer, readouts };
}
