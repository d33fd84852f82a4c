/**
 * Makes an enhanced multi-frame CT (Enhanced CT Image Storage, explicit VR little endian; or Enhanced
 * MR) from real uncompressed single-frame slices: one frame per slice, each frame's Image Position (Patient)
 * in the per-frame Plane Position Sequence, orientation, pixel spacing and rescale in the shared
 * functional groups (the rescale and window also at the top level, as some writers add them). The
 * pixels are the slices' own bytes. Options move the rescale and the window into the per-frame
 * functional groups only, one value per frame, as scanners write them for frames that differ; and
 * give frames their own VOI LUT Sequence there (the Frame VOI LUT With LUT macro).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { elementBytes, writeDicom, type ElementSpec } from './dicom-writer';
import { parseFile } from './dicom-reference';

const ENHANCED_CLASSES = { CT: '1.2.840.10008.5.1.4.1.1.2.1', MR: '1.2.840.10008.5.1.4.1.1.4.1' } as const;

/** A sequence of items, each a list of elements, with defined lengths. */
export function sequence(tag: string, items: ReadonlyArray<readonly ElementSpec[]>): ElementSpec {
  const encoded = items.map((elements) => {
    const body = Buffer.concat(elements.map(elementBytes));
    const header = Buffer.alloc(8);
    header.writeUInt16LE(0xfffe, 0);
    header.writeUInt16LE(0xe000, 2);
    header.writeUInt32LE(body.length, 4);
    return Buffer.concat([header, body]);
  });
  return { tag, vr: 'SQ', value: Buffer.concat(encoded) };
}

const text = (tag: string, vr: string, value: string): ElementSpec => ({ tag, vr, value });
const words = (values: readonly number[], signed: boolean): Uint8Array => {
  const bytes = Buffer.alloc(values.length * 2);
  values.forEach((value, k) =>
    signed ? bytes.writeInt16LE(value, k * 2) : bytes.writeUInt16LE(value, k * 2),
  );
  return bytes;
};
const us = (tag: string, value: number): ElementSpec => ({ tag, vr: 'US', value: words([value], false) });

/**
 * A new series' identity in the source slices' patient, study and frame of reference (`value` reads
 * the first slice): SOP class, modality, description, and new series and instance UIDs under `uid`.
 */
export function derivedIdentity(
  value: (tag: string) => string,
  sopClassUid: string,
  uid: string,
  modality: string,
  kind: string,
): ElementSpec[] {
  return [
    text('00080016', 'UI', sopClassUid),
    text('00080018', 'UI', `${uid}.3`),
    text('00080060', 'CS', modality),
    text('0008103E', 'LO', `${kind} (synthetic, from real slices)`),
    text('00100010', 'PN', value('x00100010')),
    text('00100020', 'LO', value('x00100020')),
    text('0020000D', 'UI', value('x0020000d')),
    text('0020000E', 'UI', `${uid}.2`),
    text('00200013', 'IS', '1'),
    text('00200052', 'UI', value('x00200052')),
  ];
}

/** Decimal strings as DICOM's DS holds them. */
export interface FrameRescale {
  readonly slope: string;
  readonly intercept: string;
}
export interface FrameWindow {
  readonly center: string;
  readonly width: string;
}

/** A VOI LUT of 16-bit entries; `first` is the input value of entry 0 (signed, as CT's HU are). */
export interface FrameVoiLut {
  readonly first: number;
  readonly data: readonly number[];
  readonly explanation: string;
  /** LUT Data's value representation: a list of US values, or OW bytes (both are allowed). */
  readonly dataVr: 'US' | 'OW';
  /** LUT Descriptor's: SS, or US (allowed too; `first` is then written as its 16 bits all the same). */
  readonly descriptorVr: 'US' | 'SS';
}

export interface EnhancedWriteOptions {
  /** Enhanced CT (the default) or, for MR slices, Enhanced MR. */
  readonly modality?: keyof typeof ENHANCED_CLASSES;
  /** One per frame: the Pixel Value Transformation, then only in the per-frame functional groups. */
  readonly rescale?: readonly FrameRescale[];
  /** One per frame: the Frame VOI LUT window, then only in the per-frame functional groups. */
  readonly window?: readonly FrameWindow[];
  /** One per frame (null for none): a VOI LUT Sequence in the frame's Frame VOI LUT item. */
  readonly voiLut?: readonly (FrameVoiLut | null)[];
  /** MONOCHROME2 (the default) or MONOCHROME1: the same values, the lowest drawn white. */
  readonly photometric?: 'MONOCHROME1' | 'MONOCHROME2';
}

