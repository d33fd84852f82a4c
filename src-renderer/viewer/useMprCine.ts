import { Enums } from '@cornerstonejs/core';
import { useEffect, useMemo, useRef, useState } from 'react';
import { DEFAULT_FRAME_RATE } from '../state/viewerStore';
import { CinePlayer, type CineState } from './cinePlayer';
import type { MprSlot, MprViewer } from './mprViewer';

/**
 * Cine in MPR: the stack's player stepping the active view through its slices (the crosshair lines
 * in the other views follow), up the slice numbers whichever way the view is flipped. Making another
 * view active, or a new volume, stops it.
 */
export function useMprCine(
  viewer: MprViewer | null,
  activeSlot: MprSlot,
  volumeId: string | null,
): { cine: CinePlayer | null; state: CineState } {
  const [state, setState] = useState<CineState>({ cinePlaying: false, frameRate: DEFAULT_FRAME_RATE });
  // The view the player drives; changed only after the player has stopped on the previous one.
  const slot = useRef(activeSlot);
  const cine = useMemo(() => {
    if (!viewer) return null;
    const shown = (): boolean => viewer.volumeInfo()?.loaded === true;
    return new CinePlayer(
      {
        get element() {
          return viewer.viewport(slot.current).element;
        },
        frameCount: () => (shown() ? viewer.viewport(slot.current).getNumberOfSlices() : 0),
        imageId: () => viewer.volumeInfo()?.imageIds[0],
        direction: () => viewer.sliceDirection(slot.current),
      },
      setState,
    );
  }, [viewer]);

  useEffect(() => {
    slot.current = activeSlot;
    if (!viewer || !cine) return;
    // A flip turns the view's slice order round: the clip goes on counting up.
    const element = viewer.viewport(activeSlot).element;
    const follow = (): void => cine.followDirection();
    element.addEventListener(Enums.Events.CAMERA_MODIFIED, follow);
    return () => {
      element.removeEventListener(Enums.Events.CAMERA_MODIFIED, follow);
      cine.stop();
    };
  }, [viewer, cine, activeSlot]);
  useEffect(() => cine?.reset(), [cine, volumeId]);

  return { cine, state };
}
