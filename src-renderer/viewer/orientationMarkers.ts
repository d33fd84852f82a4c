import type { Types } from '@cornerstonejs/core';

/** The patient-direction letters at the four edges of a viewport. */
export interface OrientationMarkers {
  readonly top: string;
  readonly bottom: string;
  readonly left: string;
  readonly right: string;
}

/**
 * Letters for a direction in the patient (LPS) system, strongest component first, as radiologists
 * read them: L/R, P/A, H/F. Components under 0.25 are left out, so an oblique plane shows two letters.
 */
export function directionLetters(direction: Types.Point3): string {
  const [x, y, z] = direction;
  const parts: Array<[number, string]> = [
    [Math.abs(x), x > 0 ? 'L' : 'R'],
    [Math.abs(y), y > 0 ? 'P' : 'A'],
    [Math.abs(z), z > 0 ? 'H' : 'F'],
  ];
  return parts
    .filter(([weight]) => weight >= 0.25)
    .sort((a, b) => b[0] - a[0])
    .map(([, letter]) => letter)
    .join('');
}

/**
 * The markers for what is on screen now: the screen's right and down directions are found through
 * the viewport's own canvas-to-world mapping, so rotation, flips and oblique planes are included.
 */
export function orientationMarkers(
  viewport: Pick<Types.IViewport, 'canvas' | 'canvasToWorld'>,
): OrientationMarkers | null {
  const canvas = viewport.canvas;
  const cx = canvas.clientWidth / 2;
  const cy = canvas.clientHeight / 2;
  const centre = viewport.canvasToWorld([cx, cy]);
  const unit = (to: Types.Point3): Types.Point3 | null => {
    const d: Types.Point3 = [to[0] - centre[0], to[1] - centre[1], to[2] - centre[2]];
    const length = Math.hypot(...d);
    return length > 0 && Number.isFinite(length) ? [d[0] / length, d[1] / length, d[2] / length] : null;
  };
  const right = unit(viewport.canvasToWorld([cx + 10, cy]));
  const down = unit(viewport.canvasToWorld([cx, cy + 10]));
  if (!right || !down) return null;
  const negate = (d: Types.Point3): Types.Point3 => [-d[0], -d[1], -d[2]];
  return {
    right: directionLetters(right),
    left: directionLetters(negate(right)),
    bottom: directionLetters(down),
    top: directionLetters(negate(down)),
  };
}
