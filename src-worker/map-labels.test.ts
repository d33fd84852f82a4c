import { describe, expect, it } from 'vitest';
import type { Affine } from '../src-shared/geometry';
import { conformVolume } from './conform';
import { argmaxLabels, labelsToSeries } from './map-labels';

describe('argmaxLabels', () => {
  it('reads channel-major logits', () => {
    // 3 classes x 4 voxels: class c of voxel v at c*4 + v.
    const logits = new Float32Array(
      [
        [5, 0, 0, 1],
        [1, 7, 0, 1],
        [0, 0, 3, 1],
      ].flat(),
    );
    // Voxel 3 is a three-way tie: the lowest class wins.
    expect(Array.from(argmaxLabels(logits, 3))).toEqual([0, 1, 2, 0]);
  });

  it('rejects an output that does not divide into the classes', () => {
    expect(() => argmaxLabels(new Float32Array(5), 3)).toThrow(/multiple/);
  });
});

describe('labelsToSeries', () => {
  it('gives back the original labels after conform when the grids coincide', () => {
    // 1 mm, permuted and flipped axes, integer offsets: every series voxel sits on a conformed voxel.
    const dims: [number, number, number] = [24, 18, 12];
    const affine: Affine = [0, -1, 0, 40, 0, 0, 1, -3, 1, 0, 0, 7, 0, 0, 0, 1];
    const data = new Float32Array(dims[0] * dims[1] * dims[2]);
    for (let n = 0; n < data.length; n++) data[n] = (n * 7 + (n >> 5)) % 3;
    const size = 32;
    const conformed = conformVolume({ dims, affine, data }, size);
    // Values are exact labels at coinciding points: turn them into the model's label map.
    const conformedLabels = Uint8Array.from(conformed.data, (v) => Math.round(v));
    const { labels, counts } = labelsToSeries(conformedLabels, size, conformed.affine, dims, affine, 3);
    expect(Array.from(labels)).toEqual(Array.from(data));
    const expected = [0, 1, 2].map((l) => data.filter((v) => v === l).length);
    expect(counts).toEqual(expected);
  });

  it('uses the nearest conformed voxel and 0 outside the cube', () => {
    // Series of 2 voxels along LPS x, 0.6 mm apart, beside a 4^3 cube whose voxel (i,j,k) is LPS (i,-k,-j).
    const size = 4;
    const cubeAffine: Affine = [1, 0, 0, 0, 0, 0, -1, 0, 0, -1, 0, 0, 0, 0, 0, 1];
    const cube = new Uint8Array(size ** 3);
    cube[0 + size * (0 + size * 1)] = 2; // conformed (1,0,0)
    const seriesAffine: Affine = [0.6, 0, 0, 0.5, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
    // Series voxels at x = 0.5 (rounds to conformed i = 1) and x = 1.1 (i = 1); a third at x = 1.7 (i = 2).
    const hit = labelsToSeries(cube, size, cubeAffine, [3, 1, 1], seriesAffine, 3);
    expect(Array.from(hit.labels)).toEqual([2, 2, 0]);
    const outside: Affine = [1, 0, 0, -5, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
    expect(labelsToSeries(cube, size, cubeAffine, [2, 1, 1], outside, 3).counts).toEqual([2, 0, 0]);
  });
});
