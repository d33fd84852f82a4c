/**
 * DICOM RLE Lossless (PS3.5 G): a 64-byte header of up to 15 segment offsets, each segment a
 * PackBits stream of one byte plane, most significant plane first. Segmentations have one 8-bit
 * (or bit-packed) plane; a 16-bit greyscale image has two; a colour image has one set per sample
 * (red, then green, then blue), which is why its result is planar: all of one sample, then the next.
 */
export function decodeRleFrame(
  frame: Uint8Array,
  samples: number,
  bytesPerSample: 1 | 2 = 1,
  samplesPerPixel = 1,
): Uint8Array {
  if (frame.length < 64) throw new Error('RLE frame shorter than its header');
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const segments = view.getUint32(0, true);
  const expected = bytesPerSample * samplesPerPixel;
  if (segments !== expected)
    throw new Error(`RLE frame with ${segments} segments (${expected} byte planes expected)`);
  const out = new Uint8Array(samples * expected);
  const plane = segments === 1 ? out : new Uint8Array(samples);
  for (let s = 0; s < segments; s++) {
    const start = view.getUint32(4 + 4 * s, true);
    if (plane !== out) plane.fill(0);
    const end = s + 1 < segments ? view.getUint32(8 + 4 * s, true) : frame.length;
    unpackBits(frame.subarray(start, Math.max(start, Math.min(end, frame.length))), plane);
    if (plane === out) continue;
    // Little-endian samples: the most significant plane of a sample is each value's last byte.
    const base = Math.floor(s / bytesPerSample) * samples * bytesPerSample;
    const o = bytesPerSample - 1 - (s % bytesPerSample);
    for (let p = 0; p < samples; p++) out[base + p * bytesPerSample + o] = plane[p]!;
  }
  return out;
}

/** One PackBits segment into `out` (as much as it holds); the rest of `out` is left as it was. */
function unpackBits(segment: Uint8Array, out: Uint8Array): void {
  let o = 0;
  let i = 0;
  while (i < segment.length && o < out.length) {
    const n = (segment[i++]! << 24) >> 24;
    if (n >= 0) {
      const run = Math.min(n + 1, out.length - o, segment.length - i);
      out.set(segment.subarray(i, i + run), o);
      o += run;
      i += n + 1;
    } else if (n !== -128) {
      const value = segment[i++] ?? 0;
      const run = Math.min(1 - n, out.length - o);
      out.fill(value, o, o + run);
      o += run;
    }
  }
}
