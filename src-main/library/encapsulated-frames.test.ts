/** Frame starts in encapsulated pixel data, and the Basic Offset Table filled in where it is empty. */
import { readFileSync } from 'node:fs';
import * as dicomParser from 'dicom-parser';
import { describe, expect, it } from 'vitest';
import {
  EncapsulatedDataError,
  encapsulatedFrames,
  frameStarts,
  readEncapsulatedLayout,
  withBasicOffsetTable,
} from './encapsulated-frames';
import { writeDicom } from '../../test-support/dicom-writer';
import { hasSharedData, sharedPath } from '../../test-support/shared-data';

const JPEG_START = [0xff, 0xd8, 0xff, 0xdb];
const J2K_START = [0xff, 0x4f, 0xff, 0x51];

function item(bytes: readonly number[], element = 0xe000): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt16LE(0xfffe, 0);
  header.writeUInt16LE(element, 2);
  header.writeUInt32LE(bytes.length, 4);
  return Buffer.concat([header, Buffer.from(bytes)]);
}

/** An encapsulated Pixel Data value: the table's offsets, the fragments, the sequence delimiter. */
function encapsulated(fragments: ReadonlyArray<readonly number[]>, offsets: readonly number[] = []): Buffer {
  const table = Buffer.alloc(4 * offsets.length);
  offsets.forEach((offset, k) => table.writeUInt32LE(offset, 4 * k));
  return Buffer.concat([item([...table]), ...fragments.map((bytes) => item(bytes)), item([], 0xe0dd)]);
}

/** A minimal file around an encapsulated value: Number of Frames, Pixel Data, then a tail element. */
function fileWith(value: Buffer, frames: number): { file: Buffer; pixelOffset: number } {
  // Data Set Trailing Padding after the pixel data: it must follow unchanged.
  const tail = new Uint8Array([1, 2, 3, 4]);
  const file = writeDicom([
    { tag: '00280008', vr: 'IS', value: String(frames) },
    {
      tag: '7FE00010',
      vr: 'OB',
      value: value.length % 2 === 0 ? value : Buffer.concat([value, Buffer.from([0])]),
    },
    { tag: 'FFFCFFFC', vr: 'OB', value: tail },
  ]);
  const pixelOffset = file.length - (12 + tail.length) - value.length - (value.length % 2);
  // Encapsulated pixel data has an undefined length: its items say where it ends.
  file.writeUInt32LE(0xffffffff, pixelOffset - 4);
  return { file, pixelOffset };
}

/** Frame k's bytes as dicom-parser reads them with the file's own offset table. */
function framesByTable(file: Uint8Array, frames: number): Buffer[] {
  const dataSet = dicomParser.parseDicom(file);
  const pixelData = dataSet.elements['x7fe00010']!;
  return Array.from({ length: frames }, (_, k) =>
    Buffer.from(dicomParser.readEncapsulatedImageFrame(dataSet, pixelData, k)),
  );
}

