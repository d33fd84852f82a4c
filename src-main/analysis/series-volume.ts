/**
 * Builds one scalar volume from the images of a series, in display order, with the affine from
 * the DICOM geometry. Reads only the pixel data bytes of each file (offsets come from the index),
 * and decodes compressed ones (JPEG, JPEG-LS, JPEG 2000, RLE) in main with pixel-codecs.ts. A
 * series that is one multi-frame image becomes a volume of its frames, placed and rescaled by
 * their functional groups (enhanced images) or by the classic attributes (legacy-frames.ts).
 */
import { open, readFile } from 'node:fs/promises';
import type { GreyImage, SeriesVolume } from '../../src-shared/inference-protocol';
import { cross, dot } from '../../src-shared/geometry';
import type { Affine, Vec3 } from '../../src-shared/geometry';
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
import { EncapsulatedDataError, encapsulatedFrames } from '../library/encapsulated-frames';
import { framesGroups, type FrameGroups } from '../library/functional-groups';
import { LegacyFramesError, placeLegacyFrames } from '../library/legacy-frames';
import { DECODABLE_TRANSFER_SYNTAXES, decodeFrame, FrameDecodeError } from './pixel-codecs';
import { colourLayout, colourRefusal, luminance, storedSamplesPerPixel } from './colour-luminance';

export class VolumeBuildError extends Error {}

/** Where a series' voxels lie, and how its volume's slices map onto the slices the viewer shows. */
export interface AnalysisGrid {
  /** Voxel (i column, j row, k slice) to patient LPS mm, row-major 4x4. */
  readonly affine: Affine;
  /**
   * The display (stack) slice that volume slice k is: k itself for a series of images (listed
   * in display order), the frame number - 1 for the frames of a multi-frame image (the volume
   * sorts them along the normal; the stack shows them in frame order).
   */
  readonly displayIndex: readonly number[];
}

export interface AnalysisVolume extends SeriesVolume, AnalysisGrid {}

const isMultiFrame = (instances: readonly StoredInstance[]): boolean =>
  instances.length === 1 && instances[0]!.frames > 1;

export async function buildSeriesVolume(instances: readonly StoredInstance[]): Promise<AnalysisVolume> {
  const first = instances[0];
  if (!first) throw new VolumeBuildError('the series has no images');
  if (isMultiFrame(instances)) return buildFramesVolume(first);
  checkStackable(instances);
  const { columns, rows } = first;
  const sliceVoxels = rows * columns;
  const data = new Float32Array(sliceVoxels * instances.length);
  for (let k = 0; k < instances.length; k++) {
    await readSlice(instances[k]!, data.subarray(k * sliceVoxels, (k + 1) * sliceVoxels));
  }
  return {
    dims: [columns, rows, instances.length],
    data,
    affine: seriesAffine(instances),
    displayIndex: instances.map((_, k) => k),
  };
}

/** The grid of a series' volume from its headers alone, without reading its pixels. */
export async function analysisGrid(instances: readonly StoredInstance[]): Promise<AnalysisGrid> {
  if (!isMultiFrame(instances)) {
    return { affine: seriesAffine(instances), displayIndex: instances.map((_, k) => k) };
  }
  const slices = await frameSlices(instances[0]!);
  return { affine: seriesAffine(slices), displayIndex: slices.map((slice) => slice.frame) };
}

/** Where the frames of a multi-frame image lie, for the input gate; or why they are not one volume. */
export type FramePlacement =
  | { readonly positions: readonly Vec3[]; readonly pixelSpacing: readonly [number, number] }
  | { readonly problem: string };

/**
 * The placement of the frames of a series that is one multi-frame image, in volume order, read
 * from its header; null for a series of images (their positions are in the library).
 */
export async function framePlacement(instances: readonly StoredInstance[]): Promise<FramePlacement | null> {
  if (!isMultiFrame(instances)) return null;
  try {
    const slices = await frameSlices(instances[0]!);
    return { positions: slices.map((slice) => slice.position!), pixelSpacing: slices[0]!.pixelSpacing! };
  } catch (error) {
    // A file that cannot be read is as unusable here as frames that are not one volume.
    return { problem: errorText(error) };
  }
}

