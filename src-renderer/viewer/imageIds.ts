/**
 * Cornerstone image IDs for a series: one per single-frame instance, one per frame otherwise, one
 * per slice of a NIfTI volume;
 * instances whose file is missing are left out (the user is told once, when the series opens).
 */
import type { InstanceRef } from '../../src-shared/api';
import type { Vec3 } from '../../src-shared/geometry';
import { niftiSliceImageId } from './niftiSliceLoader';

export interface StackFrame {
  readonly imageId: string;
  /** Image Position (Patient) of the frame; null when the file gives none. */
  readonly position: Vec3 | null;
  readonly orientation: readonly number[] | null;
}

export function stackFrames(instances: readonly InstanceRef[]): StackFrame[] {
  return instances.flatMap((instance) => {
    if (instance.missing) return [];
    const { orientation } = instance;
    if (instance.format === 'nifti')
      return Array.from({ length: instance.frames }, (_, k) => ({
        imageId: niftiSliceImageId(instance.url, k),
        position: null,
        orientation: null,
      }));
    if (instance.frames <= 1)
      return [{ imageId: `wadouri:${instance.url}`, position: instance.position, orientation }];
    // The wadouri loader reads a 1-based `frame=` parameter at the end of the URL.
    const separator = instance.url.includes('?') ? '&' : '?';
    return Array.from({ length: instance.frames }, (_, i) => ({
      imageId: `wadouri:${instance.url}${separator}frame=${i + 1}`,
      position: instance.framePositions?.[i] ?? null,
      orientation,
    }));
  });
}

export function stackImageIds(instances: readonly InstanceRef[]): string[] {
  return stackFrames(instances).map((frame) => frame.imageId);
}
