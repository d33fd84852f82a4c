/**
 * Reference values computed straight from a file, independently of Cornerstone: the SOP Instance
 * UID (deflated files included) and, for uncompressed or deflated little-endian greyscale frames and
 * JPEG lossless ones (decoded by the decoder the viewer no longer uses), the modality values (stored
 * value x slope + intercept) the viewer must reproduce.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { Decoder as ReferenceDecoder } from '@cornerstonejs/jpeg-lossless-decoder-js';
import * as dicomParser from 'dicom-parser';

/** Little-endian syntaxes whose pixel data is plain once the data set is read (deflated: inflated first). */
const UNCOMPRESSED_LE = new Set(['1.2.840.10008.1.2', '1.2.840.10008.1.2.1', '1.2.840.10008.1.2.1.99']);

function inflate(bytes: Uint8Array, position: number): Uint8Array {
  const inflated = inflateRawSync(bytes.subarray(position));
  const whole = new Uint8Array(position + inflated.length);
  whole.set(bytes.subarray(0, position));
  whole.set(inflated, position);
  return whole;
}

export function parseFile(path: string): dicomParser.DataSet {
  const bytes = new Uint8Array(readFileSync(path));
  return dicomParser.parseDicom(bytes, { inflater: inflate } as dicomParser.ParseDicomOptions);
}

/** The file's SOP Instance UID; null where the file lacks one (the library then makes one up). */
export function sopInstanceUid(path: string): string | null {
  return parseFile(path).string('x00080018') || null;
}

/** Modality values of a frame (0-based) of an uncompressed (or deflated) little-endian greyscale file. */
export function referenceModalityValues(path: string, frame = 0): Float64Array {
  const dataSet = parseFile(path);
  const syntax = dataSet.string('x00020010') ?? '1.2.840.10008.1.2';
  if (!UNCOMPRESSED_LE.has(syntax)) throw new Error(`${path}: ${syntax} is not uncompressed little endian`);
  const rows = dataSet.uint16('x00280010') ?? 0;
  const columns = dataSet.uint16('x00280011') ?? 0;
  const bitsAllocated = dataSet.uint16('x00280100') ?? 16;
  const element = dataSet.elements['x7fe00010'];
  if (!element) throw new Error(`${path} has no pixel data`);
  const frameBytes = rows * columns * (bitsAllocated === 8 ? 1 : 2);
  const view = new DataView(
    dataSet.byteArray.buffer,
    dataSet.byteArray.byteOffset + element.dataOffset + frame * frameBytes,
    frameBytes,
  );
  return modalityValues(dataSet, view, rows * columns);
}

/** Modality values of a single-frame JPEG lossless greyscale file, decoded by jpeg-lossless-decoder-js. */
export function referenceJpegLosslessValues(path: string): Float64Array {
  const dataSet = parseFile(path);
  const element = dataSet.elements['x7fe00010'];
  if (!element?.fragments) throw new Error(`${path} has no encapsulated pixel data`);
  const frame = dicomParser.readEncapsulatedPixelDataFromFragments(
    dataSet,
    element,
    0,
    element.fragments.length,
  );
  const bytesPerSample = (dataSet.uint16('x00280100') ?? 16) === 8 ? 1 : 2;
  const samples = referenceJpegLosslessSamples(frame, bytesPerSample);
  const view = new DataView(samples.buffer, samples.byteOffset, samples.byteLength);
  return modalityValues(dataSet, view, samples.byteLength / bytesPerSample);
}

/** A JPEG lossless frame decoded by jpeg-lossless-decoder-js: its samples' bytes, little endian. */
export function referenceJpegLosslessSamples(frame: Uint8Array, bytesPerSample: 1 | 2): Uint8Array {
  // The decoder reads from a buffer of its own.
  const copy = frame.slice();
  const samples = new ReferenceDecoder().decode(copy.buffer, 0, copy.length, bytesPerSample);
  return new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
}

