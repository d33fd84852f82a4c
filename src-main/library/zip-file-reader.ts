/**
 * Random access to a ZIP file on disk for yauzl, through Node's own file streams.
 *
 * yauzl's built-in file reader queues each stream's next read and looks the file up only when the
 * read runs; a stream destroyed while its read waits in that queue (an entry dropped after its
 * first bytes, or one whose inflate failed, while other entries are read) throws there, and every
 * later read of the archive stalls. Here each stream reads through one shared FileHandle: a stream
 * destroyed mid-read simply stops, and `FileHandle.close()` waits for reads still in flight.
 */
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import yauzl from 'yauzl';
import type { Options, ZipFile } from 'yauzl';

class FileRangeReader extends yauzl.RandomAccessReader {
  readonly #handle: FileHandle;

  constructor(handle: FileHandle) {
    super();
    this.#handle = handle;
  }

  override _readStreamForRange(start: number, end: number): Readable {
    // Not FileHandle.createReadStream: destroying that closes the handle, which every entry shares.
    return Readable.from(bytesInRange(this.#handle, start, end), { objectMode: false });
  }

  /** The central directory's records, read straight into yauzl's buffer. */
  override read(
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
    callback: (error: Error | null, bytesRead?: number) => void,
  ): void {
    this.#handle.read(buffer, offset, length, position).then(
      ({ bytesRead }) => callback(null, bytesRead),
      (error: Error) => callback(error),
    );
  }

  override close(callback: (error: Error | null) => void): void {
    this.#handle.close().then(
      () => callback(null),
      (error: Error) => callback(error),
    );
  }
}

/** Bytes of one read: as much as a file stream reads at a time. */
const CHUNK_BYTES = 64 * 1024;

/** The file's bytes from `start` up to `end` (exclusive); a short file ends early and yauzl says so. */
async function* bytesInRange(handle: FileHandle, start: number, end: number): AsyncGenerator<Buffer> {
  for (let position = start; position < end;) {
    const buffer = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, end - position));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
    if (bytesRead === 0) return;
    position += bytesRead;
    yield buffer.subarray(0, bytesRead);
  }
}

/** Opens the ZIP at `path`; the file is closed by `zipfile.close()` once its last stream ends. */
export async function openZipFile(path: string, options: Options): Promise<ZipFile> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    return await yauzl.fromRandomAccessReaderPromise(new FileRangeReader(handle), size, {
      ...options,
      autoClose: false,
    });
  } catch (error) {
    await handle.close();
    throw error;
  }
}
