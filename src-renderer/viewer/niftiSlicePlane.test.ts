import { describe, expect, it } from 'vitest';
import type { Affine } from '../../src-shared/geometry';
import { niftiSlicePlane } from './niftiSlicePlane';

describe('niftiSlicePlane', () => {
  it('turns a RAS affine into an LPS slice plane', () => {
    // FreeSurfer's conformed LIA: i to the left, j inferior, k anterior, 1 mm, centred.
    const lia: Affine = [-1, 0, 0, 128, 0, 0, 1, -128, 0, -1, 0, 128, 0, 0, 0, 1];
    const plane = niftiSlicePlane(lia, 10);
    // RAS x grows with -i, so LPS x grows with +i: the row cosine points to patient left (+x).
    expect(plane.rowCosines).toEqual([1, 0, 0]);
    // j runs inferior: LPS z decreases.
    expect(plane.columnCosines).toEqual([0, 0, -1]);
    // Voxel (0,0,10): RAS (128, -128 + 10, 128) → LPS (-128, 118, 128).
    expect(plane.origin).toEqual([-128, 118, 128]);
    expect([plane.columnSpacing, plane.rowSpacing]).toEqual([1, 1]);
  });

  it('keeps anisotropic spacing per axis', () => {
    const scaled: Affine = [0.5, 0, 0, 0, 0, 2, 0, 0, 0, 0, 3, 0, 0, 0, 0, 1];
    const plane = niftiSlicePlane(scaled, 2);
    expect(plane.columnSpacing).toBe(0.5);
    expect(plane.rowSpacing).toBe(2);
    expect(plane.origin).toEqual([0, 0, 6]);
  });
});
