/**
 * The bytes the viewer gets for a multi-frame compressed file whose frames it could not find by
 * itself (empty Basic Offset Table, frames split over fragments): the file with the table filled
 * in. Only such files are read whole here; every other file is served from its path as it is.
 */
import { open, readFile } from 'node:fs/promises';
import { DEFLATED_TRANSFER_SYNTAX, NATIVE_TRANSFER_SYNTAXES } from './dicom-tags';
import { withBasicOffsetTable } from './encapsulated-frames';

export interface StoredPixelFile {
  readonly path: string;
  readonly transferSyntax: string;
  readonly frames: number;
  /** Where the Pixel Data value starts in the file (its first item, when encapsulated). */
  readonly pixelOffset: number | null;
}

/** Whether the first item (the Basic Offset Table) at `offset` is an item of length 0. */
async function hasEmptyOffsetTable(path: string, offset: number): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const header = Buffer.alloc(8);
    const { bytesRead } = await handle.read(header, 0, header.length, offset);
    return (
      bytesRead === header.length && header.readUInt32LE(0) === 0xe000fffe && header.readUInt32LE(4) === 0
    );
  } finally {
    await handle.close();
  }
}

/** The file with a Basic Offset Table added; null when it is to be served as it is. */
export async function readWithOffsetTable(file: StoredPixelFile): Promise<Uint8Array<ArrayBuffer> | null> {
  const encapsulated =
    !NATIVE_TRANSFER_SYNTAXES.has(file.transferSyntax) && file.transferSyntax !== DEFLATED_TRANSFER_SYNTAX;
  if (!encapsulated || file.frames < 2 || file.pixelOffset === null) return null;
  // Most multi-frame files carry a table: eight bytes tell, without reading the whole file.
  if (!(await hasEmptyOffsetTable(file.path, file.pixelOffset))) return null;
  return withBasicOffsetTable(await readFile(file.path), file.pixelOffset, file.frames);
}
