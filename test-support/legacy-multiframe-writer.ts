/**
 * Makes a legacy (non-enhanced) multi-frame image from real uncompressed single-frame slices: one
 * frame per slice, no functional groups, the frames placed by the classic attributes as scanners
 * and planning systems write them. `layout` picks how: the first frame's Image Position and
 * Spacing Between Slices (CT, MR), a Grid Frame Offset Vector (RT dose style), or an NM
 * Detector Information Sequence and Slice Vector. Options write what makes the frames not one
 * volume (a cine Frame Increment Pointer, several energy windows), to test the refusals.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import { writeDicom, type ElementSpec } from './dicom-writer';
import { parseFile } from './dicom-reference';
import { derivedIdentity, sequence } from './enhanced-ct-writer';

const LEGACY_CLASSES = {
  CT: '1.2.840.10008.5.1.4.1.1.2',
  MR: '1.2.840.10008.5.1.4.1.1.4',
  NM: '1.2.840.10008.5.1.4.1.1.20',
} as const;

export interface LegacyWriteOptions {
  readonly modality: keyof typeof LEGACY_CLASSES;
  /**
   * 'spacing': frames in the order given, each Spacing Between Slices further along the normal
   * (the slices must be so); 'grid': Grid Frame Offset Vector, each frame's distance along the
   * normal from the first; 'nm': Slice Vector, each frame's slice number (1 = the lowest slice
   * along the normal), spacing from Spacing Between Slices.
   */
  readonly layout: 'spacing' | 'grid' | 'nm';
  /** Frame Increment Pointer to Frame Time, with a Frame Time: a cine run. */
  readonly cine?: boolean;
  /** NM: the Energy Window Vector, one value per frame (with the pointer naming it). */
  readonly energyWindows?: readonly number[];
  /** Leave out Spacing Between Slices and Slice Thickness. */
  readonly noSpacing?: boolean;
}

const text = (tag: string, vr: string, value: string): ElementSpec => ({ tag, vr, value });
const unsigned = (tag: string, values: readonly number[]): ElementSpec => ({
  tag,
  vr: 'US',
  value: new Uint8Array(new Uint16Array(values).buffer),
});
/** Attribute tags ('GGGGEEEE') as an AT value. */
const attributeTags = (tag: string, tags: readonly string[]): ElementSpec => ({
  tag,
  vr: 'AT',
  value: new Uint8Array(
    new Uint16Array(
      tags.flatMap((t) => [Number.parseInt(t.slice(0, 4), 16), Number.parseInt(t.slice(4), 16)]),
    ).buffer,
  ),
});

const numbersOf = (value: string | undefined): number[] => (value ?? '').split('\\').map(Number);
const ds = (value: number): string => String(Number(value.toFixed(6)));

/**
 * Writes the slices as frames of one file (frame f = slicePaths[f]); `uid` (digits and dots)
 * prefixes its new SOP instance and series UIDs. Positions come from the slices' own headers.
 */
