/**
 * Reference values computed straight from a file, independently of Cornerstone: the SOP Instance
 * UID (deflated files included) and, for uncompressed or deflated little-endian greyscale frames, the modality
 * values (stored value x slope + intercept) the viewer must reproduce.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
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

/** Modality values of frame 1 of an uncompressed (or deflated) little-endian greyscale file. */
export function referenceModalityValues(path: string): Float64Array {
  const dataSet = parseFile(path);
  const syntax = dataSet.string('x00020010') ?? '1.2.840.10008.1.2';
  if (!UNCOMPRESSED_LE.has(syntax)) throw new Error(`${path}: ${syntax} is not uncompressed little endian`);
  const rows = dataSet.uint16('x00280010') ?? 0;
  const columns = dataSet.uint16('x00280011') ?? 0;
  const bitsAllocated = dataSet.uint16('x00280100') ?? 16;
  const bitsStored = dataSet.uint16('x00280101') ?? bitsAllocated;
  const signed = dataSet.uint16('x00280103') === 1;
  const slope = Number(dataSet.string('x00281053') ?? '1') || 1;
  const intercept = Number(dataSet.string('x00281052') ?? '0') || 0;
  const element = dataSet.elements['x7fe00010'];
  if (!element) throw new Error(`${path} has no pixel data`);
  const view = new DataView(dataSet.byteArray.buffer, dataSet.byteArray.byteOffset + element.dataOffset);
  const count = rows * columns;
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
 * Copies a file with new Rescale Slope and Intercept strings written over the old ones (each padded
 * to the old length, which it must not exceed): a real image with a non-integer modality LUT.
 */
export function writeWithRescale(path: string, outPath: string, slope: string, intercept: string): void {
  const dataSet = parseFile(path);
  const bytes = new Uint8Array(readFileSync(path));
  for (const [tag, text] of [
    ['x00281053', slope],
    ['x00281052', intercept],
  ] as const) {
    const element = dataSet.elements[tag];
    if (!element || text.length > element.length)
      throw new Error(`${path}: cannot rewrite ${tag} as ${text}`);
    bytes.set(Buffer.from(text.padEnd(element.length, ' '), 'latin1'), element.dataOffset);
  }
  writeFileSync(outPath, bytes);
}