/** Whether the volume's slices are in the order the viewer shows them (every series of images). */
export const inDisplayOrder = (displayIndex: readonly number[]): boolean =>
  displayIndex.every((d, k) => d === k);

/**
 * A labelmap's slices moved between volume order and display order (see AnalysisGrid): results
 * are stored in display order, as the viewer and DICOM SEG overlays index them.
 */
export function reorderSlices(
  labels: Uint8Array,
  sliceLength: number,
  displayIndex: readonly number[],
  to: 'display' | 'volume',
): Uint8Array {
  if (inDisplayOrder(displayIndex)) return labels;
  const out = new Uint8Array(labels.length);
  displayIndex.forEach((d, k) => {
    const [from, into] = to === 'display' ? [k, d] : [d, k];
    out.set(labels.subarray(from * sliceLength, (from + 1) * sliceLength), into * sliceLength);
  });
  return out;
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

/**
 * Refuses what cannot be read: colour as `colour` says (see colour-luminance.ts); several frames
 * only where `framesAllowed` (every frame read, as a volume).
 */
function checkReadable(
  instance: StoredInstance,
  colour: 'volume' | 'luminance',
  framesAllowed = false,
): void {
  const syntax = instance.transferSyntax;
  const deflated = syntax === DEFLATED_TRANSFER_SYNTAX;
  if (!NATIVE_TRANSFER_SYNTAXES.has(syntax) && !DECODABLE_TRANSFER_SYNTAXES.has(syntax) && !deflated) {
    throw new VolumeBuildError(`compressed pixel data (${instance.transferSyntax}) cannot be analysed yet`);
  }
  const colourProblem = instance.samplesPerPixel === 1 ? null : colourRefusal(instance, colour);
  if (colourProblem) throw new VolumeBuildError(colourProblem);
  if (instance.frames !== 1 && !framesAllowed) {
    throw new VolumeBuildError(
      `a multi-frame image (${instance.frames} frames) is read only as a volume, not as one image`,
    );
  }
  // A deflated file's pixel offset is found once it is inflated.
  if (instance.pixelOffset === null && !deflated) throw new VolumeBuildError('an image has no pixel data');
}

function checkStackable(instances: readonly StoredInstance[]): void {
  const first = instances[0]!;
  if (instances.length < 2) throw new VolumeBuildError('a volume needs at least two slices');
  for (const instance of instances) {
    checkReadable(instance, 'volume');
    if (instance.rows !== first.rows || instance.columns !== first.columns) {
      throw new VolumeBuildError('the images of the series differ in size');
    }
    if (!instance.position || !instance.orientation || !instance.pixelSpacing) {
      throw new VolumeBuildError('an image lacks position, orientation or pixel spacing');
    }
  }
}

/** Where a slice lies: an image of a series, or a frame of a multi-frame image. */
type PlacedSlice = Pick<StoredInstance, 'position' | 'orientation' | 'pixelSpacing'>;

/** Voxel (i column, j row, k slice) to patient LPS mm, row-major 4x4. */
function seriesAffine(instances: readonly PlacedSlice[]): number[] {
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
  let stored: StoredSamples;
  if (NATIVE_TRANSFER_SYNTAXES.has(syntax)) stored = await readNativeSamples(instance, samples, 0);
  else if (syntax === DEFLATED_TRANSFER_SYNTAX) stored = await readDeflatedSamples(instance, samples);
  else {
    const decode = await compressedFrames(instance);
    stored = await decode(0);
  }
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

/**
 * An enhanced multi-frame image as a volume: each frame one slice, sorted along the normal of its
 * orientation by its Plane Position, each with its own rescale (per-frame, else shared, else top
 * level), spaced by its Pixel Measures.
 */
async function buildFramesVolume(instance: StoredInstance): Promise<AnalysisVolume> {
  const inflated =
    instance.transferSyntax === DEFLATED_TRANSFER_SYNTAX ? await inflatedDataSet(instance) : undefined;
  const slices = await frameSlices(instance, inflated);
  const sliceVoxels = instance.rows * instance.columns;
  const native = NATIVE_TRANSFER_SYNTAXES.has(instance.transferSyntax);
  const frameSamples = inflated
    ? async (frame: number) => inflatedSamples(inflated, instance, sliceVoxels, frame)
    : native
      ? (frame: number) => readNativeSamples(instance, sliceVoxels, frame)
      : await compressedFrames(instance);
  const data = new Float32Array(sliceVoxels * slices.length);
  for (let k = 0; k < slices.length; k++) {
    const { frame, rescaleSlope, rescaleIntercept } = slices[k]!;
    const into = data.subarray(k * sliceVoxels, (k + 1) * sliceVoxels);
    storedToValues(await frameSamples(frame), instance, into, {
      scale: rescaleSlope,
      offset: rescaleIntercept,
    });
  }
  return {
    dims: [instance.columns, instance.rows, slices.length],
    data,
    affine: seriesAffine(slices),
    displayIndex: slices.map((slice) => slice.frame),
  };
}

/**
 * The frames of a multi-frame image in volume order, each with its functional groups, or, for an
 * image without per-frame groups, placed by the classic attributes. `header`: the data set, where
 * it was read already (a deflated file's, inflated).
 */
async function frameSlices(
  instance: StoredInstance,
  header?: dicomParser.DataSet,
): Promise<Array<FrameGroups & { frame: number }>> {
  checkReadable(instance, 'volume', true);
  const ds = header ?? (await readHeader(instance));
  const groups = framesGroups(ds, instance.frames);
  if (ds.elements[Tag.PerFrameFunctionalGroupsSequence]) return framesAlongNormal(groups);
  try {
    return framesAlongNormal(placeLegacyFrames(ds, groups));
  } catch (error) {
    if (error instanceof LegacyFramesError) throw new VolumeBuildError(error.message, { cause: error });
    throw error;
  }
}

/** The data set up to the pixel data: the functional groups live there. */
async function readHeader(instance: StoredInstance): Promise<dicomParser.DataSet> {
  if (instance.transferSyntax === DEFLATED_TRANSFER_SYNTAX) return inflatedDataSet(instance);
  const header = await readBytes(instance.path, 0, instance.pixelOffset!);
  try {
    return dicomParser.parseDicom(header, { untilTag: Tag.PixelData });
  } catch (error) {
    throw new VolumeBuildError(`the image's header cannot be read: ${errorText(error)}`, { cause: error });
  }
}

/** Orientations and spacings agreeing to this much are the same (values are written rounded). */
const SAME_GEOMETRY = 1e-4;

/**
 * The frames in volume order, checked to be one regular stack: every frame placed, one
 * orientation and pixel spacing, each on its own plane, evenly spaced (within 1 % or 0.01 mm).
 */
function framesAlongNormal(groups: readonly FrameGroups[]): Array<FrameGroups & { frame: number }> {
  const first = groups[0]!;
  if (groups.some((g) => !g.position || !g.orientation || !g.pixelSpacing)) {
    throw new VolumeBuildError('a frame lacks position, orientation or pixel spacing');
  }
  const differs = (a: readonly number[], b: readonly number[]): boolean =>
    a.some((value, n) => Math.abs(value - b[n]!) > SAME_GEOMETRY);
  if (groups.some((g) => differs(g.orientation!, first.orientation!))) {
    throw new VolumeBuildError('the frames differ in orientation: they are not one volume');
  }
  if (groups.some((g) => differs(g.pixelSpacing!, first.pixelSpacing!))) {
    throw new VolumeBuildError('the frames differ in pixel spacing: they are not one volume');
  }
  const o = first.orientation!;
  const normal = cross([o[0]!, o[1]!, o[2]!], [o[3]!, o[4]!, o[5]!]);
  const sorted = groups
    .map((g, frame) => ({ ...g, frame, along: dot(g.position!, normal) }))
    .sort((a, b) => a.along - b.along);
  const mean = (sorted[sorted.length - 1]!.along - sorted[0]!.along) / (sorted.length - 1);
  for (let k = 1; k < sorted.length; k++) {
    const step = sorted[k]!.along - sorted[k - 1]!.along;
    if (step < 1e-6) {
      throw new VolumeBuildError(
        'several frames lie on one plane (phases or times of one slice): they are not one volume',
      );
    }
    if (Math.abs(step - mean) > Math.max(0.01, 0.01 * mean)) {
      throw new VolumeBuildError('the frames are not evenly spaced along the slice normal');
    }
  }
  return sorted;
}

interface StoredSamples {
  readonly bytes: Uint8Array;
  readonly bytesPerSample: number;
  readonly bigEndian: boolean;
}

async function readBytes(path: string, position: number, length: number): Promise<Uint8Array> {
  const raw = Buffer.alloc(length);
  const handle = await open(path, 'r');
  try {
    const { bytesRead } = await handle.read(raw, 0, length, position);
    if (bytesRead < length) throw new VolumeBuildError('the pixel data is shorter than the image');
  } finally {
    await handle.close();
  }
  return raw;
}

/** Frame `frame` (0-based) of native pixel data: frames follow each other, each `samples` long. */
async function readNativeSamples(
  instance: StoredInstance,
  samples: number,
  frame: number,
): Promise<StoredSamples> {
  const bytesPerSample = instance.bitsAllocated / 8;
  const needed = samples * bytesPerSample;
  if (![1, 2, 4].includes(bytesPerSample) || (instance.pixelLength ?? 0) < needed * (frame + 1)) {
    throw new VolumeBuildError(`unsupported pixel layout (${instance.bitsAllocated} bits allocated)`);
  }
  return {
    bytes: await readBytes(instance.path, instance.pixelOffset! + frame * needed, needed),
    bytesPerSample,
    bigEndian: instance.transferSyntax === BIG_ENDIAN_TRANSFER_SYNTAX,
  };
}

/** A deflated file's data set, inflated whole (it is one stream): its pixel data is then native little endian. */
async function inflatedDataSet(instance: StoredInstance): Promise<dicomParser.DataSet> {
  try {
    return dicomParser.parseDicom(inflatePart10(new Uint8Array(await readFile(instance.path))));
  } catch (error) {
    throw new VolumeBuildError(`the deflated file cannot be read: ${errorText(error)}`, { cause: error });
  }
}

async function readDeflatedSamples(instance: StoredInstance, samples: number): Promise<StoredSamples> {
  return inflatedSamples(await inflatedDataSet(instance), instance, samples, 0);
}

/** Frame `frame` (0-based) of an inflated data set's native pixel data, each frame `samples` long. */
function inflatedSamples(
  dataSet: dicomParser.DataSet,
  instance: StoredInstance,
  samples: number,
  frame: number,
): StoredSamples {
  const element = dataSet.elements[Tag.PixelData];
  const bytesPerSample = instance.bitsAllocated / 8;
  const needed = samples * bytesPerSample;
  if (![1, 2, 4].includes(bytesPerSample) || !element || element.length < needed * (frame + 1)) {
    throw new VolumeBuildError('the pixel data is shorter than the image');
  }
  const start = element.dataOffset + frame * needed;
  return { bytes: dataSet.byteArray.subarray(start, start + needed), bytesPerSample, bigEndian: false };
}

/** Reads the compressed pixel data once; the function decodes one frame (0-based) of it. */
async function compressedFrames(
  instance: StoredInstance,
): Promise<(frame: number) => Promise<StoredSamples>> {
  const value = await readBytes(instance.path, instance.pixelOffset!, instance.pixelLength ?? 0);
  let frames: Uint8Array[];
  try {
    frames = encapsulatedFrames(value, instance.frames);
  } catch (err) {
    if (err instanceof EncapsulatedDataError) throw new VolumeBuildError(err.message, { cause: err });
    throw err;
  }
  return async (frame) => {
    try {
      const decoded = await decodeFrame(instance.transferSyntax, frames[frame]!, instance);
      return { bytes: decoded.bytes, bytesPerSample: decoded.bytesPerSample, bigEndian: false };
    } catch (err) {
      if (err instanceof FrameDecodeError) throw new VolumeBuildError(err.message, { cause: err });
      throw err;
    }
  };
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
