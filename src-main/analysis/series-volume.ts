/**
 * Builds one scalar volume from the images of a series, in display order, with the affine from
 * the DICOM geometry. Reads only the pixel data bytes of each file (offsets come from the index),
 * and decodes compressed ones (JPEG, JPEG-LS, JPEG 2000, RLE) in main with pixel-codecs.ts.
 */
import { open, readFile } from 'node:fs/promises';
import type { GreyImage, SeriesVolume } from '../../src-shared/inference-protocol';
import { cross, dot } from '../../src-shared/geometry';
import type { Vec3 } from '../../src-shared/geometry';
import type { StoredInstance } from '../library/library-store';
import * as dicomParser from 'dicom-parser';
import {
  BIG_ENDIAN_TRANSFER_SYNTAX,
  DEFLATED_TRANSFER_SYNTAX,
  NATIVE_TRANSFER_SYNTAXES,
  Tag,
} from '../library/dicom-tags';
import { inflatePart10 } from '../library/deflated-part10';
import { errorText } from '../library/dicom-header';
import { DECODABLE_TRANSFER_SYNTAXES, decodeFrame, FrameDecodeError } from './pixel-codecs';
import { colourLayout, colourRefusal, luminance, storedSamplesPerPixel } from './colour-luminance';

export class VolumeBuildError extends Error {}

export async function buildSeriesVolume(instances: readonly StoredInstance[]): Promise<SeriesVolume> {
  const first = instances[0];
  if (!first) throw new VolumeBuildError('the series has no images');
  checkStackable(instances);
  const { columns, rows } = first;
  const sliceVoxels = rows * columns;
  const data = new Float32Array(sliceVoxels * instances.length);
  for (let k = 0; k < instances.length; k++) {
    await readSlice(instances[k]!, data.subarray(k * sliceVoxels, (k + 1) * sliceVoxels));
  }
  return { dims: [columns, rows, instances.length], affine: seriesAffine(instances), data };
}

/**
 * One greyscale image for a 2D model, as the display shows it (MONOCHROME1 inverted), with the
 * largest value its stored bits allow after rescaling.
 */
export async function buildGreyImage(instance: StoredInstance): Promise<GreyImage> {
  const { rescaleSlope: slope, rescaleIntercept: intercept } = instance;
  const bits = instance.bitsStored > 0 ? instance.bitsStored : instance.bitsAllocated;
  const [low, high] =
    instance.pixelRepresentation === 1
      ? [-(2 ** (bits - 1)) * slope + intercept, (2 ** (bits - 1) - 1) * slope + intercept]
      : [intercept, (2 ** bits - 1) * slope + intercept];
  // From 0 to the range's top (the classifier scales by the maximum), folded into the rescale so
  // the pixels are converted in one pass.
  const toGrey: Linear =
    instance.photometric === 'MONOCHROME1'
      ? { scale: -slope, offset: high - intercept }
      : { scale: slope, offset: intercept - low };
  const data = await readImageValues(instance, toGrey);
  return { rows: instance.rows, columns: instance.columns, maxValue: high - low, data };
}

/** What each stored value becomes: `value * scale + offset` (the rescale, by default). */
interface Linear {
  readonly scale: number;
  readonly offset: number;
}

const rescaleOf = (instance: StoredInstance): Linear => ({
  scale: instance.rescaleSlope,
  offset: instance.rescaleIntercept,
});

/**
 * The values of one single-frame image, decoded if compressed (a colour image's luminance, see
 * colour-luminance.ts): its modality values (stored values rescaled) unless `linear` says otherwise.
 */
export async function readImageValues(
  instance: StoredInstance,
  linear: Linear = rescaleOf(instance),
): Promise<Float32Array> {
  checkReadable(instance, 'luminance');
  const data = new Float32Array(instance.rows * instance.columns);
  await readSlice(instance, data, linear);
  return data;
}

function checkReadable(instance: StoredInstance, colour: 'volume' | 'luminance' = 'volume'): void {
  const syntax = instance.transferSyntax;
  const deflated = syntax === DEFLATED_TRANSFER_SYNTAX;
  if (!NATIVE_TRANSFER_SYNTAXES.has(syntax) && !DECODABLE_TRANSFER_SYNTAXES.has(syntax) && !deflated) {
    throw new VolumeBuildError(`compressed pixel data (${instance.transferSyntax}) cannot be analysed yet`);
  }
  const colourProblem = instance.samplesPerPixel === 1 ? null : colourRefusal(instance, colour);
  if (colourProblem) throw new VolumeBuildError(colourProblem);
  if (instance.frames !== 1) {
    throw new VolumeBuildError('only single-frame greyscale images can be analysed');
  }
  // A deflated file's pixel offset is found once it is inflated.
  if (instance.pixelOffset === null && !deflated) throw new VolumeBuildError('an image has no pixel data');
}

