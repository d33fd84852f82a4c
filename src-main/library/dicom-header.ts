/**
 * Reads the header of one DICOM file up to (not including) the pixel data, and says what the
 * file is: an instance to index, or a failure with its reason.
 */
import { open } from 'node:fs/promises';
import { constants as zlibConstants, inflateRawSync } from 'node:zlib';
import dicomParser from 'dicom-parser';
import type { DataSet } from 'dicom-parser';
import type { SeriesKind } from '../../src-shared/api';
import type { Vec3 } from '../../src-shared/geometry';
import {
  DEFLATED_TRANSFER_SYNTAX,
  KNOWN_TRANSFER_SYNTAXES,
  MEDIA_STORAGE_DIRECTORY_CLASS,
  Tag,
} from './dicom-tags';
import { decodeDicomText } from './dicom-text';
import { sopClassKind } from './sop-class-kind';

export interface InstanceHeader {
  readonly sopInstanceUid: string;
  readonly sopClassUid: string;
  readonly kind: SeriesKind;
  /** The series a SEG (or other derived object) was made from, when it names one. */
  readonly referencedSeriesUid: string | null;
  /** Enhanced multi-frame objects: each frame's Image Position (Patient), in frame order. */
  readonly framePositions: readonly Vec3[] | null;
  readonly studyInstanceUid: string;
  readonly seriesInstanceUid: string;
  readonly transferSyntaxUid: string;
  readonly patientName: string;
  readonly patientId: string;
  readonly patientBirthDate: string;
  readonly patientSex: string;
  readonly studyDate: string;
  readonly studyTime: string;
  readonly studyDescription: string;
  readonly accessionNumber: string;
  readonly modality: string;
  readonly seriesNumber: number | null;
  readonly seriesDescription: string;
  readonly frameOfReferenceUid: string;
  readonly instanceNumber: number | null;
  readonly echoNumber: number | null;
  readonly acquisitionNumber: number | null;
  readonly imagePositionPatient: readonly [number, number, number] | null;
  readonly imageOrientationPatient: readonly [number, number, number, number, number, number] | null;
  readonly pixelSpacing: readonly [number, number] | null;
  readonly sliceThickness: number | null;
  readonly rows: number;
  readonly columns: number;
  readonly frames: number;
  readonly bitsAllocated: number;
  readonly bitsStored: number;
  readonly pixelRepresentation: number;
  readonly samplesPerPixel: number;
  readonly photometricInterpretation: string;
  /** Native colour only: 0 for R G B R G B ..., 1 for all R, then all G, then all B. */
  readonly planarConfiguration: number;
  readonly rescaleSlope: number;
  readonly rescaleIntercept: number;
  /**
   * Byte offset and length of the pixel data value in the file; null when the object has none or
   * when the data set is deflated (offsets then point into the inflated stream, not the file).
   */
  readonly pixelData: { readonly offset: number; readonly length: number } | null;
  readonly fileSize: number;
}

export type HeaderReadResult =
  | { readonly kind: 'instance'; readonly header: InstanceHeader }
  /** A DICOMDIR: the files its records name, as paths relative to its folder ('/'-separated). */
  | { readonly kind: 'directory'; readonly referencedFiles: readonly string[] }
  | { readonly kind: 'not-dicom'; readonly reason: string }
  | { readonly kind: 'unreadable'; readonly reason: string };

/** Most headers fit here; a longer one is read whole on a second try. */
export const FIRST_READ_BYTES = 64 * 1024;
/** The second, longer read stops here, so a huge corrupt file cannot exhaust main's memory. */
const LONGEST_READ_BYTES = 64 * 1024 * 1024;
const IMPLICIT_LITTLE_ENDIAN = '1.2.840.10008.1.2';

export async function readInstanceHeader(path: string): Promise<HeaderReadResult> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size === 0) return { kind: 'not-dicom', reason: 'empty file' };
    const first = Buffer.alloc(Math.min(size, FIRST_READ_BYTES));
    await handle.read(first, 0, first.length, 0);
    return await headerFromFirstBytes(first, size, path);
  } finally {
    await handle.close();
  }
}

/**
 * Parses a header from the first bytes of a file of `size` bytes (up to FIRST_READ_BYTES of them);
 * a header that runs longer is read again from `path`, up to LONGEST_READ_BYTES.
 */
