/**
 * Whether a series can be shown as MPR: one regular stack of at least three single-frame slices,
 * as the library measured it on import, or multi-frame images whose frames each carry a position
 * (enhanced CT/MR: Plane Position per frame) on one orientation, evenly spaced. The reason is shown
 * to the user when it cannot.
 */
import type { InstanceRef, SeriesSummary } from '../../src-shared/api';
import { cross, type Vec3 } from '../../src-shared/geometry';
import { measureSliceSpacing, type SpacingReport } from '../../src-shared/slice-spacing';

export const MPR_MIN_SLICES = 3;

const SAME_ORIENTATION = 1e-3;

/** Why the frames of multi-frame instances do not form one volume; null when they do. */
function multiFrameReason(instances: readonly InstanceRef[]): string | null {
  const orientation = instances[0]?.orientation;
  if (!orientation || orientation.length < 6) return 'The multi-frame image has no plane orientation.';
  if (
    instances.some(
      (instance) =>
        !instance.orientation ||
        instance.orientation.some((value, i) => Math.abs(value - orientation[i]!) > SAME_ORIENTATION),
    )
  )
    return 'The multi-frame images differ in orientation.';
  const positions: Vec3[] = [];
  for (const instance of instances) {
    if (!instance.framePositions || instance.framePositions.length !== instance.frames)
      return 'The multi-frame image does not give every frame a position (no per-frame Plane Position).';
    positions.push(...instance.framePositions);
  }
  if (positions.length < MPR_MIN_SLICES)
    return `MPR needs at least ${MPR_MIN_SLICES} slices; this series has ${positions.length}.`;
  const row: Vec3 = [orientation[0]!, orientation[1]!, orientation[2]!];
  const column: Vec3 = [orientation[3]!, orientation[4]!, orientation[5]!];
  return spacingReason(measureSliceSpacing(positions, cross(row, column)));
}

function spacingReason(spacing: SpacingReport): string | null {
  if (spacing.sliceSpacing === null || !(spacing.sliceSpacing > 0))
    return 'The slices have no usable spacing along their normal.';
  if (spacing.gaps > 0)
    return `The series has ${spacing.gaps} gap${spacing.gaps === 1 ? '' : 's'} between slices.`;
  if (spacing.irregular) return 'The spacing between slices is irregular.';
  return null;
}

/** Null when MPR can be offered; otherwise one sentence saying why not. */
export function mprUnavailableReason(
  series: SeriesSummary,
  instances: readonly InstanceRef[],
): string | null {
  if (series.kind !== 'image') return 'MPR needs an image series.';
  if (instances.some((instance) => instance.format === 'nifti'))
    return 'MPR is not offered for NIfTI volumes yet.';
  if (instances.some((instance) => instance.missing))
    return 'Some files of this series are missing, so its volume has holes.';
  // Cornerstone's volumes keep the indices; interpolated, they would pick unrelated table colours.
  if (instances.some((instance) => instance.photometric === 'PALETTE COLOR'))
    return 'MPR is not offered for palette colour images: a reformatted plane would blend their colour-table indices.';
  // Cornerstone 5.14 gives a volume three components only where the photometric is RGB; a YBR
  // series (native, or JPEG decoded to RGB) would fill a one-component volume with every channel.
  if (instances.some((instance) => instance.photometric?.startsWith('YBR')))
    return 'MPR is not offered for YBR colour images yet: the volume would hold one channel of three.';
  if (series.splitReason !== null)
    return `This stack was split from its series (${series.splitReason}): its slices do not form one volume with the others.`;
  if (instances.some((instance) => instance.frames > 1)) {
    if (instances.some((instance) => instance.frames <= 1))
      return 'The series mixes multi-frame and single-frame images.';
    return multiFrameReason(instances);
  }
  if (instances.length < MPR_MIN_SLICES)
    return `MPR needs at least ${MPR_MIN_SLICES} slices; this series has ${instances.length}.`;
  return spacingReason({
    sliceSpacing: series.sliceSpacing,
    gaps: series.sliceGaps,
    irregular: series.spacingIrregular,
  });
}