function checkStackable(instances: readonly StoredInstance[]): void {
  const first = instances[0]!;
  if (instances.length < 2) throw new VolumeBuildError('a volume needs at least two slices');
  for (const instance of instances) {
    checkReadable(instance);
    if (instance.rows !== first.rows || instance.columns !== first.columns) {
      throw new VolumeBuildError('the images of the series differ in size');
    }
    if (!instance.position || !instance.orientation || !instance.pixelSpacing) {
      throw new VolumeBuildError('an image lacks position, orientation or pixel spacing');
    }
  }
}

/** Voxel (i column, j row, k slice) to patient LPS mm, row-major 4x4. */
export function seriesAffine(instances: readonly StoredInstance[]): number[] {
  const first = instances[0]!;
  const last = instances[instances.length - 1]!;
  const o = first.orientation!;
  const rowDir: Vec3 = [o[0]!, o[1]!, o[2]!];
  const colDir: Vec3 = [o[3]!, o[4]!, o[5]!];
  const [rowSpacing, columnSpacing] = first.pixelSpacing!;
  const p0 = first.position!;
  const pN = last.position!;
  const n = instances.length;
  const step: Vec3 = [(pN[0] - p0[0]) / (n - 1), (pN[1] - p0[1]) / (n - 1), (pN[2] - p0[2]) / (n - 1)];
  if (Math.abs(dot(step, cross(rowDir, colDir))) < 1e-6) {
    throw new VolumeBuildError('the images do not advance along the slice normal');
  }
  return [
    rowDir[0] * columnSpacing,
    colDir[0] * rowSpacing,
    step[0],
    p0[0],
    rowDir[1] * columnSpacing,
    colDir[1] * rowSpacing,
    step[1],
    p0[1],
    rowDir[2] * columnSpacing,
    colDir[2] * rowSpacing,
    step[2],
    p0[2],
    0,
    0,
    0,
    1,
  ];
}

async function readSlice(
  instance: StoredInstance,
  into: Float32Array,
  linear: Linear = rescaleOf(instance),
): Promise<void> {
  const syntax = instance.transferSyntax;
  const samples = into.length * storedSamplesPerPixel(instance);
  const stored = NATIVE_TRANSFER_SYNTAXES.has(syntax)
    ? await readNativeSamples(instance, samples)
    : syntax === DEFLATED_TRANSFER_SYNTAX
      ? await readDeflatedSamples(instance, samples)
      : await readCompressedSamples(instance);
  const grey = instance.samplesPerPixel === 1 ? stored : await luminanceSamples(instance, stored, samples);
  storedToValues(grey, instance, into, linear);
}

/** A colour image's luminance, as greyscale stored samples of the same width. */
async function luminanceSamples(
  instance: StoredInstance,
  stored: StoredSamples,
  samples: number,
): Promise<StoredSamples> {
  const pixels = instance.rows * instance.columns;
  const grey = luminance(unsignedSamples(stored, samples), pixels, await colourLayout(instance));
  return { bytes: new Uint8Array(grey.buffer), bytesPerSample: stored.bytesPerSample, bigEndian: false };
}

interface StoredSamples {
  readonly bytes: Uint8Array;
  readonly bytesPerSample: number;
  readonly bigEndian: boolean;
}

async function readPixelBytes(instance: StoredInstance, length: number): Promise<Uint8Array> {
  const raw = Buffer.alloc(length);
  const handle = await open(instance.path, 'r');
  try {
    const { bytesRead } = await handle.read(raw, 0, length, instance.pixelOffset!);
    if (bytesRead < length) throw new VolumeBuildError('the pixel data is shorter than the image');
  } finally {
    await handle.close();
  }
  return raw;
}

async function readNativeSamples(instance: StoredInstance, samples: number): Promise<StoredSamples> {
  const bytesPerSample = instance.bitsAllocated / 8;
  const needed = samples * bytesPerSample;
  if (![1, 2, 4].includes(bytesPerSample) || (instance.pixelLength ?? 0) < needed) {
    throw new VolumeBuildError(`unsupported pixel layout (${instance.bitsAllocated} bits allocated)`);
  }
  return {
    bytes: await readPixelBytes(instance, needed),
    bytesPerSample,
    bigEndian: instance.transferSyntax === BIG_ENDIAN_TRANSFER_SYNTAX,
  };
}

