/**
 * The plane of one NIfTI slice (voxel k along the third axis) in DICOM patient space: NIfTI's
 * affine maps voxels to RAS millimetres; DICOM's LPS is the same with x and y negated.
 */
import type { Affine } from '../../src-shared/geometry';

type Vec3 = [number, number, number];

export interface NiftiSlicePlane {
  /** Patient position (LPS, mm) of the first voxel of the slice. */
  readonly origin: Vec3;
  /** Unit direction of increasing column index (i), then of increasing row index (j). */
  readonly rowCosines: Vec3;
  readonly columnCosines: Vec3;
  /** Millimetres between columns (along i) and between rows (along j). */
  readonly columnSpacing: number;
  readonly rowSpacing: number;
}

export function niftiSlicePlane(affine: Affine, k: number): NiftiSlicePlane {
  // `0 - x` rather than `-x`: no negative zeros in the result.
  const column = (c: number): Vec3 => [0 - affine[c]!, 0 - affine[4 + c]!, affine[8 + c]!];
  const [iStep, jStep, kStep, translation] = [column(0), column(1), column(2), column(3)];
  const length = (v: Vec3): number => Math.hypot(...v);
  const unit = (v: Vec3): Vec3 => {
    const n = length(v) || 1;
    return [v[0] / n, v[1] / n, v[2] / n];
  };
  return {
    origin: [translation[0] + k * kStep[0], translation[1] + k * kStep[1], translation[2] + k * kStep[2]],
    rowCosines: unit(iStep),
    columnCosines: unit(jStep),
    columnSpacing: length(iStep),
    rowSpacing: length(jStep),
  };
}