describe('frame starts', () => {
  it('without a table, fragments that open a JPEG codestream start the frames', () => {
    const fragments = [[...JPEG_START, 1], [2, 3], [4], [...JPEG_START, 5], [6, 0xff, 0xd9]];
    const value = encapsulated(fragments);
    expect(frameStarts(value, readEncapsulatedLayout(value), 2)).toEqual([0, 3]);
    expect(encapsulatedFrames(value, 2).map((frame) => [...frame])).toEqual([
      [...JPEG_START, 1, 2, 3, 4],
      [...JPEG_START, 5, 6, 0xff, 0xd9],
    ]);
  });

  it('JPEG 2000 frames start at SOC followed by SIZ, not at an FF4F inside packet data', () => {
    const value = encapsulated([
      [...J2K_START, 1],
      [0xff, 0x4f, 0x12, 0x34],
      [...J2K_START, 2],
      [3, 4],
    ]);
    expect(frameStarts(value, readEncapsulatedLayout(value), 2)).toEqual([0, 2]);
  });

  it('a table, when present, says where frames start', () => {
    // Fragment items of 8 + 4 bytes: the third starts 24 bytes after the first.
    const value = encapsulated(
      [
        [1, 2, 3, 4],
        [5, 6, 7, 8],
        [9, 10, 11, 12],
      ],
      [0, 24],
    );
    expect(frameStarts(value, readEncapsulatedLayout(value), 2)).toEqual([0, 2]);
    expect(encapsulatedFrames(value, 2).map((frame) => [...frame])).toEqual([
      [1, 2, 3, 4, 5, 6, 7, 8],
      [9, 10, 11, 12],
    ]);
  });

  it('one fragment per frame, or every fragment for a single frame', () => {
    const value = encapsulated([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const layout = readEncapsulatedLayout(value);
    expect(frameStarts(value, layout, 3)).toEqual([0, 1, 2]);
    expect(frameStarts(value, layout, 1)).toEqual([0]);
    expect(encapsulatedFrames(value, 1).map((frame) => [...frame])).toEqual([[1, 2, 3, 4, 5, 6]]);
  });

  it('says nothing where the codestream starts do not match the frames', () => {
    // RLE segments carry no start marker; a table that points between items is no help either.
    const unmarked = encapsulated([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(frameStarts(unmarked, readEncapsulatedLayout(unmarked), 2)).toBeNull();
    const threeStarts = encapsulated([JPEG_START, JPEG_START, JPEG_START, [1]]);
    expect(frameStarts(threeStarts, readEncapsulatedLayout(threeStarts), 2)).toBeNull();
    const lateStart = encapsulated([[1, 2], JPEG_START, JPEG_START]);
    expect(frameStarts(lateStart, readEncapsulatedLayout(lateStart), 2)).toBeNull();
    const badTable = encapsulated(
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      [0, 5],
    );
    expect(frameStarts(badTable, readEncapsulatedLayout(badTable), 2)).toBeNull();
    expect(() => encapsulatedFrames(unmarked, 2)).toThrow(/3 fragments cannot be split into 2 frames/);
  });

  it('refuses malformed or cut-short items', () => {
    const whole = encapsulated([[...JPEG_START, 1, 2]]);
    expect(() => readEncapsulatedLayout(whole.subarray(0, whole.length - 10))).toThrow(EncapsulatedDataError);
    expect(() => readEncapsulatedLayout(Buffer.from([0x10, 0x00, 0x10, 0x00, 0, 0, 0, 0]))).toThrow(
      /does not open with a Basic Offset Table/,
    );
    const notAnItem = Buffer.concat([item([]), Buffer.from([0xfe, 0xff, 0x00, 0xe1, 0, 0, 0, 0])]);
    expect(() => readEncapsulatedLayout(notAnItem)).toThrow(/malformed or cut short/);
  });
});

describe('an offset table added to a file', () => {
  const fragments = [
    [...JPEG_START, 1, 2],
    [3, 4],
    [...JPEG_START, 5, 6],
    [7, 8],
    [9, 10],
  ];

  it('fills the empty table; the frames then read right and every other byte is unchanged', () => {
    const { file, pixelOffset } = fileWith(encapsulated(fragments), 2);
    const rewritten = withBasicOffsetTable(file, pixelOffset, 2);
    expect(rewritten).not.toBeNull();
    const dataSet = dicomParser.parseDicom(rewritten!);
    // Items of 8 + 6 and 8 + 2 bytes precede the second frame's first fragment.
    expect(dataSet.elements['x7fe00010']!.basicOffsetTable).toEqual([0, 24]);
    expect(framesByTable(rewritten!, 2).map((frame) => [...frame])).toEqual([
      [...JPEG_START, 1, 2, 3, 4],
      [...JPEG_START, 5, 6, 7, 8, 9, 10],
    ]);
    const tableAt = pixelOffset + 8;
    expect(rewritten!.length).toBe(file.length + 8);
    expect(Buffer.from(rewritten!.subarray(0, pixelOffset + 4))).toEqual(file.subarray(0, pixelOffset + 4));
    expect(Buffer.from(rewritten!.subarray(tableAt + 8))).toEqual(file.subarray(tableAt));
    expect(dataSet.elements['xfffcfffc']).toBeDefined();
  });

  it('leaves alone what needs no table or cannot be split', () => {
    const withTable = fileWith(encapsulated(fragments, [0, 24]), 2);
    expect(withBasicOffsetTable(withTable.file, withTable.pixelOffset, 2)).toBeNull();
    const perFrame = fileWith(encapsulated([JPEG_START, JPEG_START]), 2);
    expect(withBasicOffsetTable(perFrame.file, perFrame.pixelOffset, 2)).toBeNull();
    const single = fileWith(encapsulated(fragments), 1);
    expect(withBasicOffsetTable(single.file, single.pixelOffset, 1)).toBeNull();
    const unmarked = fileWith(encapsulated([[1], [2], [3]]), 2);
    expect(withBasicOffsetTable(unmarked.file, unmarked.pixelOffset, 2)).toBeNull();
    const cut = fileWith(encapsulated(fragments), 2);
    expect(withBasicOffsetTable(cut.file.subarray(0, cut.file.length - 30), cut.pixelOffset, 2)).toBeNull();
    // Not the start of an undefined-length value: not encapsulated pixel data.
    expect(withBasicOffsetTable(cut.file, cut.pixelOffset + 8, 2)).toBeNull();
  });
});

describe.skipIf(!hasSharedData)('real multi-frame files without an offset table', () => {
  const dir = 'dicom/transfer_syntax/enhanced_ct_CT0012_2frames';
  for (const [path, count] of [
    ...[
      'CT0012.fragmented_no_bot_jpeg_baseline.51.dcm',
      'CT0012.fragmented_no_bot_jpeg_lossless.57.dcm',
      'CT0012.fragmented_no_bot_jpeg_lossless.70.dcm',
      'CT0012.fragmented_no_bot_jpeg_ls.80.dcm',
      'CT0012.fragmented_no_bot_jpeg_ls.81.dcm',
    ].map((name) => [`${dir}/${name}`, 2] as const),
    // An ultrasound cine: 8 JPEG baseline frames in 44 fragments.
    ['dicom/multiframe/dicomparser_IM00001_us_8frames_jpeg_baseline.dcm', 8] as const,
  ]) {
    it(`${path.split('/').at(-1)}: each of its ${count} frames is one whole codestream, SOI to EOI`, () => {
      const file = readFileSync(sharedPath(path));
      const original = dicomParser.parseDicom(file);
      expect(original.intString('x00280008')).toBe(count);
      const pixelData = original.elements['x7fe00010']!;
      expect(pixelData.basicOffsetTable).toEqual([]);
      expect(pixelData.fragments!.length).toBeGreaterThan(count);
      const rewritten = withBasicOffsetTable(file, pixelData.dataOffset, count);
      expect(rewritten).not.toBeNull();
      const frames = framesByTable(rewritten!, count);
      for (const frame of frames) {
        expect([...frame.subarray(0, 2)]).toEqual([0xff, 0xd8]);
        // An odd codestream is padded to even length with one zero byte.
        const end = frame.at(-1) === 0 ? frame.length - 1 : frame.length;
        expect([...frame.subarray(end - 2, end)]).toEqual([0xff, 0xd9]);
      }
      // The splitter main can use reads the same frames from the original file.
      const split = encapsulatedFrames(file.subarray(pixelData.dataOffset), count).map((frame) =>
        Buffer.from(frame),
      );
      expect(split).toEqual(frames);
      expect(frames.reduce((sum, frame) => sum + frame.length, 0)).toBe(
        pixelData.fragments!.reduce((sum, fragment) => sum + fragment.length, 0),
      );
    });
  }

  it('the RLE copy, one fragment per frame with a table, is served as it is', () => {
    const file = readFileSync(sharedPath(dir, 'CT0012.not_fragmented_bot_rle.dcm'));
    const pixelData = dicomParser.parseDicom(file).elements['x7fe00010']!;
    expect(withBasicOffsetTable(file, pixelData.dataOffset, 2)).toBeNull();
  });
});
