/**
 * Frames of encapsulated (compressed) multi-frame pixel data (PS3.5 A.4). A frame may be split
 * over several fragments, and the Basic Offset Table that says where each frame starts may be
 * left empty. Readers that then guess (Cornerstone's loader takes one fragment per frame) decode
 * pieces of frames; here the frame starts are found from the codestreams themselves, and a file
 * can be given the offset table it lacks.
 */

export class EncapsulatedDataError extends Error {}

const ITEM_HEADER = 8;
const ITEM = 0xe000;
const SEQUENCE_DELIMITER = 0xe0dd;
/** What the Pixel Data element's length field holds when its value is encapsulated. */
const UNDEFINED_LENGTH = 0xffffffff;
/** Offsets in the table are 32-bit. */
const LARGEST_OFFSET = 0xffffffff;

/** One fragment item: where its header starts and its value, as byte indices into the Pixel Data value. */
export interface Fragment {
  readonly item: number;
  readonly start: number;
  readonly length: number;
}

/** The items of an encapsulated Pixel Data value. */
export interface EncapsulatedLayout {
  /** The Basic Offset Table's entries (empty when the table is). */
  readonly offsets: readonly number[];
  /** Byte index in the value of the first item after the table: where offsets count from. */
  readonly firstFragment: number;
  readonly fragments: readonly Fragment[];
}

/**
 * Reads the items of an encapsulated Pixel Data value (from the first item's tag; the value may
 * run on past the sequence delimiter, as a whole file's tail does). Throws EncapsulatedDataError
 * when the items are malformed or cut short.
 */
export function readEncapsulatedLayout(value: Uint8Array): EncapsulatedLayout {
  const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
  const itemAt = (position: number): { element: number; length: number } | null => {
    if (position + ITEM_HEADER > value.length || view.getUint16(position, true) !== 0xfffe) return null;
    return { element: view.getUint16(position + 2, true), length: view.getUint32(position + 4, true) };
  };
  const table = itemAt(0);
  if (table?.element !== ITEM || ITEM_HEADER + table.length > value.length || table.length % 4 !== 0) {
    throw new EncapsulatedDataError('the encapsulated pixel data does not open with a Basic Offset Table');
  }
  const offsets = Array.from({ length: table.length / 4 }, (_, k) =>
    view.getUint32(ITEM_HEADER + 4 * k, true),
  );
  const firstFragment = ITEM_HEADER + table.length;
  const fragments: Fragment[] = [];
  let position = firstFragment;
  for (;;) {
    const item = itemAt(position);
    if (item?.element === SEQUENCE_DELIMITER) break;
    if (item?.element !== ITEM || position + ITEM_HEADER + item.length > value.length) {
      throw new EncapsulatedDataError('the encapsulated pixel data is malformed or cut short');
    }
    fragments.push({ item: position, start: position + ITEM_HEADER, length: item.length });
    position += ITEM_HEADER + item.length;
  }
  return { offsets, firstFragment, fragments };
}

/**
 * Whether a fragment opens a codestream: JPEG and JPEG-LS start with SOI (FFD8) and a marker,
 * JPEG 2000 and HTJ2K with SOC (FF4F) and SIZ (FF51). Entropy-coded JPEG data never holds FFD8;
 * J2K packet data may hold FF4F, hence the SIZ as well.
 */
function opensCodestream(value: Uint8Array, fragment: Fragment): boolean {
  if (fragment.length < 4) return false;
  const [a, b, c, d] = value.subarray(fragment.start, fragment.start + 4);
  if (a !== 0xff || c !== 0xff) return false;
  return b === 0xd8 || (b === 0x4f && d === 0x51);
}

/**
 * The index of each frame's first fragment; null where the data cannot say. From the offset
 * table where it has one entry per frame; without it, one fragment per frame when their numbers
 * agree, all fragments for a single frame, else the fragments that open a codestream (PS3.5 A.4:
 * a frame never shares a fragment), when there is one such per frame and the first is one.
 */
export function frameStarts(value: Uint8Array, layout: EncapsulatedLayout, frames: number): number[] | null {
  const { fragments } = layout;
  if (frames < 1 || fragments.length < frames) return null;
  if (layout.offsets.length > 0) {
    if (layout.offsets.length !== frames) return null;
    const byOffset = new Map(
      fragments.map((fragment, index) => [fragment.item - layout.firstFragment, index]),
    );
    const starts = layout.offsets.map((offset) => byOffset.get(offset));
    return starts.every((start) => start !== undefined) ? starts : null;
  }
  if (frames === 1) return [0];
  if (fragments.length === frames) return fragments.map((_, index) => index);
  const starts = fragments.flatMap((fragment, index) => (opensCodestream(value, fragment) ? [index] : []));
  return starts.length === frames && starts[0] === 0 ? starts : null;
}

/**
 * Each frame's compressed bytes (its fragments joined) from an encapsulated Pixel Data value.
 * Throws EncapsulatedDataError when the items are malformed or the frames cannot be told apart.
 */
export function encapsulatedFrames(value: Uint8Array, frames: number): Uint8Array[] {
  const layout = readEncapsulatedLayout(value);
  const starts = frameStarts(value, layout, frames);
  if (!starts) {
    throw new EncapsulatedDataError(
      `${layout.fragments.length} fragments cannot be split into ${frames} frames: no offset table and no codestream start per frame`,
    );
  }
  return starts.map((first, k) => {
    const pieces = layout.fragments
      .slice(first, starts[k + 1] ?? layout.fragments.length)
      .map((fragment) => value.subarray(fragment.start, fragment.start + fragment.length));
    return pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces);
  });
}

/**
 * A file whose multi-frame encapsulated Pixel Data (value at `pixelOffset`) has an empty Basic
 * Offset Table and more fragments than frames, with the table filled in from the frame starts:
 * four bytes more per frame in item 0, everything else as it was (the Pixel Data keeps its
 * undefined length, so no other length changes). Null when the file needs no table or its frames
 * cannot be told apart: it is then served as it is.
 */
export function withBasicOffsetTable(
  file: Uint8Array,
  pixelOffset: number,
  frames: number,
): Uint8Array<ArrayBuffer> | null {
  if (frames < 2 || pixelOffset < 4 || pixelOffset > file.length) return null;
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  if (view.getUint32(pixelOffset - 4, true) !== UNDEFINED_LENGTH) return null;
  const value = file.subarray(pixelOffset);
  let layout: EncapsulatedLayout;
  try {
    layout = readEncapsulatedLayout(value);
  } catch (error) {
    // A damaged file is the decoder's to report, as it would be without this rewrite.
    if (error instanceof EncapsulatedDataError) return null;
    throw error;
  }
  if (layout.offsets.length > 0 || layout.fragments.length <= frames) return null;
  const starts = frameStarts(value, layout, frames);
  if (!starts) return null;
  const offsets = starts.map((index) => layout.fragments[index]!.item - layout.firstFragment);
  if (offsets.some((offset) => offset > LARGEST_OFFSET)) return null;
  const table = 4 * frames;
  const out = new Uint8Array(file.length + table);
  const tableAt = pixelOffset + ITEM_HEADER;
  out.set(file.subarray(0, tableAt), 0);
  const outView = new DataView(out.buffer);
  outView.setUint32(pixelOffset + 4, table, true);
  offsets.forEach((offset, k) => outView.setUint32(tableAt + 4 * k, offset, true));
  out.set(file.subarray(tableAt), tableAt + table);
  return out;
}