const rescaleElements = ({ slope, intercept }: FrameRescale): ElementSpec[] => [
  text('00281052', 'DS', intercept),
  text('00281053', 'DS', slope),
];
const windowElements = ({ center, width }: FrameWindow): ElementSpec[] => [
  text('00281050', 'DS', center),
  text('00281051', 'DS', width),
];

const voiLutSequence = ({ first, data, explanation, dataVr, descriptorVr }: FrameVoiLut): ElementSpec =>
  sequence('00283010', [
    [
      { tag: '00283002', vr: descriptorVr, value: words([data.length, first, 16], true) },
      text('00283003', 'LO', explanation),
      { tag: '00283006', vr: dataVr, value: words(data, false) },
    ],
  ]);

/** A frame's Frame VOI LUT item: its window, its VOI LUT, both or neither. */
function frameVoiLut(window: FrameWindow | undefined, lut: FrameVoiLut | null | undefined): ElementSpec[] {
  const elements = [...(window ? windowElements(window) : []), ...(lut ? [voiLutSequence(lut)] : [])];
  return elements.length > 0 ? [sequence('00289132', [elements])] : [];
}

/**
 * Writes the slices (in the order given: that is the frame order) as one file; `uid` (digits and
 * dots) prefixes its new SOP instance and series UIDs.
 */
export function writeEnhancedCt(
  slicePaths: readonly string[],
  outPath: string,
  uid: string,
  options: EnhancedWriteOptions = {},
): void {
  const slices = slicePaths.map((path) => ({ path, dataSet: parseFile(path) }));
  const first = slices[0]!.dataSet;
  const value = (tag: string): string => (first.string(tag) ?? '').trim();
  const pixels = slices.map(({ path, dataSet }) => {
    const element = dataSet.elements['x7fe00010'];
    if (!element) throw new Error(`${path} has no pixel data`);
    return readFileSync(path).subarray(element.dataOffset, element.dataOffset + element.length);
  });
  const rescale = rescaleElements({
    slope: value('x00281053') || '1',
    intercept: value('x00281052') || '0',
  });
  const window = windowElements({
    center: value('x00281050').split('\\')[0] || '40',
    width: value('x00281051').split('\\')[0] || '400',
  });
  const {
    rescale: frameRescale,
    window: frameWindow,
    voiLut: frameLut,
    modality = 'CT',
    photometric = 'MONOCHROME2',
  } = options;
  if (frameRescale && frameRescale.length !== slices.length) throw new Error('one rescale per frame');
  if (frameWindow && frameWindow.length !== slices.length) throw new Error('one window per frame');
  if (frameLut && frameLut.length !== slices.length) throw new Error('one VOI LUT (or null) per frame');
  const elements: ElementSpec[] = [
    ...derivedIdentity(value, ENHANCED_CLASSES[modality], uid, modality, `Enhanced ${modality}`),
    us('00280002', 1),
    text('00280004', 'CS', photometric),
    text('00280008', 'IS', String(slices.length)),
    us('00280010', first.uint16('x00280010') ?? 0),
    us('00280011', first.uint16('x00280011') ?? 0),
    us('00280100', first.uint16('x00280100') ?? 16),
    us('00280101', first.uint16('x00280101') ?? 16),
    us('00280102', first.uint16('x00280102') ?? 15),
    us('00280103', first.uint16('x00280103') ?? 0),
    ...(frameWindow ? [] : window),
    ...(frameRescale ? [] : rescale),
    sequence('52009229', [
      [
        sequence('00209116', [[text('00200037', 'DS', value('x00200037'))]]),
        sequence('00289110', [
          [text('00180050', 'DS', value('x00180050')), text('00280030', 'DS', value('x00280030'))],
        ]),
        ...(frameRescale ? [] : [sequence('00289145', [[...rescale, text('00281054', 'LO', 'HU')]])]),
      ],
    ]),
    sequence(
      '52009230',
      slices.map(({ dataSet }, frame) => [
        sequence('00209113', [[text('00200032', 'DS', (dataSet.string('x00200032') ?? '').trim())]]),
        ...frameVoiLut(frameWindow?.[frame], frameLut?.[frame]),
        ...(frameRescale
          ? [sequence('00289145', [[...rescaleElements(frameRescale[frame]!), text('00281054', 'LO', 'HU')]])]
          : []),
      ]),
    ),
    { tag: '7FE00010', vr: 'OW', value: Buffer.concat(pixels) },
  ];
  writeFileSync(outPath, writeDicom(elements, ENHANCED_CLASSES[modality]));
}