/** A deflated file is inflated whole (it is one stream); its pixel data is then native little endian. */
async function readDeflatedSamples(instance: StoredInstance, samples: number): Promise<StoredSamples> {
  let pixels: Uint8Array | undefined;
  try {
    const dataSet = dicomParser.parseDicom(inflatePart10(new Uint8Array(await readFile(instance.path))));
    const element = dataSet.elements[Tag.PixelData];
    pixels = element && dataSet.byteArray.subarray(element.dataOffset, element.dataOffset + element.length);
  } catch (error) {
    throw new VolumeBuildError(`the deflated file cannot be read: ${errorText(error)}`, { cause: error });
  }
  const bytesPerSample = instance.bitsAllocated / 8;
  if (![1, 2, 4].includes(bytesPerSample) || !pixels || pixels.length < samples * bytesPerSample) {
    throw new VolumeBuildError('the pixel data is shorter than the image');
  }
  return { bytes: pixels, bytesPerSample, bigEndian: false };
}

async function readCompressedSamples(instance: StoredInstance): Promise<StoredSamples> {
  const value = await readPixelBytes(instance, instance.pixelLength ?? 0);
  try {
    const decoded = await decodeFrame(instance.transferSyntax, singleFrame(value), instance);
    return { bytes: decoded.bytes, bytesPerSample: decoded.bytesPerSample, bigEndian: false };
  } catch (err) {
    if (err instanceof FrameDecodeError) throw new VolumeBuildError(err.message, { cause: err });
    throw err;
  }
}

/**
 * The one frame of encapsulated pixel data (PS3.5 A.4): items after the Basic Offset Table, up to
 * the sequence delimiter, joined. Encapsulated data is always little endian.
 */
function singleFrame(value: Uint8Array): Uint8Array {
  const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
  const fragments: Uint8Array[] = [];
  let pos = 0;
  for (let item = 0; pos + 8 <= value.length; item++) {
    const group = view.getUint16(pos, true);
    const element = view.getUint16(pos + 2, true);
    const length = view.getUint32(pos + 4, true);
    pos += 8;
    if (group === 0xfffe && element === 0xe0dd) break;
    if (group !== 0xfffe || element !== 0xe000 || pos + length > value.length) {
      throw new VolumeBuildError('the compressed pixel data is malformed or cut short');
    }
    // Item 0 is the Basic Offset Table; with one frame every fragment after it is that frame.
    if (item > 0) fragments.push(value.subarray(pos, pos + length));
    pos += length;
  }
  if (fragments.length === 0) throw new VolumeBuildError('the compressed pixel data holds no frame');
  return fragments.length === 1 ? fragments[0]! : Buffer.concat(fragments);
}

/**
 * Stored samples to values, into `into`: bits above Bits Stored masked (they may hold overlay
 * data), signed values sign-extended, then `linear` applied. Samples are read through a typed
 * array, not byte by byte (a 1024² image takes a few milliseconds, not tens).
 */
function storedToValues(
  stored: StoredSamples,
  instance: StoredInstance,
  into: Float32Array,
  { scale, offset }: Linear,
): void {
  const samples = unsignedSamples(stored, into.length);
  const allocated = stored.bytesPerSample * 8;
  const bits = instance.bitsStored > 0 && instance.bitsStored < allocated ? instance.bitsStored : allocated;
  const signed = instance.pixelRepresentation === 1;
  if (bits === 32) {
    for (let v = 0; v < into.length; v++) into[v] = (signed ? samples[v]! | 0 : samples[v]!) * scale + offset;
    return;
  }
  const mask = 2 ** bits - 1;
  const signBit = signed ? 2 ** (bits - 1) : Infinity;
  const span = 2 ** bits;
  for (let v = 0; v < into.length; v++) {
    let value = samples[v]! & mask;
    if (value >= signBit) value -= span;
    into[v] = value * scale + offset;
  }
}

/** The samples as unsigned integers in this machine's order (a view when the bytes allow it). */
function unsignedSamples(
  { bytes, bytesPerSample, bigEndian }: StoredSamples,
  count: number,
): Uint8Array | Uint16Array | Uint32Array {
  if (bytesPerSample === 1) return bytes;
  const aligned = bytes.byteOffset % bytesPerSample === 0;
  if (!bigEndian && aligned) {
    return bytesPerSample === 2
      ? new Uint16Array(bytes.buffer, bytes.byteOffset, count)
      : new Uint32Array(bytes.buffer, bytes.byteOffset, count);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = bytesPerSample === 2 ? new Uint16Array(count) : new Uint32Array(count);
  for (let v = 0; v < count; v++)
    out[v] = bytesPerSample === 2 ? view.getUint16(v * 2, !bigEndian) : view.getUint32(v * 4, !bigEndian);
  return out;
}
