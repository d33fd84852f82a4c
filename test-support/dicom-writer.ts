/**
 * Writes tiny Part 10 DICOM files (explicit VR little endian) for tests that need exact bytes:
 * character sets, missing elements, odd values. Values are given as bytes or as latin1/ASCII text.
 */
import * as dicomParser from 'dicom-parser';

export interface ElementSpec {
  /** 'GGGGEEEE' in hex. */
  readonly tag: string;
  readonly vr: string;
  readonly value: string | Uint8Array;
}

/** VRs whose explicit-VR header has a 2-byte reserved field and a 4-byte length. */
const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OW', 'SQ', 'UC', 'UN', 'UR', 'UT']);
const EXPLICIT_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';

/** One element, explicit VR little endian, its value padded to even length. */
export function elementBytes({ tag, vr, value }: ElementSpec): Buffer {
  let body = typeof value === 'string' ? Buffer.from(value, 'latin1') : Buffer.from(value);
  // Values have even length: UIDs pad with NUL, OB/OW with zero, text with a space.
  if (body.length % 2 === 1)
    body = Buffer.concat([body, Buffer.from([vr === 'UI' || vr.startsWith('O') ? 0 : 0x20])]);
  const group = Number.parseInt(tag.slice(0, 4), 16);
  const element = Number.parseInt(tag.slice(4), 16);
  const long = LONG_VRS.has(vr);
  const header = Buffer.alloc(long ? 12 : 8);
  header.writeUInt16LE(group, 0);
  header.writeUInt16LE(element, 2);
  header.write(vr, 4, 'latin1');
  if (long) header.writeUInt32LE(body.length, 8);
  else header.writeUInt16LE(body.length, 6);
  return Buffer.concat([header, body]);
}

/** A complete file: preamble, file meta group, then the data set elements in the order given. */
export function writeDicom(
  elements: readonly ElementSpec[],
  sopClassUid = '1.2.840.10008.5.1.4.1.1.7',
): Buffer {
  const sopInstance = elements.find((e) => e.tag === '00080018')?.value ?? '1.2.3';
  const meta = [
    { tag: '00020002', vr: 'UI', value: sopClassUid },
    { tag: '00020003', vr: 'UI', value: sopInstance },
    { tag: '00020010', vr: 'UI', value: EXPLICIT_LITTLE_ENDIAN },
  ].map(elementBytes);
  const metaLength = meta.reduce((sum, bytes) => sum + bytes.length, 0);
  const groupLength = elementBytes({ tag: '00020000', vr: 'UL', value: new Uint8Array(4) });
  groupLength.writeUInt32LE(metaLength, 8);
  const sorted = [...elements].sort((a, b) => a.tag.localeCompare(b.tag));
  return Buffer.concat([
    Buffer.alloc(128),
    Buffer.from('DICM', 'latin1'),
    groupLength,
    ...meta,
    ...sorted.map(elementBytes),
  ]);
}

/** Unsigned 16-bit values as little-endian bytes (a US or OW value). */
export function usBytes(...values: number[]): Uint8Array {
  const bytes = Buffer.alloc(values.length * 2);
  values.forEach((value, i) => bytes.writeUInt16LE(value, i * 2));
  return bytes;
}

/**
 * PALETTE COLOR with three 256-entry tables of 16-bit entries (first index 0): the photometric
 * element, the descriptors and the table data.
 */
export function paletteColourElements(
  red: readonly number[],
  green: readonly number[],
  blue: readonly number[],
): ElementSpec[] {
  const descriptor = usBytes(256, 0, 16);
  return [
    { tag: '00280004', vr: 'CS', value: 'PALETTE COLOR' },
    { tag: '00281101', vr: 'US', value: descriptor },
    { tag: '00281102', vr: 'US', value: descriptor },
    { tag: '00281103', vr: 'US', value: descriptor },
    { tag: '00281201', vr: 'OW', value: usBytes(...red) },
    { tag: '00281202', vr: 'OW', value: usBytes(...green) },
    { tag: '00281203', vr: 'OW', value: usBytes(...blue) },
  ];
}

/** The elements every instance needs, with 2x2 16-bit pixels; override or add with `extra`. */
export function minimalImage(uid: string, extra: readonly ElementSpec[] = []): Buffer {
  const base: ElementSpec[] = [
    { tag: '00080016', vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.7' },
    { tag: '00080018', vr: 'UI', value: `${uid}.3` },
    { tag: '00080060', vr: 'CS', value: 'OT' },
    { tag: '0020000D', vr: 'UI', value: `${uid}.1` },
    { tag: '0020000E', vr: 'UI', value: `${uid}.2` },
    { tag: '00280002', vr: 'US', value: usBytes(1) },
    { tag: '00280004', vr: 'CS', value: 'MONOCHROME2' },
    { tag: '00280010', vr: 'US', value: usBytes(2) },
    { tag: '00280011', vr: 'US', value: usBytes(2) },
    { tag: '00280100', vr: 'US', value: usBytes(16) },
    { tag: '00280101', vr: 'US', value: usBytes(16) },
    { tag: '00280103', vr: 'US', value: usBytes(0) },
    { tag: '7FE00010', vr: 'OW', value: new Uint8Array(8) },
  ];
  const overridden = new Set(extra.map((e) => e.tag.toUpperCase()));
  return writeDicom([...base.filter((e) => !overridden.has(e.tag.toUpperCase())), ...extra]);
}

/**
 * A copy of a Part 10 file whose data set is explicit VR little endian, with elements added where
 * their tags sort: for real files that lack what the library needs (the HTJ2K samples have no
 * study or series UIDs).
 */
export function withElements(file: Uint8Array, added: readonly ElementSpec[]): Buffer {
  const dataSet = dicomParser.parseDicom(file);
  const starts = Object.values(dataSet.elements)
    .filter((e) => !e.tag.startsWith('x0002'))
    .map((e) => ({
      tag: e.tag.slice(1).toUpperCase(),
      start: e.dataOffset - (LONG_VRS.has(e.vr ?? '') ? 12 : 8),
    }))
    .sort((a, b) => a.start - b.start);
  const end = { tag: 'FFFFFFFF', start: file.length };
  // Each new element goes before the first element of a higher tag; splice from the end backwards.
  const placed = added
    .map((spec) => ({ spec, at: (starts.find((e) => e.tag > spec.tag.toUpperCase()) ?? end).start }))
    .sort((a, b) => b.at - a.at);
  let bytes = Buffer.from(file);
  for (const { spec, at } of placed)
    bytes = Buffer.concat([bytes.subarray(0, at), elementBytes(spec), bytes.subarray(at)]);
  return bytes;
}
