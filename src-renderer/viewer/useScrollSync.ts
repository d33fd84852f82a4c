import { Enums } from '@cornerstonejs/core';
import { useEffect } from 'react';
import type { Vec3 } from '../../src-shared/geometry';
import { useLayoutStore, type SlotContent } from '../state/layoutStore';
import { displayedPlane } from './displayedPlane';
import { stackFrames } from './imageIds';
import { nearestSlice, planeCentre, planeNormal, scrollTogether, sliceNormal } from './planeGeometry';
import { useViewportRegistry } from './viewportRegistry';

/**
 * Synchronised scrolling: when the active viewport shows another slice, every other viewport of the
 * same frame of reference with a near-parallel stack goes to its slice nearest that slice's centre,
 * measured along its own normal. Only the active viewport leads, so viewports never drive each other
 * back and forth (the wheel and a click make a viewport the active one).
 */
export function useScrollSync(slotCount: number): void {
  const activeSlot = useLayoutStore((s) => s.activeSlot);
  const slots = useLayoutStore((s) => s.slots);
  const syncScroll = useLayoutStore((s) => s.syncScroll);
  const handles = useViewportRegistry((s) => s.handles);

  useEffect(() => {
    const leader = handles[activeSlot];
    const leaderSeries = slots[activeSlot]?.series;
    if (!syncScroll || !leader || !leaderSeries?.frameOfReferenceUid) return;
    const follow = (): void => {
      const shown = displayedPlane(leader.viewer.viewport);
      if (!shown) return;
      const leaderNormal = planeNormal(shown.plane);
      const centre = planeCentre(shown.plane);
      for (let slot = 0; slot < slotCount; slot++) {
        const follower = handles[slot];
        const content = slots[slot];
        if (slot === activeSlot || !follower || !content || !leaderNormal) continue;
        if (content.series.frameOfReferenceUid !== shown.frameOfReferenceUid) continue;
        const index = followerSlice(content, leaderNormal, centre);
        const viewport = follower.viewer.viewport;
        if (
          index >= 0 &&
          index < viewport.getImageIds().length &&
          index !== viewport.getCurrentImageIdIndex()
        )
          follower.viewer.scrollTo(index);
      }
    };
    const element = leader.viewer.element;
    element.addEventListener(Enums.Events.STACK_NEW_IMAGE, follow);
    follow();
    return () => element.removeEventListener(Enums.Events.STACK_NEW_IMAGE, follow);
  }, [activeSlot, slots, syncScroll, handles, slotCount]);
}

/** The follower's slice nearest the point, or -1 when its stack is not near-parallel or lacks positions. */
function followerSlice(content: SlotContent, leaderNormal: Vec3, point: Vec3): number {
  const frames = stackFrames(content.instances);
  const orientation = frames.find((frame) => frame.orientation)?.orientation;
  const normal = orientation ? sliceNormal(orientation) : null;
  if (!normal || !scrollTogether(normal, leaderNormal)) return -1;
  return nearestSlice(
    frames.map((frame) => frame.position),
    normal,
    point,
  );
}
