/**
 * Reference masks of a native bit-packed BINARY DICOM SEG, read here straight from its Pixel Data
 * bits and per-frame source image, independently of the app's SEG reader.
 */
import { parseFile } from './dicom-reference';

export interface ReferenceSegFrame {
  /** Referenced SOP Instance UID of the frame's source image. */
  readonly sourceUid: string;
  readonly segmentNumber: number;
  /** One byte per pixel, 0 or 1. */
  readonly mask: Uint8Array;
  readonly setBits: number;
}

export interface ReferenceSeg {
  readonly rows: number;
  readonly columns: number;
  readonly frames: readonly ReferenceSegFrame[];
}

export function referenceSeg(path: string): ReferenceSeg {
  const ds = parseFile(path);
  const rows = ds.uint16('x00280010')!;
  const columns = ds.uint16('x00280011')!;
  const count = ds.intString('x00280008') ?? 1;
  const pixels = ds.elements.x7fe00010!;
  const bytes = ds.byteArray.subarray(pixels.dataOffset, pixels.dataOffset + pixels.length);
  const perFrame = ds.elements.x52009230!.items!;
  const n = rows * columns;
  const frames = Array.from({ length: count }, (_, f) => {
    const item = perFrame[f]!.dataSet!;
    const source = item.elements.x00089124!.items![0]!.dataSet!.elements.x00082112!.items![0]!.dataSet!;
    const mask = new Uint8Array(n);
    let setBits = 0;
    for (let p = 0; p < n; p++) {
      const bit = f * n + p;
      mask[p] = (bytes[Math.floor(bit / 8)]! >> (bit % 8)) & 1;
      setBits += mask[p]!;
    }
    return {
      sourceUid: source.string('x00081155')!,
      segmentNumber: item.elements.x0062000a!.items![0]!.dataSet!.uint16('x0062000b')!,
      mask,
      setBits,
    };
  });
  return { rows, columns, frames };
}
