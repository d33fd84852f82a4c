/**
 * A model's input gate (manifest `inputGate`) checked against a series' header geometry: how many
 * images, how large, and how far from isotropic its voxels are. Headers cannot tell a T1 from a
 * T2 of the same geometry, so the gate keeps out what clearly is not the model's input (the
 * trio's 64x64 field maps for MeshNet), not every wrong contrast.
 */
import type { InputGate, ModelManifest } from '../../src-shared/models';
import type { StoredInstance } from '../library/library-store';

/** Why the series does not pass the gate, in words for the user; null when it passes. */
export function gateRefusal(
  gate: InputGate | undefined,
  instances: readonly StoredInstance[],
): string | null {
  if (!gate) return null;
  const problems: string[] = [];
  const slices = instances.length;
  if (gate.minSlices !== undefined && slices < gate.minSlices)
    problems.push(`${slices} images, at least ${gate.minSlices} needed`);
  const matrix = Math.min(...instances.map((i) => Math.min(i.rows, i.columns)));
  const first = instances[0];
  if (gate.minMatrix !== undefined && first && matrix < gate.minMatrix)
    problems.push(
      `${first.columns}×${first.rows} images, at least ${gate.minMatrix}×${gate.minMatrix} needed`,
    );
  const voxel = voxelEdges(instances);
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
function voxelEdges(instances: readonly StoredInstance[]): [number, number, number] | null {
  const spacing = instances[0]?.pixelSpacing;
  if (!spacing) return null;
  const steps: number[] = [];
  for (let k = 1; k < instances.length; k++) {
    const a = instances[k - 1]!.position;
    const b = instances[k]!.position;
    if (!a || !b) return null;
    steps.push(Math.hypot(b[0] - a[0], b[1] - a[1], b[2] - a[2]));
  }
  steps.sort((x, y) => x - y);
  const step = steps[Math.floor(steps.length / 2)];
  if (step === undefined || step === 0) return null;
  return [spacing[1], spacing[0], step];
}

/** Why a model cannot analyse a series (modality, one image for a 2D model, the input gate); null when it can. */
export function analysisRefusal(
  manifest: ModelManifest,
  modality: string,
  instances: readonly StoredInstance[],
): string | null {
  if (!manifest.modalities.includes(modality))
    return `${manifest.name} accepts ${manifest.modalities.join(', ')} series, not ${modality}`;
  if (manifest.task === 'classification' && instances.length !== 1)
    return `${manifest.name} reads one image per series; this series has ${instances.length}`;
  const gate = gateRefusal(manifest.inputGate, instances);
  return gate && `${manifest.name} is not offered for this series: ${gate}`;
}
