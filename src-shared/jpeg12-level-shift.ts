/**
 * The level-shift error of the JavaScript JPEG decoder that Cornerstone's image loader ships for
 * JPEG extended (process 2 and 4) 12-bit frames, measured and taken off the same way by the analysis
 * (main process) and by the viewer (renderer), which reach that decoder through different doors.
 *
 * The decoder scales the 8-bit level shift 128 + 0.5 (2056/16) by 4095/255 instead of using
 * 2048 + 0.5, so every 12-bit sample comes out 15 too high (against IJG libjpeg, DCMTK's dcmdjpeg)
 * and true values of 4080 and above are clamped to 4095. The error is measured on a tiny stream of
 * known value rather than assumed, so that a fixed decoder measures 0 and nothing is changed. The
 * clamp cannot be undone: samples truly above 4079 read as 4080.
 */

/** SOI, a quantisation table of ones, SOF1 (12-bit, 8x8, one component), one-code Huffman tables, one block whose coefficients are all 0, EOI. */
export const ZERO_BLOCK_12BIT: Uint8Array = new Uint8Array([
  ...[0xff, 0xd8],
  ...[0xff, 0xdb, 0, 67, 0, ...new Array<number>(64).fill(1)],
  ...[0xff, 0xc1, 0, 11, 12, 0, 8, 0, 8, 1, 1, 0x11, 0],
  // DC table 0 and AC table 0, each one 1-bit code '0' for the value 0 (DC: no difference; AC: end of block).
  ...[0xff, 0xc4, 0, 20, 0x00, 1, ...new Array<number>(15).fill(0), 0],
  ...[0xff, 0xc4, 0, 20, 0x10, 1, ...new Array<number>(15).fill(0), 0],
  ...[0xff, 0xda, 0, 8, 1, 1, 0x00, 0, 63, 0],
  // Bits 0 (DC) and 0 (EOB), padded with ones.
  0x3f,
  ...[0xff, 0xd9],
]);

/** Rows and columns of the image ZERO_BLOCK_12BIT holds. */
export const ZERO_BLOCK_SIZE = 8;

/** The level shift of 12-bit samples (PS3.5 via ISO 10918-1 A.3.1): the value of an all-zero block. */
const LEVEL_SHIFT_12BIT = 2048;

/** What the decoder adds to every 12-bit sample, from the first sample it decoded from ZERO_BLOCK_12BIT. */
export function levelShiftBias(zeroBlockSample: number): number {
  return zeroBlockSample - LEVEL_SHIFT_12BIT;
}

/**
 * Takes `bias` (in the samples' units: stored values, or modality values where the rescale slope
 * scaled it) off every sample in place, never below `lowest` (the unit's value of stored 0: the
 * decoder clamps there too). Returns the corrected extremes.
 */
export function removeLevelShiftBias(
  samples: { length: number; [index: number]: number },
  bias: number,
  lowest: number,
): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < samples.length; i++) {
    const value = Math.max(lowest, samples[i]! - bias);
    samples[i] = value;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return { min, max };
}