/** Stored little-endian samples to modality values (stored value x slope + intercept). */
function modalityValues(dataSet: dicomParser.DataSet, view: DataView, count: number): Float64Array {
  const bitsAllocated = dataSet.uint16('x00280100') ?? 16;
  const bitsStored = dataSet.uint16('x00280101') ?? bitsAllocated;
  const signed = dataSet.uint16('x00280103') === 1;
  const slope = Number(dataSet.string('x00281053') ?? '1') || 1;
  const intercept = Number(dataSet.string('x00281052') ?? '0') || 0;
  const values = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    let stored = bitsAllocated === 8 ? view.getUint8(i) : view.getUint16(i * 2, true);
    // Bits above Bits Stored are not part of the value; the sign bit is the highest stored bit.
    stored &= 2 ** bitsStored - 1;
    if (signed && stored >= 2 ** (bitsStored - 1)) stored -= 2 ** bitsStored;
    values[i] = stored * slope + intercept;
  }
  return values;
}

/**
 * Copies a file with new text values written over old ones (each padded with spaces to the old
 * length, which it must not exceed), the file otherwise byte for byte the same.
 */
export function writeWithValues(
  path: string,
  outPath: string,
  values: Readonly<Record<string, string>>,
): void {
  const dataSet = parseFile(path);
  const bytes = new Uint8Array(readFileSync(path));
  for (const [tag, text] of Object.entries(values)) {
    const element = dataSet.elements[tag];
    if (!element || text.length > element.length)
      throw new Error(`${path}: cannot rewrite ${tag} as ${text}`);
    bytes.set(Buffer.from(text.padEnd(element.length, ' '), 'latin1'), element.dataOffset);
  }
  writeFileSync(outPath, bytes);
}

/**
 * A copy of a single-frame JPEG image whose codestream is zeros after its start marker: the library
 * indexes it (the header is intact), the decoder refuses it.
 */
export function writeUndecodable(path: string, outPath: string): void {
  const bytes = new Uint8Array(readFileSync(path));
  const pixelData = parseFile(path).elements['x7fe00010']!;
  const fragment = pixelData.fragments![0]!;
  bytes.fill(0, fragment.position + 2, fragment.position + fragment.length);
  writeFileSync(outPath, bytes);
}

/** A copy with new Rescale Slope and Intercept strings: a real image with a non-integer modality LUT. */
export function writeWithRescale(path: string, outPath: string, slope: string, intercept: string): void {
  writeWithValues(path, outPath, { x00281053: slope, x00281052: intercept });
}

/** A LUT from the first item of a Modality (0028,3000) or VOI (0028,3010) LUT Sequence. */
export interface ReferenceLut {
  readonly first: number;
  readonly bits: number;
  readonly data: readonly number[];
}

export function referenceLut(path: string, sequenceTag: 'x00283000' | 'x00283010'): ReferenceLut {
  const dataSet = parseFile(path);
  const item = dataSet.elements[sequenceTag]?.items?.[0]?.dataSet;
  if (!item) throw new Error(`${path} has no ${sequenceTag}`);
  const count = item.uint16('x00283002', 0) || 65536;
  const signedInput = dataSet.uint16('x00280103') === 1;
  const first = signedInput ? item.int16('x00283002', 1)! : item.uint16('x00283002', 1)!;
  const bits = item.uint16('x00283002', 2)!;
  const element = item.elements['x00283006']!;
  const view = new DataView(item.byteArray.buffer, item.byteArray.byteOffset + element.dataOffset);
  const data = Array.from({ length: count }, (_, k) => view.getUint16(k * 2, true));
  return { first, bits, data };
}

/** The LUT's output for an input value, inputs outside its range clamped to the ends. */
export function lookUpReference(lut: Pick<ReferenceLut, 'first' | 'data'>, value: number): number {
  return lut.data[Math.min(lut.data.length - 1, Math.max(0, value - lut.first))]!;
}

/** Copies a file with the entries of its first VOI LUT Sequence item rewritten by `entry` (same count and bits). */
export function writeWithVoiLut(
  path: string,
  outPath: string,
  entry: (k: number, count: number) => number,
): void {
  const dataSet = parseFile(path);
  const item = dataSet.elements['x00283010']?.items?.[0]?.dataSet;
  if (!item) throw new Error(`${path} has no VOI LUT Sequence`);
  const element = item.elements['x00283006']!;
  const count = element.length / 2;
  const bytes = Buffer.from(readFileSync(path));
  // Offsets of an item's elements count from the start of the file for an unencapsulated data set.
  for (let k = 0; k < count; k++) bytes.writeUInt16LE(entry(k, count), element.dataOffset + k * 2);
  writeFileSync(outPath, bytes);
}
