/**
 * The JPEG lossless decoder on streams made by the test encoder: every selection value, precisions
 * from 2 to 16 bits, point transform, restart intervals, several components, long Huffman codes,
 * tables split over segments; and bad streams rejected with a clear error.
 */
import { Decoder as ReferenceDecoder } from '@cornerstonejs/jpeg-lossless-decoder-js';
import { describe, expect, it } from 'vitest';
import { encodeJpegLossless, type EncodeOptions } from '../../test-support/jpeg-lossless-encoder';
import { decodeJpegLossless, JpegLosslessError } from './jpeg-lossless';
import { Decoder } from './jpeg-lossless-cornerstone';

/** Smooth content with noise and a few full-range jumps, so that every category 0-16 turns up. */
function testImage(
  width: number,
  height: number,
  components: number,
  precision: number,
  seed = 7,
): Uint16Array {
  const top = 2 ** precision;
  const samples = new Uint16Array(width * height * components);
  let state = seed;
  const random = (): number => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < components; c++) {
        const smooth = (top / 2) * (1 + Math.sin((x + 3 * c) / 9) * Math.cos(y / 7));
        const jump = random() < 0.02 ? random() * top : smooth + (random() - 0.5) * Math.min(top, 64);
        samples[(y * width + x) * components + c] = Math.max(0, Math.min(top - 1, Math.round(jump)));
      }
  return samples;
}

function roundTrip(
  options: EncodeOptions,
  samples = testImage(options.width, options.height, options.components ?? 1, options.precision),
) {
  const stream = encodeJpegLossless(samples, options);
  return { samples, stream, image: decodeJpegLossless(stream) };
}

/** What the decoder should give: the samples with the point transform's low bits cleared. */
function expected(samples: Uint16Array, pointTransform: number, bytes: 1 | 2): number[] {
  return Array.from(
    samples,
    (v) => ((v >> pointTransform) << pointTransform) & (bytes === 1 ? 0xff : 0xffff),
  );
}

/** Codes from 16 bits long for the smallest categories down to 2 for the largest: the slow path. */
const LONG_CODES = [16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 2, 16];

