import { describe, expect, it } from 'vitest';
import { applyAffine } from '../src-shared/geometry';
import type { Affine } from '../src-shared/geometry';
import type { SeriesVolume } from '../src-shared/inference-protocol';
import { conformedAffine, conformVolume } from './conform';

/** Conformed flat index: i is the slowest axis. */
const at = (size: number, i: number, j: number, k: number): number => k + size * (j + size * i);

/** f(i,j,k) = i + 10j + 100k: trilinear interpolation reproduces a linear ramp exactly. */
function ramp(dims: [number, number, number], affine: Affine): SeriesVolume {
  const [nx, ny, nz] = dims;
  const data = new Float32Array(nx * ny * nz);
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) data[i + nx * (j + ny * k)] = i + 10 * j + 100 * k;
  return { dims, affine, data };
}

describe('conformVolume', () => {
  it('resamples a 2 mm identity-LPS volume at the hand-computed positions', () => {
    // Voxel (i,j,k) -> LPS (2i,2j,2k). Centre voxel dims/2 = (2,2,2) -> LPS (4,4,4) -> RAS (-4,-4,4).
    // Conformed (a,b,c) -> RAS (-4-(a-4), -4+(c-4), 4-(b-4)) = LPS (a, 8-c, 8-b) -> series (a/2, (8-c)/2, (8-b)/2).
    const volume = ramp([4, 4, 4], [2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1]);
    const { data } = conformVolume(volume, 8);
    expect(data[at(8, 2, 4, 4)]).toBe(1 + 20 + 200); // series (1,2,2), a grid point
    expect(data[at(8, 1, 4, 4)]).toBe(0.5 + 20 + 200); // series (0.5,2,2)
    expect(data[at(8, 6, 2, 2)]).toBe(3 + 30 + 300); // series (3,3,3), the far corner
    expect(data[at(8, 3, 3, 5)]).toBeCloseTo(1.5 + 15 + 250, 4); // series (1.5,1.5,2.5)
    expect(data[at(8, 7, 4, 4)]).toBe(0); // series x = 3.5: beyond the last voxel
    expect(data[at(8, 2, 4, 0)]).toBe(0); // series y = 4: beyond the last row
  });

  it('interpolates at a half-voxel point as the mean of its 8 neighbours', () => {
    const dims: [number, number, number] = [4, 4, 4];
    const data = new Float32Array(64).map((_, n) => ((n * 37) % 23) + 0.25 * (n % 5));
    const volume: SeriesVolume = { dims, affine: [2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1], data };
    const out = conformVolume(volume, 8).data;
    // Conformed (1,3,3) -> series (0.5, 2.5, 2.5): neighbours i in {0,1}, j in {2,3}, k in {2,3}.
    let sum = 0;
    for (const i of [0, 1]) for (const j of [2, 3]) for (const k of [2, 3]) sum += data[i + 4 * (j + 4 * k)]!;
    expect(out[at(8, 1, 3, 3)]).toBeCloseTo(sum / 8, 5);
  });

  it('handles a permuted and flipped affine', () => {
    // Voxel (i,j,k) -> LPS (10 + j, 20 - k, 30 - i). dims (5,6,7): centre (2.5,3,3.5) -> LPS (13,16.5,27.5).
    // Conformed (a,b,c) -> RAS (-9-a, c-20.5, 31.5-b) = LPS (9+a, 20.5-c, 31.5-b) -> series (b-1.5, a-1, c-0.5).
    const affine: Affine = [0, 1, 0, 10, 0, 0, -1, 20, -1, 0, 0, 30, 0, 0, 0, 1];
    const { data } = conformVolume(ramp([5, 6, 7], affine), 8);
    expect(data[at(8, 3, 2, 1)]).toBeCloseTo(0.5 + 20 + 50, 4); // series (0.5, 2, 0.5)
    expect(data[at(8, 6, 5, 6)]).toBeCloseTo(3.5 + 50 + 550, 4); // series (3.5, 5, 5.5)
    expect(data[at(8, 0, 3, 3)]).toBe(0); // series j = -1
    expect(data[at(8, 3, 6, 3)]).toBe(0); // series i = 4.5 > 4
  });

  it('handles an oblique (rotated) affine', () => {
    // Rotation by 30 degrees about the LPS z axis, 1.5 mm voxels.
    const c = Math.cos(Math.PI / 6);
    const s = Math.sin(Math.PI / 6);
    const sp = 1.5;
    const affine: Affine = [c * sp, -s * sp, 0, 3, s * sp, c * sp, 0, -7, 0, 0, sp, 11, 0, 0, 0, 1];
    const dims: [number, number, number] = [12, 10, 8];
    const out = conformVolume(ramp(dims, affine), 16).data;
    // Centre voxel (6,5,4) -> LPS by hand; conformed (a,b,c) -> LPS = centre + (a-8, -(c-8), -(b-8)).
    const centre = [3 + sp * (c * 6 - s * 5), -7 + sp * (s * 6 + c * 5), 11 + sp * 4];
    const check = (a: number, b: number, cc: number): void => {
      const lps = [centre[0]! + (a - 8), centre[1]! - (cc - 8), centre[2]! - (b - 8)];
      // Inverse of a scaled rotation: transpose / spacing.
      const dx = lps[0]! - 3;
      const dy = lps[1]! + 7;
      const dz = lps[2]! - 11;
      const i = (c * dx + s * dy) / sp;
      const j = (-s * dx + c * dy) / sp;
      const k = dz / sp;
      const inside = i >= 0 && i <= 11 && j >= 0 && j <= 9 && k >= 0 && k <= 7;
      expect(out[at(16, a, b, cc)]).toBeCloseTo(inside ? i + 10 * j + 100 * k : 0, 3);
    };
    check(8, 8, 8);
    check(5, 9, 10);
    check(10, 6, 7);
    check(0, 0, 0);
  });

  it('returns an already-conformed LIA 256^3 1 mm volume unchanged', () => {
    const size = 256;
    // LIA in LPS terms: i -> +x (left), j -> -z (inferior), k -> -y (anterior); a fractional origin.
    const affine: Affine = [1, 0, 0, -127.6, 0, 0, -1, 133.48, 0, -1, 0, 134.48, 0, 0, 0, 1];
    const data = new Float32Array(size ** 3);
    let seed = 12345;
    for (let n = 0; n < data.length; n++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      data[n] = (seed >>> 8) / 65536;
    }
    const conformed = conformVolume({ dims: [size, size, size], affine, data }, size);
    let mismatches = 0;
    for (let k = 0; k < size; k++)
      for (let j = 0; j < size; j++)
        for (let i = 0; i < size; i++) {
          if (conformed.data[at(size, i, j, k)] !== data[i + size * (j + size * k)]) mismatches++;
        }
    expect(mismatches).toBe(0);
    conformed.affine.forEach((v, n) => expect(v).toBeCloseTo(affine[n]!, 9));
  });

  it('puts a bright voxel at the patient left/anterior/superior where LIA says', () => {
    // Identity LPS, 1 mm, dims 20: centre voxel (10,10,10) lands on conformed (16,16,16).
    const data = new Float32Array(20 ** 3);
    // 5 mm left (+x), 6 mm anterior (-y), 5 mm superior (+z) of the centre.
    data[15 + 20 * (4 + 20 * 15)] = 1;
    const volume: SeriesVolume = {
      dims: [20, 20, 20],
      affine: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1],
      data,
    };
    const out = conformVolume(volume, 32).data;
    // i grows to the left, j grows inferior, k grows anterior.
    expect(out[at(32, 16 + 5, 16 - 5, 16 + 6)]).toBe(1);
    expect(out.reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('gives an affine that maps conformed voxel size/2 onto the input centre', () => {
    const affine: Affine = [0, 0, 2, -50, -2, 0, 0, 40, 0, -2, 0, 60, 0, 0, 0, 1];
    const grid = { dims: [30, 40, 50] as const, affine };
    const c = conformedAffine(grid, 256);
    const centre = applyAffine(affine, [15, 20, 25]);
    applyAffine(c, [128, 128, 128]).forEach((v, n) => expect(v).toBeCloseTo(centre[n]!, 9));
  });

  it('rejects data that does not match dims', () => {
    const volume: SeriesVolume = {
      dims: [2, 2, 2],
      affine: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1],
      data: new Float32Array(7),
    };
    expect(() => conformVolume(volume, 4)).toThrow(/dims/);
  });
});
