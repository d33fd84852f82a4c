/**
 * Resamples a series onto FreeSurfer's conformed grid: a size^3 cube of 1 mm voxels in "LIA"
 * orientation (i -> Left, j -> Inferior, k -> Anterior), centred on the input volume.
 */
import type { SeriesVolume } from '../src-shared/inference-protocol';
import { applyAffine, invertAffine, LPS_TO_RAS, multiplyAffine } from '../src-shared/geometry';
import type { Affine } from '../src-shared/geometry';

export interface ConformedVolume {
  readonly size: number;
  /** Value of conformed voxel (i,j,k) at k + size*(j + size*i): i is the slowest axis, as the model wants. */
  readonly data: Float32Array;
  /** Conformed voxel (i,j,k,1) to patient LPS millimetres, row-major 4x4. */
  readonly affine: Affine;
}

type Grid = Pick<SeriesVolume, 'dims' | 'affine'>;

/**
 * Voxel -> LPS affine of the conformed cube for a given input grid.
 * FreeSurfer takes the centre of a volume as voxel dims/2 (not (dims-1)/2) for both the input and the
 * conformed cube; using the same rule on both sides makes an input that is already conformed map
 * onto itself voxel for voxel, with no half-voxel shift.
 */
export function conformedAffine(grid: Grid, size: number): Affine {
  const centreLps = applyAffine(grid.affine, [grid.dims[0] / 2, grid.dims[1] / 2, grid.dims[2] / 2]);
  const c = applyAffine(LPS_TO_RAS, centreLps);
  const h = size / 2;
  // Columns of the direction matrix: i -> (-1,0,0), j -> (0,0,-1), k -> (0,1,0) in RAS; translation
  // puts voxel (h,h,h) on the centre.
  const vox2ras: Affine = [-1, 0, 0, c[0] + h, 0, 0, 1, c[1] - h, 0, -1, 0, c[2] + h, 0, 0, 0, 1];
  return multiplyAffine(LPS_TO_RAS, vox2ras);
}

/** Conforms a series to size^3 at 1 mm LIA with trilinear interpolation, 0 outside the input. */
export function conformVolume(volume: SeriesVolume, size = 256): ConformedVolume {
  const [nx, ny, nz] = volume.dims;
  if (volume.data.length !== nx * ny * nz) {
    throw new Error(`volume has ${volume.data.length} values but dims ${nx}x${ny}x${nz}`);
  }
  const affine = conformedAffine(volume, size);
  // Conformed voxel -> input voxel, so each output voxel is pulled from the input.
  const toInput = snapToIntegers(multiplyAffine(invertAffine(volume.affine), affine));
  const data = resampleTrilinear(volume.data, volume.dims, toInput, size);
  return { size, data, affine };
}

/**
 * For every output voxel (i,j,k) of a size^3 cube, reads the input at toInput*(i,j,k) trilinearly.
 * Output order is k + size*(j + size*i). Points outside [0, n-1] on any axis stay 0.
 */
export function resampleTrilinear(
  input: Float32Array,
  dims: readonly [number, number, number],
  toInput: Affine,
  size: number,
): Float32Array {
  const [nx, ny, nz] = dims;
  const nxy = nx * ny;
  const out = new Float32Array(size * size * size);
  const t = toInput;
  // Input coordinate of (i,j,k) is origin + i*stepI + j*stepJ + k*stepK, per axis.
  const [sxi, syi, szi] = [t[0]!, t[4]!, t[8]!];
  const [sxj, syj, szj] = [t[1]!, t[5]!, t[9]!];
  const [sxk, syk, szk] = [t[2]!, t[6]!, t[10]!];
  const [ox, oy, oz] = [t[3]!, t[7]!, t[11]!];
  const last = size - 1;

  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      const bx = ox + i * sxi + j * sxj;
      const by = oy + i * syi + j * syj;
      const bz = oz + i * szi + j * szj;
      // Work out once per row which k fall inside the input, so the inner loop has no bounds test.
      const rx = insideRange(bx, sxk, nx - 1, last);
      const ry = insideRange(by, syk, ny - 1, last);
      const rz = insideRange(bz, szk, nz - 1, last);
      const kStart = Math.max(rx[0], ry[0], rz[0]);
      const kEnd = Math.min(rx[1], ry[1], rz[1]);
      const rowBase = size * (j + size * i);
      for (let k = kStart; k <= kEnd; k++) {
        const x = bx + k * sxk;
        const y = by + k * syk;
        const z = bz + k * szk;
        // Clamp: insideRange tolerates a hair outside [0, n-1] to absorb rounding.
        const x0 = x <= 0 ? 0 : x >= nx - 1 ? nx - 1 : Math.floor(x);
        const y0 = y <= 0 ? 0 : y >= ny - 1 ? ny - 1 : Math.floor(y);
        const z0 = z <= 0 ? 0 : z >= nz - 1 ? nz - 1 : Math.floor(z);
        const fx = x - x0;
        const fy = y - y0;
        const fz = z - z0;
        // On the last plane of an axis the "next" neighbour is the same voxel (its weight is ~0 anyway).
        const dx = x0 < nx - 1 ? 1 : 0;
        const dy = y0 < ny - 1 ? nx : 0;
        const dz = z0 < nz - 1 ? nxy : 0;
        const p = x0 + nx * y0 + nxy * z0;
        const v000 = input[p]!;
        const v100 = input[p + dx]!;
        const v010 = input[p + dy]!;
        const v110 = input[p + dx + dy]!;
        const v001 = input[p + dz]!;
        const v101 = input[p + dx + dz]!;
        const v011 = input[p + dy + dz]!;
        const v111 = input[p + dx + dy + dz]!;
        const c00 = v000 + fx * (v100 - v000);
        const c10 = v010 + fx * (v110 - v010);
        const c01 = v001 + fx * (v101 - v001);
        const c11 = v011 + fx * (v111 - v011);
        const c0 = c00 + fy * (c10 - c00);
        const c1 = c01 + fy * (c11 - c01);
        out[rowBase + k] = c0 + fz * (c1 - c0);
      }
    }
  }
  return out;
}

const EDGE_TOLERANCE = 1e-6;

/** The k in [0, kMax] for which base + k*step lies within [0, hi] (inclusive, with a small tolerance). */
function insideRange(base: number, step: number, hi: number, kMax: number): [number, number] {
  if (Math.abs(step) < 1e-12) {
    return base >= -EDGE_TOLERANCE && base <= hi + EDGE_TOLERANCE ? [0, kMax] : [1, 0];
  }
  let a = (-EDGE_TOLERANCE - base) / step;
  let b = (hi + EDGE_TOLERANCE - base) / step;
  if (a > b) [a, b] = [b, a];
  return [Math.max(0, Math.ceil(a)), Math.min(kMax, Math.floor(b))];
}

/**
 * Rounds entries that are integers up to float noise, so a grid that coincides with the input
 * (e.g. an already-conformed volume) copies values exactly instead of blending in 1e-14 of a neighbour.
 */
function snapToIntegers(m: Affine): Affine {
  return m.map((v) => {
    const r = Math.round(v);
    return Math.abs(v - r) < EDGE_TOLERANCE ? r : v;
  });
}
