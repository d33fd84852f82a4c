/**
 * Slice geometry for synchronised scrolling and reference lines, in patient coordinates (mm, LPS):
 * the slice of a stack nearest a point, and the segment where one image's plane crosses another.
 */
import { cross, dot, type Vec3 } from '../../src-shared/geometry';

/** One image's plane as DICOM gives it (Image Plane module). */
export interface ImagePlane {
  /** Centre of the first (top-left) pixel. */
  readonly position: Vec3;
  /** Direction of increasing column (along a row). */
  readonly rowCosines: Vec3;
  /** Direction of increasing row (down a column). */
  readonly columnCosines: Vec3;
  /** Millimetres between neighbouring columns and between neighbouring rows. */
  readonly columnSpacing: number;
  readonly rowSpacing: number;
  readonly columns: number;
  readonly rows: number;
}

/** Stacks whose normals differ by more than this do not scroll together (30°). */
const SYNC_MIN_COSINE = Math.cos(Math.PI / 6);

const add = (a: Vec3, b: Vec3): Vec3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const scale = (a: Vec3, k: number): Vec3 => [a[0] * k, a[1] * k, a[2] * k];

function unit(a: Vec3): Vec3 | null {
  const length = Math.hypot(a[0], a[1], a[2]);
  return length > 1e-9 ? scale(a, 1 / length) : null;
}

/** The unit normal (row × column) of an Image Orientation (Patient); null when degenerate. */
export function sliceNormal(orientation: readonly number[]): Vec3 | null {
  if (orientation.length < 6 || !orientation.every(Number.isFinite)) return null;
  const [a, b, c, d, e, f] = orientation as [number, number, number, number, number, number];
  return unit(cross([a, b, c], [d, e, f]));
}

/** The unit normal of an image plane; null when degenerate. */
export function planeNormal(plane: ImagePlane): Vec3 | null {
  return unit(cross(plane.rowCosines, plane.columnCosines));
}

/** Whether two stacks are near enough parallel to scroll in step. */
export function scrollTogether(a: Vec3, b: Vec3): boolean {
  return Math.abs(dot(a, b)) >= SYNC_MIN_COSINE;
}

/**
 * The slice whose position along `normal` is nearest to the point's (ties go to the first);
 * -1 when no slice has a position.
 */
export function nearestSlice(positions: ReadonlyArray<Vec3 | null>, normal: Vec3, point: Vec3): number {
  const target = dot(point, normal);
  let best = -1;
  let bestDistance = Infinity;
  positions.forEach((position, index) => {
    if (!position) return;
    const distance = Math.abs(dot(position, normal) - target);
    if (distance < bestDistance) {
      best = index;
      bestDistance = distance;
    }
  });
  return best;
}

/** The image's centre point. */
export function planeCentre(plane: ImagePlane): Vec3 {
  return add(
    plane.position,
    add(
      scale(plane.rowCosines, ((plane.columns - 1) / 2) * plane.columnSpacing),
      scale(plane.columnCosines, ((plane.rows - 1) / 2) * plane.rowSpacing),
    ),
  );
}

/** The four outer corners of the image (pixel edges, half a pixel beyond the corner pixels' centres). */
export function planeCorners(plane: ImagePlane): [Vec3, Vec3, Vec3, Vec3] {
  const across = scale(plane.rowCosines, plane.columns * plane.columnSpacing);
  const down = scale(plane.columnCosines, plane.rows * plane.rowSpacing);
  const topLeft = sub(
    plane.position,
    add(scale(plane.rowCosines, plane.columnSpacing / 2), scale(plane.columnCosines, plane.rowSpacing / 2)),
  );
  return [topLeft, add(topLeft, across), add(add(topLeft, across), down), add(topLeft, down)];
}

/**
 * Where the image `source` crosses the (unbounded) plane through `point` with unit normal `normal`:
 * the segment between the two points where the image's edges meet that plane. Null when the planes
 * are parallel or the image lies wholly on one side.
 */
export function planeIntersection(source: ImagePlane, point: Vec3, normal: Vec3): [Vec3, Vec3] | null {
  const sourceNormal = planeNormal(source);
  if (!sourceNormal || Math.abs(dot(sourceNormal, normal)) > 1 - 1e-6) return null;
  const corners = planeCorners(source);
  const distances = corners.map((corner) => dot(sub(corner, point), normal));
  const hits: Vec3[] = [];
  for (let k = 0; k < 4; k++) {
    const a = corners[k]!;
    const b = corners[(k + 1) % 4]!;
    const da = distances[k]!;
    const db = distances[(k + 1) % 4]!;
    if (da === 0) hits.push(a);
    // Strictly opposite sides: the edge crosses between its ends.
    if (da * db < 0) hits.push(add(a, scale(sub(b, a), da / (da - db))));
  }
  // A line through a corner can be found twice: keep the two farthest apart.
  let ends: [Vec3, Vec3] | null = null;
  let longest = 0;
  for (let i = 0; i < hits.length; i++)
    for (let j = i + 1; j < hits.length; j++) {
      const d = sub(hits[j]!, hits[i]!);
      const length = Math.hypot(d[0], d[1], d[2]);
      if (length > longest) {
        longest = length;
        ends = [hits[i]!, hits[j]!];
      }
    }
  return ends;
}
