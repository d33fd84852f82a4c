/**
 * The entropy-coded part of a JPEG lossless scan (ITU T.81 H.1.2.2, F.2.2): Huffman-coded magnitude
 * categories (SSSS, 0 to 16) each followed by SSSS extra bits, giving one prediction difference per
 * sample. Written for speed: a lookahead table answers most samples (code and extra bits together)
 * in one lookup, a second one the code alone, and only codes longer than the lookahead take the
 * bit-by-bit canonical search.
 */
import { JpegLosslessError } from './jpeg-lossless-error';

/** Bits looked at at once: codes and code+extra-bits pairs up to this length take one lookup. */
const LOOKAHEAD = 12;
const LOOKAHEAD_MASK = (1 << LOOKAHEAD) - 1;

export interface HuffmanTable {
  /** By the next LOOKAHEAD bits: `difference << 8 | bits` for a code and its extra bits that fit, else 0. */
  readonly whole: Int32Array;
  /** By the next LOOKAHEAD bits: `length << 5 | SSSS` for a code that fits, else 0. */
  readonly code: Int32Array;
  /** Per code length: the largest code of that length, -1 where none. */
  readonly maxCode: Int32Array;
  /** Per code length: what to add to a code of that length to index `values`. */
  readonly valueOffset: Int32Array;
  readonly values: Uint8Array;
}

/** The difference that `extra` (the `ssss` bits after a code) stands for (T.81 F.2.2.1, EXTEND). */
function extend(extra: number, ssss: number): number {
  if (ssss === 16) return 32768;
  return extra < 1 << (ssss - 1) ? extra - (1 << ssss) + 1 : extra;
}

/** A table from a DHT segment's 16 code counts (lengths 1 to 16) and its values, in code order. */
export function buildHuffmanTable(counts: Uint8Array, values: Uint8Array): HuffmanTable {
  const maxCode = new Int32Array(17).fill(-1);
  const valueOffset = new Int32Array(17);
  const whole = new Int32Array(1 << LOOKAHEAD);
  const code = new Int32Array(1 << LOOKAHEAD);
  let next = 0;
  let k = 0;
  for (let length = 1; length <= 16; length++) {
    const n = counts[length - 1]!;
    if (n > 0) {
      valueOffset[length] = k - next;
      for (let i = 0; i < n; i++, k++, next++) {
        const ssss = values[k]!;
        if (ssss > 16) throw new JpegLosslessError(`a Huffman table holds the category ${ssss} (at most 16)`);
        if (length <= LOOKAHEAD) fillLookahead(whole, code, next, length, ssss);
      }
      maxCode[length] = next - 1;
    }
    // The codes of each length must fit in that many bits (T.81 Annex C); else the table is corrupt.
    if (next > 1 << length)
      throw new JpegLosslessError('a Huffman table has more codes than its lengths allow');
    next <<= 1;
  }
  return { whole, code, maxCode, valueOffset, values };
}

/** Every lookahead index that starts with `bits` (of `length`) answers that code. */
function fillLookahead(
  whole: Int32Array,
  code: Int32Array,
  bits: number,
  length: number,
  ssss: number,
): void {
  const free = LOOKAHEAD - length;
  const first = bits << free;
  for (let tail = 0; tail < 1 << free; tail++) {
    code[first | tail] = (length << 5) | ssss;
    // With SSSS = 16 there are no extra bits; otherwise they must fit in the rest of the lookahead.
    const extraBits = ssss === 16 ? 0 : ssss;
    if (extraBits <= free) {
      const difference = ssss === 0 ? 0 : extend(tail >>> (free - extraBits), ssss);
      whole[first | tail] = (difference << 8) | (length + extraBits);
    }
  }
}

/**
 * Where the bit reader stands in the entropy-coded data. Bytes 0xFF 0x00 are one 0xFF; at a marker
 * (0xFF then anything else) the reader stops and feeds zeros, counting them in `zeroBytes` so that
 * a read past the end is caught (truncated or corrupt data) instead of giving made-up samples.
 */
export interface BitReader {
  readonly data: Uint8Array;
  pos: number;
  /** Up to 32 bits; the low `count` of them are unread. */
  bits: number;
  count: number;
  zeroBytes: number;
}

export function bitReaderAt(data: Uint8Array, pos: number): BitReader {
  return { data, pos, bits: 0, count: 0, zeroBytes: 0 };
}

/** True when the reader has used bits it made up past the data's end. */
export function readPastEnd(reader: BitReader): boolean {
  return reader.zeroBytes * 8 > reader.count;
}

/**
 * Decodes `samples` differences with `table` into `out`, from `index` on, `stride` apart. Values
 * are stored as they come; the typed array keeps them modulo its width, as prediction does (H.2.1).
 */
export function decodeDifferences(
  reader: BitReader,
  table: HuffmanTable,
  out: Uint8Array | Uint16Array,
  index: number,
  stride: number,
  samples: number,
): void {
  const { data } = reader;
  const end = data.length;
  const { whole, code, maxCode, valueOffset, values } = table;
  let { pos, bits, count, zeroBytes } = reader;
  // A category whose extra bits were not all in hand yet: they are read after the next refill.
  let pending = 0;
  let n = 0;
  while (n < samples) {
    // Refill byte by byte to 25-32 bits: enough for any code, and for most codes with their extra bits.
    while (count <= 24) {
      let byte = 0;
      if (pos < end) {
        byte = data[pos]!;
        if (byte !== 0xff) pos++;
        else if (data[pos + 1] === 0) pos += 2;
        else {
          byte = 0;
          zeroBytes++;
        }
      } else zeroBytes++;
      bits = (bits << 8) | byte;
      count += 8;
    }
    let ssss = pending;
    if (ssss === 0) {
      const peek = (bits >>> (count - LOOKAHEAD)) & LOOKAHEAD_MASK;
      const fast = whole[peek]!;
      if (fast !== 0) {
        count -= fast & 0xff;
        out[index] = fast >> 8;
        n++;
        index += stride;
        continue;
      }
      const short = code[peek]!;
      if (short !== 0) {
        count -= short >>> 5;
        ssss = short & 31;
      } else {
        let length = LOOKAHEAD + 1;
        let c = (bits >>> (count - length)) & ((1 << length) - 1);
        while (c > maxCode[length]!) {
          if (++length > 16)
            throw new JpegLosslessError('the JPEG lossless data holds an invalid Huffman code');
          c = (bits >>> (count - length)) & ((1 << length) - 1);
        }
        count -= length;
        ssss = values[c + valueOffset[length]!]!;
      }
      if (ssss !== 0 && ssss !== 16 && count < ssss) {
        pending = ssss;
        continue;
      }
    }
    pending = 0;
    if (ssss === 0) out[index] = 0;
    else if (ssss === 16) out[index] = 32768;
    else {
      count -= ssss;
      out[index] = extend((bits >>> count) & ((1 << ssss) - 1), ssss);
    }
    n++;
    index += stride;
  }
  reader.pos = pos;
  reader.bits = bits;
  reader.count = count;
  reader.zeroBytes = zeroBytes;
}
