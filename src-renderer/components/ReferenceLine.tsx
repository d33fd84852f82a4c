import { Enums } from '@cornerstonejs/core';
import { useEffect, useState } from 'react';
import { useLayoutStore } from '../state/layoutStore';
import { useViewportState } from '../state/viewerStore';
import { displayedPlane } from '../viewer/displayedPlane';
import { planeIntersection, planeNormal } from '../viewer/planeGeometry';
import { useViewportRegistry } from '../viewer/viewportRegistry';

type Segment = readonly [readonly [number, number], readonly [number, number]];

/**
 * The line where the active viewport's slice crosses this viewport's slice (same frame of reference),
 * drawn over this viewport in canvas pixels; nothing when the planes are parallel or do not meet.
 */
export function ReferenceLine({ slot }: { slot: number }) {
  const activeSlot = useLayoutStore((s) => s.activeSlot);
  const source = useViewportRegistry((s) => s.handles[activeSlot]);
  const target = useViewportRegistry((s) => s.handles[slot]);
  // Re-drawn when the active viewport changes slice; both viewports' renders are listened to below.
  const sourceSlice = useViewportState(activeSlot, (s) => s.sliceIndex);
  const [segment, setSegment] = useState<Segment | null>(null);

  useEffect(() => {
    if (!source || !target || slot === activeSlot) {
      setSegment(null);
      return;
    }
    const update = (): void => {
      const from = displayedPlane(source.viewer.viewport);
      const onto = displayedPlane(target.viewer.viewport);
      const normal = onto && planeNormal(onto.plane);
      const ends =
        from && onto && normal && from.frameOfReferenceUid === onto.frameOfReferenceUid
          ? planeIntersection(from.plane, onto.plane.position, normal)
          : null;
      if (!ends) return setSegment(null);
      const viewport = target.viewer.viewport;
      const [a, b] = ends.map((point) => viewport.worldToCanvas([point[0], point[1], point[2]]));
      const next: Segment = [
        [a![0], a![1]],
        [b![0], b![1]],
      ];
      // IMAGE_RENDERED fires on every frame of a drag: keep the same segment when nothing moved.
      setSegment((previous) => (previous && sameSegment(previous, next) ? previous : next));
    };
    update();
    // Either side's render can be the first with its new plane (an image still loading has none).
    const elements = [target.viewer.element, source.viewer.element];
    for (const element of elements) element.addEventListener(Enums.Events.IMAGE_RENDERED, update);
    return () => {
      for (const element of elements) element.removeEventListener(Enums.Events.IMAGE_RENDERED, update);
    };
  }, [source, target, slot, activeSlot, sourceSlice]);

  if (!segment) return null;
  const [[x1, y1], [x2, y2]] = segment;
  return (
    <svg className="reference-lines" aria-hidden="true">
      <line data-testid="reference-line" x1={x1} y1={y1} x2={x2} y2={y2} />
    </svg>
  );
}

function sameSegment(a: Segment, b: Segment): boolean {
  return a.every((point, k) => point.every((value, i) => Math.abs(value - b[k]![i]!) < 0.01));
}
