import type { Types } from '@cornerstonejs/core';

/**
 * Moves a view's camera along its normal onto the plane through a patient-space point: the slice
 * changes to the one through that point, while the view's zoom, pan and in-plane orientation stay.
 */
export function moveToPlaneThrough(
  viewport: Pick<Types.IViewport, 'getCamera' | 'setCamera'>,
  point: Types.Point3,
): void {
  const { focalPoint, position, viewPlaneNormal: n } = viewport.getCamera();
  if (!focalPoint || !position || !n) return;
  const offset =
    (point[0] - focalPoint[0]) * n[0] + (point[1] - focalPoint[1]) * n[1] + (point[2] - focalPoint[2]) * n[2];
  const move = (p: Types.Point3): Types.Point3 => [
    p[0] + offset * n[0],
    p[1] + offset * n[1],
    p[2] + offset * n[2],
  ];
  viewport.setCamera({ focalPoint: move(focalPoint), position: move(position) });
}

/**
 * +1 or -1: the step along a volume view's own normal that goes to its next slice. Cornerstone flips
 * a volume view by looking at its plane from the other side (each flip turns the normal round) and
 * then counts its slices from the other end; stepping by this sign keeps "next" the same slice,
 * whichever way the view is flipped.
 */
export function sliceStepSign(camera: Pick<Types.ICamera, 'flipHorizontal' | 'flipVertical'>): 1 | -1 {
  return Boolean(camera.flipHorizontal) === Boolean(camera.flipVertical) ? 1 : -1;
}
