/**
 * The Modality LUT Sequence and VOI LUT Sequence (PS3.3 C.11.1 and C.11.2), which Cornerstone's GPU
 * path ignores: the modality LUT is applied to the decoded pixels as they load (so probes, ROIs and
 * windows work in its output units), and the VOI LUT becomes the viewport's transfer function.
 */
import { utilities, type Types } from '@cornerstonejs/core';
import vtkColorTransferFunction from '@kitware/vtk.js/Rendering/Core/ColorTransferFunction';
import { firstValue, naturalized } from './naturalized';
import { withPixelData } from './replacedPixelData';

/** One LUT: entry k holds the output for the input value first + k; inputs outside clamp to the ends. */
export interface LookupTable {
  readonly first: number;
  readonly bits: number;
  readonly data: readonly number[];
  readonly explanation: string;
}

interface NaturalizedLut {
  readonly LUTDescriptor?: readonly number[];
  /** US: the entries as numbers. OW: the bytes, as one or more ArrayBuffers. */
  readonly LUTData?: ArrayLike<number> | ArrayLike<ArrayBuffer> | ArrayBuffer;
  readonly LUTExplanation?: string;
}

/**
 * The LUT's entries, whichever way the file holds them: numbers (US), or bytes (OW) laid out as 8 or
 * 16 bits allocated per entry (PS3.3 C.11.1.1.1), little endian as the reader leaves them.
 */
export function lutEntries(data: NaturalizedLut['LUTData'], count: number): number[] {
  if (data === undefined) return [];
  const parts = data instanceof ArrayBuffer ? [data] : Array.from<number | ArrayBuffer>(data);
  const buffers = parts.filter((part): part is ArrayBuffer => part instanceof ArrayBuffer);
  if (buffers.length === 0) return parts as number[];
  const bytes = new Uint8Array(buffers.reduce((sum, part) => sum + part.byteLength, 0));
  let offset = 0;
  for (const part of buffers) {
    bytes.set(new Uint8Array(part), offset);
    offset += part.byteLength;
  }
  if (bytes.length < 2 * count) return Array.from(bytes.subarray(0, count));
  const words = new DataView(bytes.buffer);
  return Array.from({ length: count }, (_, k) => words.getUint16(2 * k, true));
}

type LutSequence = 'ModalityLUTSequence' | 'VOILUTSequence';

/**
 * The LUT Descriptor's first input value. Its VR is US or SS, so a value written as SS and read as
 * US (an implicit VR file, or a writer that chose US) comes 65,536 too high; where the LUT's inputs
 * may be negative, such values are taken as the negative values they were.
 */
export function firstInput(first: number, inputsMayBeNegative: boolean): number {
  return inputsMayBeNegative && first > 0x7fff ? first - 0x10000 : first;
}

/**
 * Whether a LUT's inputs may be negative: the Modality LUT's are the stored values (signed pixels);
 * the VOI LUT's are the modality's output, a Modality LUT's unsigned entries or the rescaled values.
 */
function inputsMayBeNegative(natural: Record<string, unknown>, sequence: LutSequence): boolean {
  const signedPixels = Number(firstValue(natural.PixelRepresentation)) === 1;
  if (sequence === 'ModalityLUTSequence') return signedPixels;
  if (natural.ModalityLUTSequence !== undefined) return false;
  return (
    signedPixels ||
    Number(firstValue(natural.RescaleIntercept)) < 0 ||
    Number(firstValue(natural.RescaleSlope)) < 0
  );
}

function firstLut(imageId: string, sequence: LutSequence): LookupTable | null {
  const natural = naturalized(imageId);
  const items = natural?.[sequence];
  const item = firstValue(items) as NaturalizedLut | undefined;
  const descriptor = item?.LUTDescriptor;
  if (!descriptor || descriptor.length < 3) return null;
  // A count of 0 means 65,536 entries (PS3.3 C.11.1.1.1).
  const data = lutEntries(item.LUTData, descriptor[0] || 65536);
  if (data.length === 0) return null;
  return {
    first: firstInput(descriptor[1]!, inputsMayBeNegative(natural!, sequence)),
    bits: descriptor[2]!,
    data,
    explanation: item.LUTExplanation?.trim() ?? '',
  };
}

export const modalityLut = (imageId: string): LookupTable | null => firstLut(imageId, 'ModalityLUTSequence');
export const voiLut = (imageId: string): LookupTable | null => firstLut(imageId, 'VOILUTSequence');

/** The LUT's output for an input value. */
export function lookUp(lut: LookupTable, value: number): number {
  const index = Math.min(lut.data.length - 1, Math.max(0, Math.round(value) - lut.first));
  return lut.data[index]!;
}

/**
 * The image with its stored values passed through the modality LUT: a new pixel array (the largest
 * output fits 16 bits unsigned by the standard's descriptor) and voxel manager, slope 1, intercept 0.
 */
function applyModalityLut(image: Types.IImage, lut: LookupTable): Types.IImage {
  const stored = image.getPixelData();
  const mapped = new Uint16Array(stored.length);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < stored.length; i++) {
    const value = lookUp(lut, stored[i]!);
    mapped[i] = value;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  const hasFileWindow = naturalized(image.imageId)?.WindowWidth !== undefined;
  const window = utilities.windowLevel.toWindowLevel(min, max);
  return {
    ...withPixelData(image, mapped, { min, max }),
    slope: 1,
    intercept: 0,
    windowWidth: hasFileWindow ? image.windowWidth : window.windowWidth,
    windowCenter: hasFileWindow ? image.windowCenter : window.windowCenter,
  };
}

/** A loader whose images pass through their file's modality LUT after decoding. */
export function withModalityLut(load: Types.ImageLoaderFn): Types.ImageLoaderFn {
  return (imageId, options) => {
    const loaded = load(imageId, options);
    return {
      ...loaded,
      promise: loaded.promise.then((image) => {
        const lut = modalityLut(imageId);
        return lut ? applyModalityLut(image, lut) : image;
      }),
    };
  };
}

/**
 * The part of the LUT where its output changes: the last entry of its flat start to the first of its
 * flat end. Inputs beyond clamp to the end outputs either way, so it draws the same; a volume view's
 * window/level starts from the LUT's input range, and this makes that range the LUT's working one.
 */
export function lutRamp(lut: LookupTable): LookupTable {
  const { data } = lut;
  let start = 0;
  while (start < data.length - 1 && data[start + 1] === data[0]) start++;
  let end = data.length - 1;
  while (end > start && data[end - 1] === data[data.length - 1]) end--;
  // A flat LUT has no ramp: it keeps its whole range.
  if (end <= start || (start === 0 && end === data.length - 1)) return lut;
  return { ...lut, first: lut.first + start, data: data.slice(start, end + 1) };
}

/** A grey transfer function through every LUT entry, output scaled from the LUT's bits to 0..1. */
export function voiLutTransferFunction(lut: LookupTable, invert: boolean): vtkColorTransferFunction {
  const transfer = vtkColorTransferFunction.newInstance();
  const top = 2 ** lut.bits - 1;
  lut.data.forEach((output, k) => {
    const level = Math.min(1, Math.max(0, output / top));
    const grey = invert ? 1 - level : level;
    transfer.addRGBPoint(lut.first + k, grey, grey, grey);
  });
  return transfer;
}