export async function headerFromFirstBytes(
  first: Uint8Array,
  size: number,
  path: string,
): Promise<HeaderReadResult> {
  let parsed = parseHeader(first, size);
  if (parsed.kind === 'retry-whole' && size > first.length) {
    const longer = Buffer.alloc(Math.min(size, LONGEST_READ_BYTES));
    const handle = await open(path, 'r');
    try {
      await handle.read(longer, 0, longer.length, 0);
    } finally {
      await handle.close();
    }
    parsed = parseHeader(longer, size);
  }
  if (parsed.kind === 'retry-whole') {
    const where = size > LONGEST_READ_BYTES ? ' within its first 64 MB' : '';
    return {
      kind: 'unreadable',
      reason: `truncated or corrupt: the header does not end${where} (${parsed.reason})`,
    };
  }
  return parsed;
}

/** Whether bytes open like DICOM: the Part 10 preamble, or a bare data set on a group 0008 element. */
export function looksLikeDicom(bytes: Uint8Array): boolean {
  return hasDicmPrefix(bytes) || looksLikeBareDataset(bytes);
}

function hasDicmPrefix(bytes: Uint8Array): boolean {
  return bytes.length >= 132 && readAscii(bytes, 128, 4) === 'DICM';
}

function looksLikeBareDataset(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && bytes[0] === 0x08 && bytes[1] === 0x00;
}

type ParseOutcome = HeaderReadResult | { readonly kind: 'retry-whole'; readonly reason: string };

function parseHeader(bytes: Uint8Array, fileSize: number): ParseOutcome {
  const hasPreamble = hasDicmPrefix(bytes);
  // Files without the Part 10 preamble are still DICOM when they open on a group 0008 element.
  if (!looksLikeDicom(bytes)) return { kind: 'not-dicom', reason: 'no DICM prefix and no DICOM data set' };
  const partial = bytes.length < fileSize;
  let dataSet: DataSet;
  try {
    dataSet = dicomParser.parseDicom(bytes, {
      untilTag: Tag.PixelData,
      inflater: inflateDataSet,
      ...(hasPreamble ? {} : { TransferSyntaxUID: guessBareTransferSyntax(bytes) }),
    });
  } catch (error) {
    const message = errorText(error);
    if (partial) return { kind: 'retry-whole', reason: message };
    if (/buffer overrun|attempt to read past end|maxPosition/i.test(message))
      return { kind: 'unreadable', reason: `truncated or corrupt: the header runs past the end of the file` };
    return { kind: 'unreadable', reason: `header cannot be parsed: ${message}` };
  }
  const mediaClass = uidOf(dataSet, Tag.MediaStorageSOPClassUID);
  if (mediaClass === MEDIA_STORAGE_DIRECTORY_CLASS || dataSet.elements[Tag.DirectoryRecordSequence]) {
    // Directory records can run long; read them from the whole file.
    return partial ? { kind: 'retry-whole', reason: 'DICOMDIR' } : describeDirectory(dataSet);
  }
  // A header that stopped at the end of a partial read without reaching the pixel data may be
  // longer than the first read: read the whole file before deciding the object has no pixels.
  if (partial && !dataSet.elements[Tag.PixelData]) return { kind: 'retry-whole', reason: 'long header' };
  return describe(dataSet, fileSize);
}

/** Deflated transfer syntax: everything after the file meta group is raw deflate. */
export function inflateDataSet(bytes: Uint8Array, position: number): Uint8Array {
  // SYNC_FLUSH lets a partial first read inflate as far as it goes.
  const inflated = inflateRawSync(bytes.subarray(position), { finishFlush: zlibConstants.Z_SYNC_FLUSH });
  const whole = new Uint8Array(position + inflated.length);
  whole.set(bytes.subarray(0, position), 0);
  whole.set(inflated, position);
  return whole;
}

function describeDirectory(ds: DataSet): HeaderReadResult {
  const records = ds.elements[Tag.DirectoryRecordSequence]?.items ?? [];
  const referencedFiles: string[] = [];
  for (const record of records) {
    const fileId = record.dataSet?.string(Tag.ReferencedFileID);
    // File IDs are path components separated by backslashes, relative to the DICOMDIR's folder.
    if (fileId)
      referencedFiles.push(
        fileId
          .split('\\')
          .map((part) => part.trim())
          .join('/'),
      );
  }
  return { kind: 'directory', referencedFiles };
}

