/**
 * Reads a DICOM Segmentation object (PS3.3 A.51, C.8.20): its segments, and per frame the
 * segment it belongs to, the source image it was drawn on and its position, and the frame's mask.
 */
import { readFile } from 'node:fs/promises';
import { inflateRawSync, inflateSync } from 'node:zlib';
import dicomParser from 'dicom-parser';
import type { DataSet, Element } from 'dicom-parser';
import type { Vec3 } from '../../src-shared/geometry';
import { DEFLATED_TRANSFER_SYNTAX, NATIVE_TRANSFER_SYNTAXES, Tag } from '../library/dicom-tags';
import { firstItem, inflateDataSet, uidOf } from '../library/dicom-header';
import { dicomLabToRgb, type Rgb } from './cielab';
import { decodeRleFrame } from './rle';

export class SegReadError extends Error {}

const SegTag = {
  SegmentationType: 'x00620001', // BINARY, FRACTIONAL or LABELMAP
  SegmentSequence: 'x00620002',
  SegmentNumber: 'x00620004',
  SegmentLabel: 'x00620005',
  SegmentIdentificationSequence: 'x0062000a',
  ReferencedSegmentNumber: 'x0062000b',
  RecommendedDisplayCIELabValue: 'x0062000d',
  MaximumFractionalValue: 'x0062000e',
  DerivationImageSequence: 'x00089124',
  SourceImageSequence: 'x00082112',
  ReferencedSOPInstanceUID: 'x00081155',
  ReferencedFrameNumber: 'x00081160',
} as const;

const RLE_LOSSLESS = '1.2.840.10008.1.2.5';
/** Deflated Image Frame Compression: each frame's bytes deflated on their own (Sup 244). */
const DEFLATED_FRAMES = '1.2.840.10008.1.2.8.1';

export type SegmentationType = 'BINARY' | 'FRACTIONAL' | 'LABELMAP';

export interface SegSegment {
  readonly number: number;
  readonly label: string;
  /** From Recommended Display CIELab Value; null when the file gives none. */
  readonly color: Rgb | null;
}

export interface SegFrame {
  /** Referenced Segment Number (0062,000B); null for LABELMAP frames, whose values are segment numbers. */
  readonly segmentNumber: number | null;
  readonly referencedSopInstanceUid: string | null;
  /** 1-based, for multi-frame source images; null when not given. */
  readonly referencedFrame: number | null;
  readonly position: Vec3 | null;
}

export interface SegObject {
  readonly type: SegmentationType;
  readonly rows: number;
  readonly columns: number;
  readonly segments: readonly SegSegment[];
  readonly frames: readonly SegFrame[];
  /** Image Orientation (Patient) of the frames, when shared. */
  readonly orientation: readonly number[] | null;
  /** Frame `index` as one byte per pixel: 1 inside (0 outside), or the segment number for LABELMAP. */
  frameMask(index: number): Uint8Array;
}

export async function readSeg(path: string): Promise<SegObject> {
  const bytes = new Uint8Array(await readFile(path));
  let ds: DataSet;
  try {
    ds = dicomParser.parseDicom(bytes, { inflater: inflateDataSet });
  } catch (error) {
    throw new SegReadError(
      `the segmentation cannot be parsed: ${error instanceof Error ? error.message : error}`,
    );
  }
  return parseSeg(ds);
}

function numbers(ds: DataSet, tag: string): number[] | null {
  const text = ds.string(tag);
  if (!text) return null;
  const values = text.split('\\').map(Number);
  return values.every(Number.isFinite) ? values : null;
}

function parseSegments(ds: DataSet): SegSegment[] {
  return (ds.elements[SegTag.SegmentSequence]?.items ?? []).map((item) => {
    const s = item.dataSet!;
    const lab = [0, 1, 2].map((i) => s.uint16(SegTag.RecommendedDisplayCIELabValue, i));
    const number = s.uint16(SegTag.SegmentNumber);
    if (number === undefined) throw new SegReadError('a segment has no Segment Number');
    return {
      number,
      label: (s.string(SegTag.SegmentLabel) ?? '').trim() || `Segment ${number}`,
      color: lab.every((v) => v !== undefined) ? dicomLabToRgb(lab as [number, number, number]) : null,
    };
  });
}

function parseFrame(item: DataSet | undefined, shared: DataSet | undefined): SegFrame {
  const group = (tag: string): DataSet | undefined =>
    (item && firstItem(item, tag)) ?? (shared && firstItem(shared, tag));
  const source = group(SegTag.DerivationImageSequence);
  const image = source && firstItem(source, SegTag.SourceImageSequence);
  const position = group(Tag.PlanePositionSequence);
  const xyz = position ? numbers(position, Tag.ImagePositionPatient) : null;
  return {
    segmentNumber:
      group(SegTag.SegmentIdentificationSequence)?.uint16(SegTag.ReferencedSegmentNumber) ?? null,
    referencedSopInstanceUid: (image && uidOf(image, SegTag.ReferencedSOPInstanceUID)) || null,
    referencedFrame: image?.intString(SegTag.ReferencedFrameNumber) ?? null,
    position: xyz && xyz.length === 3 ? (xyz as unknown as Vec3) : null,
  };
}

