/**
 * DICOM RLE Lossless (PS3.5 G): a 64-byte header of up to 15 segment offsets, each segment a
 * PackBits stream of one byte plane. Segmentations have one 8-bit (or bit-packed) plane.
 */
export function decodeRleFrame(frame: Uint8Array, expectedLength: number): Uint8Array {
  if (frame.length < 64) throw new Error('RLE frame shorter than its header');
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const segments = view.getUint32(0, true);
  if (segments !== 1) throw new Error(`RLE frame with ${segments} segments (one byte plane expected)`);
  const start = view.getUint32(4, true);
  const out = new Uint8Array(expectedLength);
  let o = 0;
  let i = start;
  while (i < frame.length && o < out.length) {
    const n = (frame[i++]! << 24) >> 24;
    if (n >= 0) {
      const run = Math.min(n + 1, out.length - o, frame.length - i);
      out.set(frame.subarray(i, i + run), o);
      o += run;
      i += n + 1;
    } else if (n !== -128) {
      const value = frame[i++] ?? 0;
      const run = Math.min(1 - n, out.length - o);
      out.fill(value, o, o + run);
      o += run;
    }
  }
  return out;
}