export function writeLegacyMultiframe(
  slicePaths: readonly string[],
  outPath: string,
  uid: string,
  options: LegacyWriteOptions,
): void {
  const slices = slicePaths.map((path) => ({ path, dataSet: parseFile(path) }));
  const first = slices[0]!.dataSet;
  const value = (tag: string): string => (first.string(tag) ?? '').trim();
  const orientation = numbersOf(value('x00200037'));
  const normal = [
    orientation[1]! * orientation[5]! - orientation[2]! * orientation[4]!,
    orientation[2]! * orientation[3]! - orientation[0]! * orientation[5]!,
    orientation[0]! * orientation[4]! - orientation[1]! * orientation[3]!,
  ];
  const along = slices.map(({ dataSet }) =>
    numbersOf(dataSet.string('x00200032')).reduce((sum, p, axis) => sum + p * normal[axis]!, 0),
  );
  const lowest = along.indexOf(Math.min(...along));
  const sorted = [...along].sort((a, b) => a - b);
  const spacing = (sorted[sorted.length - 1]! - sorted[0]!) / (sorted.length - 1);
  const pixels = slices.map(({ path, dataSet }) => {
    const element = dataSet.elements['x7fe00010'];
    if (!element) throw new Error(`${path} has no pixel data`);
    return readFileSync(path).subarray(element.dataOffset, element.dataOffset + element.length);
  });
  const { modality, layout } = options;
  // NM places its plane at the lowest slice (slice number 1); the others at the first frame.
  const origin = (layout === 'nm' ? slices[lowest]! : slices[0]!).dataSet.string('x00200032')!.trim();
  const plane = [text('00200032', 'DS', origin), text('00200037', 'DS', value('x00200037'))];
  const increments: string[] = [];
  const placement: ElementSpec[] = [];
  if (layout === 'grid') {
    increments.push('3004000C');
    placement.push(text('3004000C', 'DS', along.map((a) => ds(a - along[0]!)).join('\\')), ...plane);
  } else if (layout === 'nm') {
    increments.push('00540080');
    placement.push(
      sequence('00540022', [plane]),
      unsigned(
        '00540080',
        along.map((a) => sorted.indexOf(a) + 1),
      ),
      unsigned('00540081', [slices.length]),
    );
  } else placement.push(...plane);
  if (options.energyWindows) {
    increments.push('00540010');
    placement.push(unsigned('00540010', options.energyWindows));
  }
  if (options.cine) {
    increments.push('00181063');
    placement.push(text('00181063', 'DS', '33.3'));
  }
  if (increments.length > 0) placement.push(attributeTags('00280009', increments));
  if (!options.noSpacing)
    placement.push(
      text('00180050', 'DS', value('x00180050') || ds(spacing)),
      text('00180088', 'DS', ds(spacing)),
    );
  const elements: ElementSpec[] = [
    ...derivedIdentity(value, LEGACY_CLASSES[modality], uid, modality, `Legacy multi-frame ${modality}`),
    unsigned('00280002', [1]),
    text('00280004', 'CS', 'MONOCHROME2'),
    text('00280008', 'IS', String(slices.length)),
    unsigned('00280010', [first.uint16('x00280010') ?? 0]),
    unsigned('00280011', [first.uint16('x00280011') ?? 0]),
    text('00280030', 'DS', value('x00280030')),
    unsigned('00280100', [first.uint16('x00280100') ?? 16]),
    unsigned('00280101', [first.uint16('x00280101') ?? 16]),
    unsigned('00280102', [first.uint16('x00280102') ?? 15]),
    unsigned('00280103', [first.uint16('x00280103') ?? 0]),
    text('00281050', 'DS', value('x00281050').split('\\')[0] || '40'),
    text('00281051', 'DS', value('x00281051').split('\\')[0] || '400'),
    text('00281052', 'DS', value('x00281052') || '0'),
    text('00281053', 'DS', value('x00281053') || '1'),
    ...placement,
    { tag: '7FE00010', vr: 'OW', value: Buffer.concat(pixels) },
  ];
  writeFileSync(outPath, writeDicom(elements, LEGACY_CLASSES[modality]));
}

const DEFLATED = '1.2.840.10008.1.2.1.99';

/**
 * A copy of an explicit VR little endian Part 10 file in the deflated transfer syntax: the file
 * meta group kept (its Transfer Syntax UID and group length changed), the data set after it raw
 * deflated, as PS3.5 A.5 writes it.
 */
export function deflatedCopy(file: Uint8Array): Buffer {
  const bytes = Buffer.from(file);
  // Preamble, DICM, then (0002,0000) UL whose value is the length of the rest of the meta group.
  const metaEnd = 144 + bytes.readUInt32LE(140);
  const meta: Buffer[] = [];
  for (let at = 144; at < metaEnd;) {
    const element = bytes.readUInt16LE(at + 2);
    const vr = bytes.toString('latin1', at + 4, at + 6);
    const long = ['OB', 'UN', 'SQ', 'UT'].includes(vr);
    const length = long ? bytes.readUInt32LE(at + 8) : bytes.readUInt16LE(at + 6);
    const header = long ? 12 : 8;
    if (element === 0x0010) {
      const uidElement = Buffer.from(bytes.subarray(at, at + 8));
      uidElement.writeUInt16LE(DEFLATED.length, 6);
      meta.push(uidElement, Buffer.from(DEFLATED, 'latin1'));
    } else meta.push(bytes.subarray(at, at + header + length));
    at += header + length;
  }
  const metaBody = Buffer.concat(meta);
  const groupLength = Buffer.from(bytes.subarray(132, 144));
  groupLength.writeUInt32LE(metaBody.length, 8);
  return Buffer.concat([
    bytes.subarray(0, 132),
    groupLength,
    metaBody,
    deflateRawSync(bytes.subarray(metaEnd)),
  ]);
}
