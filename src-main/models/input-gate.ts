/**
 * A model's input gate (manifest `inputGate`) checked against a series' header geometry: how many
 * images, how large, and how far from isotropic its voxels are. Headers cannot tell a T1 from a
 * T2 of the same geometry, so the gate keeps out what clearly is not the model's input (the
 * trio's 64x64 field maps for MeshNet), not every wrong contrast.
 */
import { cross, dot, type Vec3 } from '../../src-shared/geometry';
import type { InputGate, ModelManifest } from '../../src-shared/models';
import type { StoredInstance } from '../library/library-store';
import type { FramePlacement } from '../analysis/series-volume';

/**
 * Where a series' slices lie: one per image, or one per frame of a single multi-frame image (as
 * `placement` placed them from its header, else as the library recorded them for enhanced images).
 */
function slicePositions(
  instances: readonly StoredInstance[],
  placement: FramePlacement | null,
): ReadonlyArray<Vec3 | null> {
  const only = instances[0];
  if (instances.length !== 1 || !only || only.frames <= 1) return instances.map((i) => i.position);
  if (placement && 'positions' in placement) return placement.positions;
  const frames = only.framePositions;
  const o = only.orientation;
  if (!frames || !o) return Array.from({ length: only.frames }, () => null);
  // Frames may be stored in any order (the volume sorts them along the normal): so are they here.
  const normal = cross([o[0]!, o[1]!, o[2]!], [o[3]!, o[4]!, o[5]!]);
  return [...frames].sort((a, b) => dot(a, normal) - dot(b, normal));
}

/** Why the series does not pass the gate, in words for the user; null when it passes. */
export function gateRefusal(
  gate: InputGate | undefined,
  instances: readonly StoredInstance[],
  placement: FramePlacement | null = null,
): string | null {
  if (!gate) return null;
  const problems: string[] = [];
  const positions = slicePositions(instances, placement);
  const slices = positions.length;
  if (gate.minSlices !== undefined && slices < gate.minSlices)
    problems.push(`${slices} images, at least ${gate.minSlices} needed`);
  const matrix = Math.min(...instances.map((i) => Math.min(i.rows, i.columns)));
  const first = instances[0];
  if (gate.minMatrix !== undefined && first && matrix < gate.minMatrix)
    problems.push(
      `${first.columns}×${first.rows} images, at least ${gate.minMatrix}×${gate.minMatrix} needed`,
    );
  const spacing =
    placement && 'pixelSpacing' in placement ? placement.pixelSpacing : instances[0]?.pixelSpacing;
  const voxel = voxelEdges(spacing ?? null, positions);
  if (gate.maxVoxelMm !== undefined || gate.maxAnisotropy !== undefined) {
    if (!voxel) problems.push('the voxel size is unknown (no pixel spacing or positions)');
    else {
      const largest = Math.max(...voxel);
      const text = voxel.map((v) => v.toFixed(1)).join(' × ');
      if (gate.maxVoxelMm !== undefined && largest > gate.maxVoxelMm)
        problems.push(`voxels of ${text} mm, at most ${gate.maxVoxelMm} mm per edge accepted`);
      else if (gate.maxAnisotropy !== undefined && largest / Math.min(...voxel) > gate.maxAnisotropy)
        problems.push(`voxels of ${text} mm are not near isotropic (at most ${gate.maxAnisotropy}:1)`);
    }
  }
  return problems.length === 0 ? null : problems.join('; ');
}

/** Column spacing, row spacing and the median distance between consecutive slice positions, mm. */
function voxelEdges(
  spacing: readonly [number, number] | null,
  positions: ReadonlyArray<Vec3 | null>,
): [number, number, number] | null {
  if (!spacing) return null;
  const steps: number[] = [];
  for (let k = 1; k < positions.length; k++) {
    const a = positions[k - 1];
    const b = positions[k];
    if (!a || !b) return null;
    steps.push(Math.hypot(b[0] - a[0], b[1] - a[1], b[2] - a[2]));
  }
  steps.sort((x, y) => x - y);
  const step = steps[Math.floor(steps.length / 2)];
  if (step === undefined || step === 0) return null;
  return [spacing[1], spacing[0], step];
}

/**
 * Why a model cannot analyse a series (modality, one image for a 2D model, a multi-frame image
 * whose frames are not one volume, the input gate); null when it can. `placement`: framePlacement’s
 * answer for a series that is one multi-frame image.
 */
export function analysisRefusal(
  manifest: ModelManifest,
  modality: string,
  instances: readonly StoredInstance[],
  placement: FramePlacement | null = null,
): string | null {
  if (!manifest.modalities.includes(modality))
    return `${manifest.name} accepts ${manifest.modalities.join(', ')} series, not ${modality}`;
  if (manifest.task === 'classification' && instances.length !== 1)
    return `${manifest.name} reads one image per series; this series has ${instances.length}`;
  // A multi-frame image is a cine run, a tomosynthesis or a volume: no one frame of it is the
  // single radiograph a 2D model was trained on, so none is picked.
  const frames = instances[0]?.frames ?? 1;
  if (manifest.task === 'classification' && frames > 1)
    return `${manifest.name} reads a single-frame image; this one has ${frames} frames`;
  if (placement && 'problem' in placement)
    return `${manifest.name} cannot read this series as a volume: ${placement.problem}`;
  const gate = gateRefusal(manifest.inputGate, instances, placement);
  return gate && `${manifest.name} is not offered for this series: ${gate}`;
}