describe('JPEG lossless decoder', () => {
  it.each([1, 2, 3, 4, 5, 6, 7])(
    'selection value %i, 16 bits: exact, and equal to jpeg-lossless-decoder-js where that is right',
    (predictor) => {
      const { samples, stream, image } = roundTrip({ width: 67, height: 41, precision: 16, predictor });
      expect(image).toMatchObject({ width: 67, height: 41, components: 1, precision: 16 });
      expect(image.samples).toBeInstanceOf(Uint16Array);
      expect(Array.from(image.samples)).toEqual(Array.from(samples));
      // jpeg-lossless-decoder-js takes selection value 7's (Ra + Rb) / 2 unrounded, and so errs by one
      // where the sum with the difference wraps below zero (these test images wrap; CT slices rarely).
      if (predictor === 7) return;
      const reference = new ReferenceDecoder().decode(stream.buffer as ArrayBuffer, 0, stream.length, 2);
      expect(Array.from(image.samples)).toEqual(Array.from(reference));
    },
  );

  it.each([2, 5, 8, 12, 15])('precision %i bits with every selection value', (precision) => {
    for (let predictor = 1; predictor <= 7; predictor++) {
      const { samples, image } = roundTrip({ width: 33, height: 20, precision, predictor });
      const bytes = precision > 8 ? 2 : 1;
      expect(image.samples.BYTES_PER_ELEMENT).toBe(bytes);
      expect(Array.from(image.samples), `selection ${predictor}`).toEqual(expected(samples, 0, bytes));
    }
  });

  it('8-bit samples asked for as 2 bytes are widened, 16-bit ones asked for as 1 byte are kept modulo 256', () => {
    const eight = testImage(20, 10, 1, 8);
    const wide = decodeJpegLossless(
      encodeJpegLossless(eight, { width: 20, height: 10, precision: 8, predictor: 1 }),
      2,
    );
    expect(wide.samples).toBeInstanceOf(Uint16Array);
    expect(Array.from(wide.samples)).toEqual(Array.from(eight));
    const sixteen = testImage(20, 10, 1, 16);
    const stream = encodeJpegLossless(sixteen, { width: 20, height: 10, precision: 16, predictor: 4 });
    expect(Array.from(decodeJpegLossless(stream, 1).samples)).toEqual(expected(sixteen, 0, 1));
  });

  it.each([1, 3, 8])(
    'point transform %i: the samples come back shifted up, low bits zero',
    (pointTransform) => {
      for (const predictor of [1, 6, 7]) {
        const { samples, image } = roundTrip({
          width: 30,
          height: 12,
          precision: 12,
          predictor,
          pointTransform,
        });
        expect(Array.from(image.samples)).toEqual(expected(samples, pointTransform, 2));
      }
    },
  );

  it('restart intervals: each starts afresh with the first-line prediction', () => {
    for (const predictor of [1, 2, 4, 7]) {
      const options = { width: 40, height: 30, precision: 16, predictor, restartInterval: 40 * 4 };
      const { samples, stream, image } = roundTrip(options);
      // The stream really has restart markers (RST0-RST7, seven intervals).
      const markers = stream.filter(
        (byte, i) => byte === 0xff && stream[i + 1]! >= 0xd0 && stream[i + 1]! <= 0xd7,
      );
      expect(markers.length).toBe(7);
      expect(Array.from(image.samples), `selection ${predictor}`).toEqual(Array.from(samples));
    }
    // A restart interval that ends exactly with the image has no marker after it.
    const { samples, image } = roundTrip({
      width: 16,
      height: 8,
      precision: 8,
      predictor: 1,
      restartInterval: 16 * 8,
    });
    expect(Array.from(image.samples)).toEqual(Array.from(samples));
  });

  it('three components: one interleaved scan, a scan each, tables in separate segments', () => {
    const samples = testImage(25, 18, 3, 8);
    for (const scanPerComponent of [false, true]) {
      for (const predictor of [1, 5]) {
        const options = {
          width: 25,
          height: 18,
          components: 3,
          precision: 8,
          predictor,
          scanPerComponent,
          splitTables: true,
        };
        const image = decodeJpegLossless(encodeJpegLossless(samples, options));
        expect(image.components).toBe(3);
        expect(Array.from(image.samples), JSON.stringify(options)).toEqual(Array.from(samples));
      }
    }
  });

  it('an interleaved scan whose components use different tables', () => {
    const samples = testImage(19, 11, 2, 12);
    const options = {
      width: 19,
      height: 11,
      components: 2,
      precision: 12,
      predictor: 2,
      tablePerComponent: true,
    };
    const image = decodeJpegLossless(encodeJpegLossless(samples, options));
    expect(Array.from(image.samples)).toEqual(Array.from(samples));
  });

  it('long Huffman codes (up to 16 bits) decode through the slow path', () => {
    for (const precision of [8, 16]) {
      const { samples, image } = roundTrip({
        width: 50,
        height: 23,
        precision,
        predictor: 6,
        codeLengths: LONG_CODES,
      });
      expect(Array.from(image.samples)).toEqual(Array.from(samples));
    }
  });

  it("Cornerstone's Decoder shape: decode(buffer, offset, length, bytes) at an offset in a larger buffer", () => {
    const samples = testImage(21, 9, 1, 16);
    const stream = encodeJpegLossless(samples, { width: 21, height: 9, precision: 16, predictor: 1 });
    const buffer = new Uint8Array(stream.length + 13);
    buffer.set(stream, 5);
    const decoded = new Decoder().decode(buffer.buffer, 5, stream.length, 2);
    expect(decoded).toBeInstanceOf(Uint16Array);
    expect(decoded.buffer.byteLength).toBe(21 * 9 * 2);
    expect(Array.from(decoded)).toEqual(Array.from(samples));
  });

  describe('bad data gives a clear error', () => {
    const samples = testImage(64, 64, 1, 16);
    const stream = encodeJpegLossless(samples, { width: 64, height: 64, precision: 16, predictor: 1 });
    const scanStart = stream.findIndex((byte, i) => byte === 0xff && stream[i + 1] === 0xda);

    it.each([
      ['cut in the middle of the scan', stream.subarray(0, scanStart + 2000), /end early/],
      ['cut before the scan', stream.subarray(0, scanStart), /before all its scans/],
      ['cut inside the frame header', stream.subarray(0, 40), /cut short|no lossless frame/],
      ['not a JPEG', new Uint8Array([1, 2, 3, 4]), /not a JPEG stream/],
    ])('%s', (_, data, message) => {
      expect(() => decodeJpegLossless(data)).toThrow(JpegLosslessError);
      expect(() => decodeJpegLossless(data)).toThrow(message);
    });

    it('an invalid Huffman code', () => {
      // Long codes leave the all-ones 16-bit code (and more) unassigned; fill the scan with ones.
      const long = encodeJpegLossless(samples, {
        width: 64,
        height: 64,
        precision: 16,
        predictor: 1,
        codeLengths: LONG_CODES,
      });
      const start = long.findIndex((byte, i) => byte === 0xff && long[i + 1] === 0xda) + 10;
      const corrupt = long.slice();
      for (let i = start; i < start + 40; i += 2) [corrupt[i], corrupt[i + 1]] = [0xff, 0x00];
      expect(() => decodeJpegLossless(corrupt)).toThrow(/invalid Huffman code/);
    });

    it('a baseline (lossy) JPEG is named as such', () => {
      const lossy = stream.slice();
      const sof = lossy.findIndex((byte, i) => byte === 0xff && lossy[i + 1] === 0xc3);
      lossy[sof + 1] = 0xc0;
      expect(() => decodeJpegLossless(lossy)).toThrow(/not lossless \(SOF0\)/);
    });

    it('a selection value outside 1-7 and a missing table', () => {
      const zero = stream.slice();
      zero[scanStart + 2 + 2 + 3] = 0;
      expect(() => decodeJpegLossless(zero)).toThrow(/selection value 0/);
      const noTable = stream.slice();
      noTable[scanStart + 2 + 2 + 2] = 0x30;
      expect(() => decodeJpegLossless(noTable)).toThrow(/not defined/);
    });
  });
});
