/**
 * Cornerstone image IDs for a series: one per single-frame instance, one per frame otherwise, one
 * per slice of a NIfTI volume;
 * instances whose file is missing are left out (the user is told once, when the series opens).
 */
import type { InstanceRef } from '../../src-shared/api';
import { niftiSliceImageId } from './niftiSliceLoader';

export function stackImageIds(instances: readonly InstanceRef[]): string[] {
  return instances.flatMap((instance) => {
    if (instance.missing) return [];
    if (instance.format === 'nifti')
      return Array.from({ length: instance.frames }, (_, k) => niftiSliceImageId(instance.url, k));
    if (instance.frames <= 1) return [`wadouri:${instance.url}`];
    // The wadouri loader reads a 1-based `frame=` parameter at the end of the URL.
    const separator = instance.url.includes('?') ? '&' : '?';
    return Array.from(
      { length: instance.frames },
      (_, i) => `wadouri:${instance.url}${separator}frame=${i + 1}`,
    );
  });
}