function guessBareTransferSyntax(bytes: Uint8Array): string {
  // Explicit VR puts two upper-case letters right after the first tag.
  const a = bytes[4]!;
  const b = bytes[5]!;
  const isLetter = (c: number): boolean => c >= 0x41 && c <= 0x5a;
  return isLetter(a) && isLetter(b) ? '1.2.840.10008.1.2.1' : IMPLICIT_LITTLE_ENDIAN;
}

function describe(ds: DataSet, fileSize: number): ParseOutcome {
  const charset = ds.string(Tag.SpecificCharacterSet) ?? '';
  const text = (tag: string): string => decodeDicomText(ds, tag, charset);
  const uid = (tag: string): string => uidOf(ds, tag);
  const sopInstanceUid = uid(Tag.SOPInstanceUID);
  const studyInstanceUid = uid(Tag.StudyInstanceUID);
  const seriesInstanceUid = uid(Tag.SeriesInstanceUID);
  const missing = [
    sopInstanceUid ? '' : 'SOP Instance UID',
    studyInstanceUid ? '' : 'Study Instance UID',
    seriesInstanceUid ? '' : 'Series Instance UID',
  ].filter(Boolean);
  if (missing.length > 0) return { kind: 'unreadable', reason: `missing ${missing.join(', ')}` };
  const transferSyntaxUid = uid(Tag.TransferSyntaxUID) || IMPLICIT_LITTLE_ENDIAN;
  if (!KNOWN_TRANSFER_SYNTAXES.has(transferSyntaxUid)) {
    return { kind: 'unreadable', reason: `unknown transfer syntax ${transferSyntaxUid}` };
  }
  const deflated = transferSyntaxUid === DEFLATED_TRANSFER_SYNTAX;
  const pixelElement = ds.elements[Tag.PixelData];
  const sopClassUid = uid(Tag.SOPClassUID);
  const kind = sopClassKind(sopClassUid, pixelElement !== undefined);
  let pixelData: InstanceHeader['pixelData'] = null;
  if (pixelElement && !deflated) {
    const declared = pixelElement.length;
    // Undefined length (encapsulated) runs to the end of the file.
    const length = declared === 0xffffffff || declared < 0 ? fileSize - pixelElement.dataOffset : declared;
    if (pixelElement.dataOffset + length > fileSize) {
      return { kind: 'unreadable', reason: 'truncated: pixel data ends past the end of the file' };
    }
    pixelData = { offset: pixelElement.dataOffset, length };
  }
  const rows = ds.uint16(Tag.Rows) ?? 0;
  const columns = ds.uint16(Tag.Columns) ?? 0;
  if ((kind === 'image' || kind === 'seg') && !pixelElement) {
    return {
      kind: 'unreadable',
      reason: `no pixel data where ${kind === 'seg' ? 'a segmentation' : 'an image'} needs one`,
    };
  }
  const shared = firstItem(ds, Tag.SharedFunctionalGroupsSequence);
  const sharedOrientation = shared && firstItem(shared, Tag.PlaneOrientationSequence);
  const sharedMeasures = shared && firstItem(shared, Tag.PixelMeasuresSequence);
  // Enhanced images put the rescale in a functional group; per-frame values are read at analysis.
  const sharedRescale = shared && firstItem(shared, Tag.PixelValueTransformationSequence);
  return {
    kind: 'instance',
    header: {
      sopInstanceUid,
      sopClassUid,
      kind,
      referencedSeriesUid: referencedSeries(ds),
      framePositions: framePositions(ds),
      studyInstanceUid,
      seriesInstanceUid,
      transferSyntaxUid,
      patientName: text(Tag.PatientName),
      patientId: text(Tag.PatientID),
      patientBirthDate: text(Tag.PatientBirthDate),
      patientSex: text(Tag.PatientSex),
      studyDate: text(Tag.StudyDate),
      studyTime: text(Tag.StudyTime),
      studyDescription: text(Tag.StudyDescription),
      accessionNumber: text(Tag.AccessionNumber),
      modality: text(Tag.Modality),
      seriesNumber: intOrNull(ds, Tag.SeriesNumber),
      seriesDescription: text(Tag.SeriesDescription),
      frameOfReferenceUid: uid(Tag.FrameOfReferenceUID),
      instanceNumber: intOrNull(ds, Tag.InstanceNumber),
      echoNumber: ds.floatString(Tag.EchoNumbers) ?? null,
      acquisitionNumber: intOrNull(ds, Tag.AcquisitionNumber),
      imagePositionPatient: numbers(
        ds,
        Tag.ImagePositionPatient,
        3,
      ) as InstanceHeader['imagePositionPatient'],
      imageOrientationPatient: (numbers(ds, Tag.ImageOrientationPatient, 6) ??
        (sharedOrientation
          ? numbers(sharedOrientation, Tag.ImageOrientationPatient, 6)
          : null)) as InstanceHeader['imageOrientationPatient'],
      pixelSpacing: (numbers(ds, Tag.PixelSpacing, 2) ??
        (sharedMeasures
          ? numbers(sharedMeasures, Tag.PixelSpacing, 2)
          : null)) as InstanceHeader['pixelSpacing'],
      sliceThickness: ds.floatString(Tag.SliceThickness) ?? null,
      rows,
      columns,
      frames: intOrNull(ds, Tag.NumberOfFrames) ?? 1,
      bitsAllocated: ds.uint16(Tag.BitsAllocated) ?? 0,
      bitsStored: ds.uint16(Tag.BitsStored) ?? 0,
      pixelRepresentation: ds.uint16(Tag.PixelRepresentation) ?? 0,
      samplesPerPixel: ds.uint16(Tag.SamplesPerPixel) ?? 1,
      photometricInterpretation: (ds.string(Tag.PhotometricInterpretation) ?? '').trim(),
      planarConfiguration: ds.uint16(Tag.PlanarConfiguration) ?? 0,
      rescaleSlope: finiteOr(
        ds.floatString(Tag.RescaleSlope) ?? sharedRescale?.floatString(Tag.RescaleSlope),
        1,
      ),
      rescaleIntercept: finiteOr(
        ds.floatString(Tag.RescaleIntercept) ?? sharedRescale?.floatString(Tag.RescaleIntercept),
        0,
      ),
      pixelData,
      fileSize,
    },
  };
}

