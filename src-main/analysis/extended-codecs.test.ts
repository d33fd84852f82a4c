/**
 * JPEG extended 12-bit and HTJ2K read for analysis, each against a reference decoded independently
 * of the codec under test:
 * - JPEG extended: DCMTK 3.6.7's dcmdjpeg (IJG libjpeg, 12-bit build), its decode of each
 *   file summarised in test-support/ijg-jpeg-extended.ts (the viewer's tests use it too); and the enhanced CT's
 *   two frames against the same CT stored uncompressed. Lossy, and two IDCTs that round
 *   differently: no sample may be off by more than 1 from IJG's.
 * - HTJ2K (decoded by OpenJPH): the RGB samples OpenJPEG (an independent implementation of HTJ2K
 *   decoding, in the JPEG 2000 codec package) gives for the same stream, equal for the lossless one;
 *   the lossy one within a stated error of the lossless one; a signed 16-bit MR encoded here with
 *   OpenJPH (lossless) decodes back to the file's own values.
 */
import { readFileSync } from 'node:fs';
import * as dicomParser from 'dicom-parser';
import { describe, expect, it } from 'vitest';
import { IJG_REFERENCE, valueStats } from '../../test-support/ijg-jpeg-extended';
import { hasSharedData, sharedPath } from '../../test-support/shared-data';
import { storedInstance } from '../../test-support/stored-instance';
import type { StoredInstance } from '../library/library-store';
import { decodeFrame } from './pixel-codecs';
import { readImageValues } from './series-volume';

const TS = 'dicom/transfer_syntax';

/** Each encapsulated frame of a file, fragments joined (frames found by their JPEG start markers where there is no offset table). */
function encodedFrames(path: string): Uint8Array[] {
  const dataSet = dicomParser.parseDicom(readFileSync(path));
  const pixels = dataSet.elements.x7fe00010!;
  const table = pixels.basicOffsetTable!.length
    ? pixels.basicOffsetTable!
    : dicomParser.createJPEGBasicOffsetTable(dataSet, pixels);
  return table.map((_, n) => dicomParser.readEncapsulatedImageFrame(dataSet, pixels, n, table));
}

/** Stored samples of an uncompressed little-endian 16-bit file, all frames. */
function nativeSamples(path: string): Uint16Array {
  const dataSet = dicomParser.parseDicom(readFileSync(path));
  const pixels = dataSet.elements.x7fe00010!;
  const start = dataSet.byteArray.byteOffset + pixels.dataOffset;
  return new Uint16Array(dataSet.byteArray.buffer.slice(start, start + pixels.length));
}

