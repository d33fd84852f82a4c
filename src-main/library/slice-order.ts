/**
 * Orders the images of a series along the slice normal (row direction x column direction), the
 * way a stack is read; falls back to the instance number where the geometry is missing.
 */
import { cross, dot } from '../../src-shared/geometry';
import type { Vec3 } from '../../src-shared/geometry';

export interface OrderableImage {
  readonly imagePositionPatient: Vec3 | null;
  readonly imageOrientationPatient: readonly number[] | null;
  readonly instanceNumber: number | null;
}

export function sliceNormal(orientation: readonly number[]): Vec3 {
  const row: Vec3 = [orientation[0]!, orientation[1]!, orientation[2]!];
  const column: Vec3 = [orientation[3]!, orientation[4]!, orientation[5]!];
  return cross(row, column);
}

/** Sort keys, one per image: the position projected on the normal, or the instance number. */
export function sliceSortKeys(images: readonly OrderableImage[]): number[] {
  const reference = images.find((image) => image.imageOrientationPatient)?.imageOrientationPatient;
  const geometric = reference !== undefined && images.every((image) => image.imagePositionPatient);
  if (geometric && reference) {
    const normal = sliceNormal(reference);
    return images.map((image) => dot(image.imagePositionPatient!, normal));
  }
  return images.map((image, index) => image.instanceNumber ?? index);
}
