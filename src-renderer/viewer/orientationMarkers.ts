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

const OPPOSITE: Readonly<Record<string, string>> = { L: 'R', R: 'L', A: 'P', P: 'A', H: 'F', F: 'H' };

/**
 * Markers for a projection image from Patient Orientation (0020,0020): the patient directions of
 * the image's rows (towards increasing column) and columns (towards increasing row). The viewport
 * places such an image as if axial, so screen directions found that way (flips and rotation
 * included) are renamed: +column (L) becomes the row direction, +row (P) the column direction.
 */
export function projectionMarkers(
  viewport: Types.IViewport,
  patientOrientation: string,
): OrientationMarkers | null {
  const [row, column, ...rest] = patientOrientation.split('\\').map((part) => part.trim().toUpperCase());
  const valid = (letters: string | undefined): letters is string =>
    !!letters && /^[LRAPHF]{1,3}$/.test(letters);
  if (rest.length > 0 || !valid(row) || !valid(column)) return null;
  const opposite = (letters: string): string => [...letters].map((c) => OPPOSITE[c]).join('');
  const rename: Readonly<Record<string, string>> = {
    L: row,
    R: opposite(row),
    P: column,
    A: opposite(column),
  };
  const asAxial = orientationMarkers(viewport);
  if (!asAxial) return null;
  const convert = (letters: string): string => [...letters].map((c) => rename[c] ?? '').join('');
  return {
    top: convert(asAxial.top),
    bottom: convert(asAxial.bottom),
    left: convert(asAxial.left),
    right: convert(asAxial.right),
  };
}
