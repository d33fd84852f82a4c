import { describe, expect, it } from 'vitest';
import { levelShiftBias, removeLevelShiftBias } from './jpeg12-level-shift';

describe('12-bit JPEG level-shift correction', () => {
  it('measures the bias as what an all-zero block decodes to above 2048', () => {
    expect(levelShiftBias(2063)).toBe(15);
    expect(levelShiftBias(2048)).toBe(0);
  });

  it('takes the bias off in place, never below the value of stored 0, and gives the new extremes', () => {
    const stored = new Uint16Array([15, 20, 4095, 9]);
    expect(removeLevelShiftBias(stored, 15, 0)).toEqual({ min: 0, max: 4080 });
    expect(Array.from(stored)).toEqual([0, 5, 4080, 0]);
    // Modality units, slope 2 and intercept -10: the bias is 30 and stored 0 is -10.
    const scaled = new Float32Array([20, 30, 8180, 8]);
    expect(removeLevelShiftBias(scaled, 30, -10)).toEqual({ min: -10, max: 8150 });
    expect(Array.from(scaled)).toEqual([-10, 0, 8150, -10]);
  });
});