export function uidOf(ds: DataSet, tag: string): string {
  return (ds.string(tag) ?? '').replace(/\0/g, '').trim();
}

export function firstItem(ds: DataSet, tag: string): DataSet | undefined {
  return ds.elements[tag]?.items?.[0]?.dataSet;
}

function referencedSeries(ds: DataSet): string | null {
  const item = firstItem(ds, Tag.ReferencedSeriesSequence);
  return (item && uidOf(item, Tag.SeriesInstanceUID)) || null;
}

/** Per-frame positions of an enhanced multi-frame object; null unless every frame has one. */
function framePositions(ds: DataSet): Vec3[] | null {
  const frames = ds.elements[Tag.PerFrameFunctionalGroupsSequence]?.items;
  if (!frames || frames.length === 0) return null;
  const positions: Vec3[] = [];
  for (const frame of frames) {
    const plane = frame.dataSet && firstItem(frame.dataSet, Tag.PlanePositionSequence);
    const position = plane && numbers(plane, Tag.ImagePositionPatient, 3);
    if (!position) return null;
    positions.push(position as unknown as Vec3);
  }
  return positions;
}

function intOrNull(ds: DataSet, tag: string): number | null {
  const value = ds.intString(tag);
  return value === undefined || !Number.isFinite(value) ? null : value;
}

/** The first `count` numbers of a multi-valued decimal attribute; null unless all are there and finite. */
export function numbers(ds: DataSet, tag: string, count: number): number[] | null {
  const raw = ds.string(tag);
  if (!raw) return null;
  const values = raw.split('\\').map((part) => Number.parseFloat(part));
  return values.length >= count && values.slice(0, count).every(Number.isFinite)
    ? values.slice(0, count)
    : null;
}

function finiteOr(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) ? value : fallback;
}

function readAscii(bytes: Uint8Array, start: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(start, start + length));
}

/** A readable message from anything thrown; dicom-parser throws `{ exception, dataSet }` objects. */
export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'exception' in error) return String(error.exception);
  return String(error);
}
