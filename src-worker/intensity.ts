/**
 * Intensity steps between the conformed volume and the model: FreeSurfer-like scaling to uint8,
 * then brainchop's min-max normalisation to 0..1.
 */

export interface IntensityRange {
  readonly min: number;
  readonly max: number;
}

const HISTOGRAM_BINS = 10_000;

/**
 * min = the smallest value; max = the upper edge of the histogram bin where the cumulative count
 * first reaches `quantile` of all values. A histogram (not a sort) keeps this O(n) on 16.7 M voxels;
 * its resolution is (max - min) / bins.
 */
export function robustRange(values: Float32Array, quantile = 0.999, bins = HISTOGRAM_BINS): IntensityRange {
  const n = values.length;
  if (n === 0) return { min: 0, max: 0 };
  let lo = Infinity;
  let hi = -Infinity;
  for (let p = 0; p < n; p++) {
    const v = values[p]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new Error('volume contains non-finite values');
  if (hi === lo) return { min: lo, max: hi };

  const width = (hi - lo) / bins;
  const counts = new Float64Array(bins);
  const scale = bins / (hi - lo);
  for (let p = 0; p < n; p++) {
    // The maximum itself would land in bin `bins`: fold it into the last one.
    const b = Math.min(bins - 1, Math.floor((values[p]! - lo) * scale));
    counts[b]!++;
  }
  const target = Math.ceil(quantile * n);
  let cumulative = 0;
  for (let b = 0; b < bins; b++) {
    cumulative += counts[b]!;
    if (cumulative >= target) return { min: lo, max: Math.min(hi, lo + (b + 1) * width) };
  }
  return { min: lo, max: hi };
}

/** Maps [range.min, range.max] linearly onto 0..255, clipping and rounding, as FreeSurfer's conform does. */
export function scaleToUint8(values: Float32Array, range: IntensityRange): Uint8Array {
  const out = new Uint8Array(values.length);
  const span = range.max - range.min;
  // A constant volume carries no contrast: leave it all 0 rather than divide by zero.
  if (span <= 0) return out;
  const k = 255 / span;
  for (let p = 0; p < values.length; p++) {
    const v = (values[p]! - range.min) * k;
    // Uint8Array assignment truncates, so add 0.5 to round; clip first so it cannot wrap.
    out[p] = v <= 0 ? 0 : v >= 255 ? 255 : v + 0.5;
  }
  return out;
}

/**
 * Min-max of the whole volume to 0..1 as float32. `out` may be a buffer no longer needed (the
 * conformed float volume) so the 64 MB model input costs no new allocation.
 */
export function minMaxToUnit(
  values: Uint8Array,
  out: Float32Array = new Float32Array(values.length),
): Float32Array {
  if (out.length !== values.length) throw new Error('minMaxToUnit: output length differs from input');
  let lo = 255;
  let hi = 0;
  for (let p = 0; p < values.length; p++) {
    const v = values[p]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const span = hi - lo;
  if (span === 0) {
    out.fill(0);
    return out;
  }
  // A lookup table turns 16.7 M divisions into reads.
  const table = new Float32Array(256);
  for (let v = 0; v < 256; v++) table[v] = (v - lo) / span;
  for (let p = 0; p < values.length; p++) out[p] = table[values[p]!]!;
  return out;
}
