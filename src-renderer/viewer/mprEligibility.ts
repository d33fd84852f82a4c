/**
 * Whether a series can be shown as MPR: one regular stack of at least three single-frame slices,
 * as the library measured it on import. The reason is shown to the user when it cannot.
 */
import type { InstanceRef, SeriesSummary } from '../../src-shared/api';

export const MPR_MIN_SLICES = 3;

/** Null when MPR can be offered; otherwise one sentence saying why not. */
export function mprUnavailableReason(
  series: SeriesSummary,
  instances: readonly InstanceRef[],
): string | null {
  if (series.kind !== 'image') return 'MPR needs an image series.';
  if (instances.some((instance) => instance.frames > 1))
    return 'MPR is not offered for multi-frame images yet.';
  const present = instances.filter((instance) => !instance.missing).length;
  if (present < MPR_MIN_SLICES)
    return `MPR needs at least ${MPR_MIN_SLICES} slices; this series has ${present}.`;
  if (present !== instances.length) return 'Some files of this series are missing, so its volume has holes.';
  if (series.splitReason !== null)
    return `This stack was split from its series (${series.splitReason}): its slices do not form one volume with the others.`;
  if (series.sliceSpacing === null || !(series.sliceSpacing > 0))
    return 'The slices have no usable spacing along their normal.';
  if (series.sliceGaps > 0)
    return `The series has ${series.sliceGaps} gap${series.sliceGaps === 1 ? '' : 's'} between slices.`;
  if (series.spacingIrregular) return 'The spacing between slices is irregular.';
  return null;
}
