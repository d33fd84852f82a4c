import { describe, expect, it } from 'vitest';
import { minMaxToUnit, robustRange, scaleToUint8 } from './intensity';

describe('robustRange', () => {
  it('takes the minimum and the 0.999 quantile, ignoring a lone outlier', () => {
    // 999 values spread over 0..99.9 and one outlier at 10000: the 0.999 quantile is the top of the spread.
    const values = new Float32Array(1000);
    for (let n = 0; n < 999; n++) values[n] = n / 10;
    values[999] = 10_000;
    const { min, max } = robustRange(values);
    expect(min).toBe(0);
    // Histogram resolution is (10000 - 0) / 10000 = 1: the answer is the upper edge of 99.8's bin.
    expect(max).toBeGreaterThanOrEqual(99.8);
    expect(max).toBeLessThanOrEqual(100);
  });

  it('finds a quantile on a known histogram', () => {
    // 100 copies of each of 0..9: the 0.5 quantile (500th value) is 4, its bin's upper edge is 4 + 9/9.
    const values = new Float32Array(1000).map((_, n) => Math.floor(n / 100));
    expect(robustRange(values, 0.5, 9)).toEqual({ min: 0, max: 5 });
    // 0.999 of 1000 values needs 999 of them: all but the top one, so the top bin, capped at the maximum.
    expect(robustRange(values, 0.999, 9)).toEqual({ min: 0, max: 9 });
  });

  it('copes with a constant volume', () => {
    expect(robustRange(new Float32Array(10).fill(3))).toEqual({ min: 3, max: 3 });
  });
});

describe('scaleToUint8', () => {
  it('maps the range linearly to 0..255, clipping and rounding', () => {
    const out = scaleToUint8(new Float32Array([-5, 0, 60, 100, 200, 0.1, 99.7]), { min: 0, max: 100 });
    expect(Array.from(out)).toEqual([0, 0, 153, 255, 255, 0, 254]);
  });

  it('gives zeros for an empty range', () => {
    expect(Array.from(scaleToUint8(new Float32Array([1, 1]), { min: 1, max: 1 }))).toEqual([0, 0]);
  });
});

describe('minMaxToUnit', () => {
  it('scales the whole volume to 0..1, in a reused buffer when given one', () => {
    const buffer = new Float32Array(3);
    const out = minMaxToUnit(new Uint8Array([10, 20, 30]), buffer);
    expect(out).toBe(buffer);
    expect(Array.from(out)).toEqual([0, 0.5, 1]);
  });

  it('gives zeros for a constant volume', () => {
    expect(Array.from(minMaxToUnit(new Uint8Array([7, 7])))).toEqual([0, 0]);
  });
});
