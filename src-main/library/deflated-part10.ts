/**
 * A deflated DICOM file (transfer syntax 1.2.840.10008.1.2.1.99) rewritten as the same data set in
 * explicit VR little endian: the file meta group kept, its Transfer Syntax UID and group length
 * changed, the rest inflated. Readers that cannot inflate (Cornerstone's image loader, the pixel
 * reader for analysis) then see an ordinary file.
 */
import { inflateDataSet } from './dicom-header';
import { DEFLATED_TRANSFER_SYNTAX, EXPLICIT_LITTLE_ENDIAN } from './dicom-tags';

const PREAMBLE_AND_PREFIX = 132;
/** Explicit VR value representations whose length field takes 4 bytes after 2 reserved ones. */
const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);

export class DeflatedFileError extends Error {}

interface MetaLayout {
  /** Where the data set after the meta group starts. */
  readonly end: number;
  /** The Transfer Syntax UID element's value: offset and length. */
  readonly syntax: { readonly offset: number; readonly length: number };
  /** Offset of the value of (0002,0000) File Meta Information Group Length, if present. */
  readonly groupLengthOffset: number | null;
}

function readMeta(bytes: Uint8Array): MetaLayout {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const prefix = String.fromCharCode(...bytes.subarray(128, PREAMBLE_AND_PREFIX));
  if (bytes.length < PREAMBLE_AND_PREFIX || prefix !== 'DICM') {
    throw new DeflatedFileError('no DICM prefix: a deflated data set needs a file meta group');
  }
  let position = PREAMBLE_AND_PREFIX;
  let syntax: MetaLayout['syntax'] | null = null;
  let groupLengthOffset: number | null = null;
  while (position + 8 <= bytes.length && view.getUint16(position, true) === 0x0002) {
    const element = view.getUint16(position + 2, true);
    const vr = String.fromCharCode(bytes[position + 4]!, bytes[position + 5]!);
    const long = LONG_VRS.has(vr);
    const length = long ? view.getUint32(position + 8, true) : view.getUint16(position + 6, true);
    const valueOffset = position + (long ? 12 : 8);
    if (valueOffset + length > bytes.length) throw new DeflatedFileError('the file meta group is truncated');
    if (element === 0x0000) groupLengthOffset = valueOffset;
    if (element === 0x0010) syntax = { offset: valueOffset, length };
    position = valueOffset + length;
  }
  if (!syntax) throw new DeflatedFileError('the file meta group names no transfer syntax');
  return { end: position, syntax, groupLengthOffset };
}

/** The file as explicit VR little endian; throws DeflatedFileError when it is not a readable deflated file. */
export function inflatePart10(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const meta = readMeta(bytes);
  const current = String.fromCharCode(
    ...bytes.subarray(meta.syntax.offset, meta.syntax.offset + meta.syntax.length),
  );
  if (current.replace(/[\0 ]+$/, '') !== DEFLATED_TRANSFER_SYNTAX) {
    throw new DeflatedFileError(`not a deflated file (${current})`);
  }
  // 19 characters: UI values are padded with a NUL to an even length.
  const uid = `${EXPLICIT_LITTLE_ENDIAN}\0`;
  const shift = uid.length - meta.syntax.length;
  let inflated: Uint8Array;
  try {
    inflated = inflateDataSet(bytes, meta.end);
  } catch (error) {
    throw new DeflatedFileError(`the deflated data set cannot be inflated: ${(error as Error).message}`);
  }
  const out = new Uint8Array(inflated.length + shift);
  out.set(inflated.subarray(0, meta.syntax.offset - 2), 0);
  const view = new DataView(out.buffer);
  view.setUint16(meta.syntax.offset - 2, uid.length, true);
  for (let i = 0; i < uid.length; i++) out[meta.syntax.offset + i] = uid.charCodeAt(i);
  out.set(inflated.subarray(meta.syntax.offset + meta.syntax.length), meta.syntax.offset + uid.length);
  if (meta.groupLengthOffset !== null) {
    view.setUint32(meta.groupLengthOffset, view.getUint32(meta.groupLengthOffset, true) + shift, true);
  }
  return out;
}