function asUint16(bytes: Uint8Array): Uint16Array {
  return new Uint16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

describe.skipIf(!hasSharedData)('JPEG extended (12-bit) and HTJ2K for analysis', () => {
  it.each(IJG_REFERENCE)(
    'JPEG extended $file: the values IJG libjpeg decodes, within 1',
    async (reference) => {
      const instance = await storedInstance(sharedPath(TS, reference.file));
      expect([instance.transferSyntax, instance.bitsStored]).toEqual(['1.2.840.10008.1.2.4.51', 12]);
      const values = await readImageValues(instance);
      const found = valueStats(values);
      expect(Math.abs(found.mean - reference.mean)).toBeLessThan(0.2);
      expect(Math.abs(found.min - reference.min)).toBeLessThanOrEqual(1);
      expect(Math.abs(found.max - reference.max)).toBeLessThanOrEqual(1);
      for (const [column, row, value] of reference.samples) {
        expect(
          Math.abs(values[row * instance.columns + column]! - value),
          `${column},${row}`,
        ).toBeLessThanOrEqual(1);
      }
    },
  );

  it('JPEG extended: both frames of the enhanced CT match the uncompressed CT, as stored by its encoder', async () => {
    const folder = sharedPath(TS, 'enhanced_ct_CT0012_2frames');
    const file = `${folder}/CT0012.fragmented_no_bot_jpeg_baseline.51.dcm`;
    const instance = await storedInstance(file);
    expect(instance.frames).toBe(2);
    const uncompressed = nativeSamples(
      sharedPath('dicom/multiframe/dicomparser_CT0012_enhanced_ct_2frames.dcm'),
    );
    const frames = encodedFrames(file);
    expect(frames).toHaveLength(2);
    const pixels = instance.rows * instance.columns;
    for (const [n, encoded] of frames.entries()) {
      const decoded = asUint16((await decodeFrame(instance.transferSyntax, encoded, instance)).bytes);
      const original = uncompressed.subarray(n * pixels, (n + 1) * pixels);
      // The file's encoder moved the 16-bit values up by 1023 into 12 bits (IJG decodes the same):
      // what is left is the lossy error.
      const differences = Array.from(decoded, (value, p) => value - original[p]!);
      const sorted = [...differences].sort((a, b) => a - b);
      expect(sorted[pixels >> 1]).toBe(1023);
      const errors = differences.map((d) => d - 1023);
      const rms = Math.sqrt(errors.reduce((sum, e) => sum + e * e, 0) / pixels);
      expect(rms).toBeLessThan(1.5);
      expect(errors.reduce((worst, e) => Math.max(worst, Math.abs(e)), 0)).toBeLessThanOrEqual(16);
      expect(valueStats(original).max - valueStats(original).min).toBeGreaterThan(1000);
    }
  });

  it.each([
    ['HTJ2KLossless_08_RGB.dcm', '1.2.840.10008.1.2.4.201', 0],
    ['HTJ2K_08_RGB.dcm', '1.2.840.10008.1.2.4.203', 1],
  ])(
    'HTJ2K %s (%s): the samples OpenJPEG decodes from the same stream (within %i)',
    async (file, syntax, within) => {
      const instance = await looseInstance(file);
      expect([instance.transferSyntax, instance.samplesPerPixel, instance.photometric]).toEqual([
        syntax,
        3,
        'RGB',
      ]);
      const encoded = encodedFrames(instance.path)[0]!;
      const decoded = (await decodeFrame(instance.transferSyntax, encoded, instance)).bytes;
      const reference = await decodeWithOpenJpeg(encoded);
      expect(decoded.length).toBe(480 * 640 * 3);
      expect(reference.length).toBe(decoded.length);
      let worst = 0;
      for (let n = 0; n < decoded.length; n++) worst = Math.max(worst, Math.abs(decoded[n]! - reference[n]!));
      expect(worst).toBeLessThanOrEqual(within);
      expect(new Set(decoded).size).toBeGreaterThan(200);
      // A 2D model reads the luminance: 0.299 R + 0.587 G + 0.114 B of the reference's samples.
      const values = await readImageValues(instance);
      for (const p of [0, 1000, 153_600, 200_001, 307_199]) {
        const [r, g, b] = [reference[3 * p]!, reference[3 * p + 1]!, reference[3 * p + 2]!];
        expect(Math.abs(values[p]! - (0.299 * r + 0.587 * g + 0.114 * b)), `pixel ${p}`).toBeLessThanOrEqual(
          0.5 + within,
        );
      }
    },
  );

  it('HTJ2K lossy (.203): within 2 % RMS and 25 % at worst of the lossless encoding of the image', async () => {
    const lossless = await readImageValues(await looseInstance('HTJ2KLossless_08_RGB.dcm'));
    const lossy = await readImageValues(await looseInstance('HTJ2K_08_RGB.dcm'));
    let squares = 0;
    let worst = 0;
    for (let p = 0; p < lossless.length; p++) {
      const d = lossy[p]! - lossless[p]!;
      squares += d * d;
      worst = Math.max(worst, Math.abs(d));
    }
    // 8-bit luminance, range 255.
    expect(worst).toBeGreaterThan(0);
    expect(Math.sqrt(squares / lossless.length)).toBeLessThan(0.02 * 255);
    expect(worst).toBeLessThan(0.25 * 255);
  });

  it('HTJ2K RPCL (.202), greyscale signed 16-bit: an MR encoded here with OpenJPH decodes to its stored values', async () => {
    const mr = await storedInstance(sharedPath(TS, 'pydicom_small', 'MR_small.dcm'));
    expect([mr.pixelRepresentation, mr.bitsAllocated]).toEqual([1, 16]);
    const stored = new Uint8Array(
      readFileSync(mr.path).subarray(mr.pixelOffset!, mr.pixelOffset! + 64 * 64 * 2),
    );
    const encoded = await encodeHtj2k(stored, mr);
    const decoded = await decodeFrame('1.2.840.10008.1.2.4.202', encoded, mr);
    expect(decoded.bytes.length).toBe(stored.length);
    expect(Buffer.compare(decoded.bytes, stored)).toBe(0);
    expect(encoded.length).toBeLessThan(stored.length);
  });
});

/** The HTJ2K samples lack study and series UIDs, so the library refuses them: their layout, read directly. */
async function looseInstance(file: string): Promise<StoredInstance> {
  const path = sharedPath(TS, 'pydicom_data', file);
  const dataSet = dicomParser.parseDicom(readFileSync(path));
  const pixels = dataSet.elements.x7fe00010!;
  const like = await storedInstance(sharedPath(TS, 'pydicom_data', 'US1_J2KR.dcm'));
  return {
    ...like,
    path,
    transferSyntax: dataSet.string('x00020010')!,
    photometric: dataSet.string('x00280004')!,
    samplesPerPixel: dataSet.uint16('x00280002')!,
    pixelOffset: pixels.dataOffset,
    pixelLength: readFileSync(path).length - pixels.dataOffset,
  };
}

interface Htj2kEncoder {
  getDecodedBuffer(info: object): Uint8Array;
  encode(): void;
  getEncodedBuffer(): Uint8Array;
}

/** One lossless HTJ2K frame of greyscale 16-bit samples, with the encoder the codec package ships. */
async function encodeHtj2k(samples: Uint8Array, layout: StoredInstance): Promise<Uint8Array> {
  const { default: factory } = (await import('@cornerstonejs/codec-openjph/wasmjs')) as unknown as {
    default: (options: object) => Promise<{ HTJ2KEncoder: new () => Htj2kEncoder }>;
  };
  const encoder = new (await factory({ print: () => undefined })).HTJ2KEncoder();
  encoder
    .getDecodedBuffer({
      width: layout.columns,
      height: layout.rows,
      bitsPerSample: layout.bitsStored,
      componentCount: 1,
      isSigned: layout.pixelRepresentation === 1,
      isUsingColorTransform: false,
    })
    .set(samples);
  encoder.encode();
  return encoder.getEncodedBuffer().slice();
}

/** An HTJ2K frame decoded by OpenJPEG (2.5 decodes HTJ2K's block coding): the reference for OpenJPH's decode. */
async function decodeWithOpenJpeg(encoded: Uint8Array): Promise<Uint8Array> {
  const { default: factory } = await import('@cornerstonejs/codec-openjpeg/decodewasmjs');
  const decoder = new (await factory({ print: () => undefined })).J2KDecoder();
  decoder.getEncodedBuffer(encoded.length).set(encoded);
  decoder.decode();
  return decoder.getDecodedBuffer().slice();
}
