/** Turns model logits into labels and brings those labels back onto the series' own voxel grid. */
import { invertAffine, multiplyAffine } from '../src-shared/geometry';
import type { Affine } from '../src-shared/geometry';

/**
 * Argmax over channels of a [1, C, ...] channel-major output: logits for voxel v and class c are at
 * c*voxelCount + v. Ties go to the lower class.
 */
export function argmaxLabels(logits: Float32Array, classCount: number): Uint8Array {
  if (classCount < 1 || classCount > 256)
    throw new Error(`classCount ${classCount} does not fit a uint8 label`);
  if (logits.length % classCount !== 0) {
    throw new Error(`output has ${logits.length} values, not a multiple of ${classCount} classes`);
  }
  const voxels = logits.length / classCount;
  const labels = new Uint8Array(voxels);
  for (let v = 0; v < voxels; v++) {
    let best = logits[v]!;
    let bestClass = 0;
    for (let c = 1; c < classCount; c++) {
      const x = logits[c * voxels + v]!;
      if (x > best) {
        best = x;
        bestClass = c;
      }
    }
    labels[v] = bestClass;
  }
  return labels;
}

export interface SeriesLabels {
  /** One label per series voxel, index i + cols*(j + rows*k). */
  readonly labels: Uint8Array;
  /** Voxels per label value, index = label value. */
  readonly counts: number[];
}

/**
 * Nearest-neighbour lookup of conformed labels (index k + size*(j + size*i)) for every series voxel:
 * series voxel -> LPS -> conformed voxel, rounded; 0 where it falls outside the cube.
 */
export function labelsToSeries(
  conformed: Uint8Array,
  size: number,
  conformedAffine: Affine,
  seriesDims: readonly [number, number, number],
  seriesAffine: Affine,
  classCount: number,
): SeriesLabels {
  if (conformed.length !== size * size * size) throw new Error('conformed labels do not fill a size^3 cube');
  const [nx, ny, nz] = seriesDims;
  const labels = new Uint8Array(nx * ny * nz);
  // A typed array keeps the per-voxel increment cheap; it becomes a plain array at the end.
  const counts = new Float64Array(Math.max(classCount, 1));
  const t = multiplyAffine(invertAffine(conformedAffine), seriesAffine);
  const size2 = size * size;
  let p = 0;
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      // Conformed coordinate of (0,j,k); each step in i adds column 0 of t.
      const bx = t[1]! * j + t[2]! * k + t[3]!;
      const by = t[5]! * j + t[6]! * k + t[7]!;
      const bz = t[9]! * j + t[10]! * k + t[11]!;
      for (let i = 0; i < nx; i++, p++) {
        // floor(x + 0.5) is round-half-up, and is cheaper than Math.round.
        const ci = Math.floor(bx + t[0]! * i + 0.5);
        const cj = Math.floor(by + t[4]! * i + 0.5);
        const ck = Math.floor(bz + t[8]! * i + 0.5);
        let label = 0;
        if (ci >= 0 && ci < size && cj >= 0 && cj < size && ck >= 0 && ck < size) {
          label = conformed[ck + size * cj + size2 * ci]!;
        }
        labels[p] = label;
        counts[label]!++;
      }
    }
  }
  return { labels, counts: Array.from(counts) };
}