export function parseSeg(ds: DataSet): SegObject {
  const type = (ds.string(SegTag.SegmentationType) ?? '').trim();
  if (type !== 'BINARY' && type !== 'FRACTIONAL' && type !== 'LABELMAP') {
    throw new SegReadError(`unknown Segmentation Type "${type}"`);
  }
  const rows = ds.uint16(Tag.Rows) ?? 0;
  const columns = ds.uint16(Tag.Columns) ?? 0;
  const frameCount = ds.intString(Tag.NumberOfFrames) ?? 1;
  const bits = ds.uint16(Tag.BitsAllocated) ?? 0;
  if (rows === 0 || columns === 0) throw new SegReadError('the segmentation has no rows or columns');
  if ((type === 'BINARY') !== (bits === 1) || (bits !== 1 && bits !== 8)) {
    throw new SegReadError(`${type} segmentation with ${bits} bits allocated`);
  }
  const shared = firstItem(ds, Tag.SharedFunctionalGroupsSequence);
  const perFrame = ds.elements[Tag.PerFrameFunctionalGroupsSequence]?.items ?? [];
  const frames = Array.from({ length: frameCount }, (_, k) => parseFrame(perFrame[k]?.dataSet, shared));
  const orientationGroup =
    (shared && firstItem(shared, Tag.PlaneOrientationSequence)) ??
    (perFrame[0]?.dataSet && firstItem(perFrame[0].dataSet, Tag.PlaneOrientationSequence));
  const orientation = orientationGroup ? numbers(orientationGroup, Tag.ImageOrientationPatient) : null;
  const pixels = ds.elements[Tag.PixelData];
  if (!pixels) throw new SegReadError('the segmentation has no pixel data');
  const maxFraction = ds.uint16(SegTag.MaximumFractionalValue) ?? 255;
  const frameBytes = frameReader(ds, pixels, frameCount, rows * columns, bits);
  const pixelCount = rows * columns;

  const frameMask = (index: number): Uint8Array => {
    const { data, bitOffset } = frameBytes(index);
    const mask = new Uint8Array(pixelCount);
    if (bits === 1) {
      for (let p = 0; p < pixelCount; p++) {
        const bit = bitOffset + p;
        // Bit-packed, least significant bit first (PS3.5 8.1.1); frames follow each other without padding.
        mask[p] = ((data[bit >> 3] ?? 0) >> (bit & 7)) & 1;
      }
    } else if (type === 'FRACTIONAL') {
      // Shown as a binary mask: a pixel is in the segment from half the Maximum Fractional Value up.
      for (let p = 0; p < pixelCount; p++) mask[p] = (data[p] ?? 0) * 2 >= maxFraction ? 1 : 0;
    } else {
      mask.set(data.subarray(0, pixelCount));
    }
    return mask;
  };
  return { type, rows, columns, segments: parseSegments(ds), frames, orientation, frameMask };
}

/** A function giving frame k's bytes, with the bit where it starts (native bit-packed frames run on). */
function frameReader(
  ds: DataSet,
  pixels: Element,
  frameCount: number,
  pixelCount: number,
  bits: number,
): (index: number) => { data: Uint8Array; bitOffset: number } {
  const syntax = uidOf(ds, Tag.TransferSyntaxUID) || '1.2.840.10008.1.2';
  const frameLength = bits === 1 ? Math.ceil(pixelCount / 8) : pixelCount;
  if (NATIVE_TRANSFER_SYNTAXES.has(syntax) || syntax === DEFLATED_TRANSFER_SYNTAX) {
    const all = ds.byteArray.subarray(pixels.dataOffset, pixels.dataOffset + pixels.length);
    const needed = bits === 1 ? Math.ceil((pixelCount * frameCount) / 8) : pixelCount * frameCount;
    if (all.length < needed) throw new SegReadError('the pixel data is shorter than its frames');
    return bits === 1
      ? (k) => ({ data: all, bitOffset: k * pixelCount })
      : (k) => ({ data: all.subarray(k * pixelCount, (k + 1) * pixelCount), bitOffset: 0 });
  }
  let decode: (frame: Uint8Array) => Uint8Array;
  if (syntax === RLE_LOSSLESS) decode = (frame) => decodeRleFrame(frame, frameLength);
  else if (syntax === DEFLATED_FRAMES) decode = inflateFrame;
  else {
    throw new SegReadError(
      `segmentation pixel data in transfer syntax ${syntax} (JPEG family) cannot be decoded in the main process yet`,
    );
  }
  const fragments = pixels.fragments ?? [];
  const offsets = pixels.basicOffsetTable ?? [];
  if (offsets.length === 0 && fragments.length !== frameCount && frameCount !== 1) {
    throw new SegReadError('encapsulated frames without an offset table span several fragments');
  }
  return (k) => {
    const raw =
      offsets.length > 0
        ? dicomParser.readEncapsulatedImageFrame(ds, pixels, k, offsets)
        : dicomParser.readEncapsulatedPixelDataFromFragments(
            ds,
            pixels,
            frameCount === 1 ? 0 : k,
            frameCount === 1 ? fragments.length : 1,
          );
    const data = decode(new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength));
    if (data.length < frameLength) throw new SegReadError(`frame ${k + 1} decodes to too few bytes`);
    return { data, bitOffset: 0 };
  };
}

function inflateFrame(frame: Uint8Array): Uint8Array {
  try {
    return new Uint8Array(inflateRawSync(frame));
  } catch {
    // Some writers wrap each frame in a zlib header.
    return new Uint8Array(inflateSync(frame));
  }
}
