import { describe, expect, it } from 'vitest';
import type { Vec3 } from '../../src-shared/geometry';
import { measureSpacing, splitStacks } from './stack-split';
import type { StackImage } from './stack-split';

const AXIAL = [1, 0, 0, 0, 1, 0];
const SAGITTAL = [0, 1, 0, 0, 0, -1];

function image(id: number, z: number, extra: Partial<StackImage> = {}): StackImage {
  return {
    id,
    position: [0, 0, z] as Vec3,
    orientation: AXIAL,
    rows: 512,
    columns: 512,
    pixelSpacing: [0.7, 0.7],
    echoNumber: null,
    acquisitionNumber: null,
    ...extra,
  };
}

describe('splitting a series into stacks', () => {
  it('keeps one regular stack whole', () => {
    const stacks = splitStacks([1, 2, 3, 4].map((i) => image(i, i * 2.5)));
    expect(stacks).toEqual([{ ids: [1, 2, 3, 4], reason: null }]);
  });

  it('splits by orientation, size and pixel spacing, saying why, largest first', () => {
    const stacks = splitStacks([
      image(1, 0),
      image(2, 1),
      image(3, 2),
      image(4, 0, { orientation: SAGITTAL, position: [5, 0, 0] }),
      image(5, 3, { rows: 256, columns: 256 }),
      image(6, 4, { pixelSpacing: [0.9, 0.9] }),
    ]);
    expect(stacks.map((s) => s.ids)).toEqual([[1, 2, 3], [4], [5], [6]]);
    // Each reason names what sets the stack apart, split after split.
    expect(stacks.map((s) => s.reason)).toEqual([
      'axial, image size 512x512, pixel spacing 0.700x0.700 mm',
      'sagittal',
      'axial, image size 256x256',
      'axial, image size 512x512, pixel spacing 0.900x0.900 mm',
    ]);
  });

  it('splits echoes only where slice positions repeat', () => {
    const interleaved = [1, 2, 3, 4].map((i) => image(i, i, { echoNumber: (i % 2) + 1 }));
    expect(splitStacks(interleaved)).toHaveLength(1);
    const dual = [1, 2, 3, 4].map((i) => image(i, Math.ceil(i / 2), { echoNumber: (i % 2) + 1 }));
    const stacks = splitStacks(dual);
    expect(stacks.map((s) => [...s.ids].sort())).toEqual([
      [1, 3],
      [2, 4],
    ]);
    expect(stacks.map((s) => s.reason).sort()).toEqual(['echo 1', 'echo 2']);
    const acquisitions = [1, 2, 3, 4].map((i) => image(i, i % 2, { acquisitionNumber: i > 2 ? 2 : 1 }));
    expect(
      splitStacks(acquisitions)
        .map((s) => s.reason)
        .sort(),
    ).toEqual(['acquisition 1', 'acquisition 2']);
  });
});

describe('slice spacing', () => {
  it('finds the usual spacing, a gap, and irregular steps', () => {
    expect(measureSpacing([0, 5, 10, 15].map((z, i) => image(i, z)))).toEqual({
      sliceSpacing: 5,
      gaps: 0,
      irregular: false,
    });
    // 20 -> 30 misses one slice.
    expect(measureSpacing([0, 5, 10, 15, 20, 30, 35].map((z, i) => image(i, z)))).toEqual({
      sliceSpacing: 5,
      gaps: 1,
      irregular: true,
    });
    expect(measureSpacing([0, 5, 10, 16, 21, 26].map((z, i) => image(i, z))).irregular).toBe(true);
    expect(measureSpacing([image(1, 0)]).sliceSpacing).toBeNull();
  });
});
