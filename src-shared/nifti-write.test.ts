import { describe, expect, it } from 'vitest';
import type { Affine } from './geometry';
import { parseNifti } from './nifti';
import { writeNiftiLabels } from './nifti-write';

describe('NIfTI label writer', () => {
  it('round-trips through the reader: dims, sform affine, spacing and every voxel', () => {
    const dims = [5, 4, 3] as const;
    // Oblique, anisotropic, with a translation: every affine entry matters.
    const affine: Affine = [0, 0, -1.5, 90, -0.8, 0.1, 0, 120, 0.05, -0.9, 0, -60, 0, 0, 0, 1];
    const data = new Uint8Array(5 * 4 * 3).map((_, v) => (v * 7) % 4);
    const parsed = parseNifti(writeNiftiLabels(dims, affine, data));
    expect(parsed.dims).toEqual([5, 4, 3]);
    expect(parsed.affineSource).toBe('sform');
    expect(parsed.datatype).toBe(2);
    parsed.affine.forEach((value, n) => expect(value).toBeCloseTo(affine[n]!, 5));
    expect(parsed.spacing[0]).toBeCloseTo(Math.hypot(0, -0.8, 0.05), 5);
    expect(parsed.spacing[2]).toBeCloseTo(1.5, 5);
    expect(Array.from(parsed.data)).toEqual(Array.from(data));
  });

  it('refuses data that does not fill the volume', () => {
    const identity: Affine = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
    expect(() => writeNiftiLabels([2, 2, 2], identity, new Uint8Array(7))).toThrow(/7 voxels for a 2x2x2/);
  });
});
