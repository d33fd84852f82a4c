/**
 * One part of a browser-mode upload (src-shared/http-protocol.ts: its head, then each listed
 * file's bytes in order), read from the request body as it arrives: each file is written to the
 * batch's folder without the part ever being held in memory.
 */
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { UPLOAD_PART_MAX_FILES, type UploadPartEntry } from '../../../src-shared/http-protocol';
import type { ImportSource } from '../../library/import-service';

/** A part that does not follow the protocol (the client's fault: HTTP 400). */
export class UploadPartError extends Error {}

const MAX_MANIFEST_BYTES = 1024 * 1024;
const MAX_NAME_LENGTH = 4096;

function entriesOf(manifest: Buffer): UploadPartEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(manifest.toString('utf8'));
  } catch {
    throw new UploadPartError('the upload part’s manifest is not JSON');
  }
  const valid =
    Array.isArray(parsed) &&
    parsed.length > 0 &&
    parsed.length <= UPLOAD_PART_MAX_FILES &&
    parsed.every(
      (entry: Partial<UploadPartEntry> | null) =>
        typeof entry?.name === 'string' &&
        entry.name.length <= MAX_NAME_LENGTH &&
        Number.isSafeInteger(entry.size) &&
        entry.size! >= 0,
    );
  if (!valid)
    throw new UploadPartError(
      `an upload part lists 1 to ${UPLOAD_PART_MAX_FILES} files, each a name and a size`,
    );
  return parsed as UploadPartEntry[];
}

/** Stores the part's files in `dir` as `<part>-<k>.dcm`; returns them with the names the user gave. */
export async function receiveUploadPart(body: Readable, dir: string, part: number): Promise<ImportSource[]> {
  const sources: ImportSource[] = [];
  let entries: UploadPartEntry[] | null = null;
  let head = Buffer.alloc(0);
  // Typed by a cast: the closures below assign it, which narrowing from `null` would not see.
  let file = null as WriteStream | null;
  /** Bytes of the open file still to come. */
  let left = 0;

  const close = async (): Promise<void> => {
    const closing = file!;
    file = null;
    closing.end();
    await once(closing, 'finish');
  };
  /** Opens the next listed file; empty ones are written and closed at once. */
  const openNext = async (): Promise<void> => {
    while (entries && sources.length < entries.length) {
      const entry = entries[sources.length]!;
      const path = join(dir, `${part}-${sources.length}.dcm`);
      sources.push({ path, displayName: entry.name });
      file = createWriteStream(path);
      left = entry.size;
      if (left > 0) return;
      await close();
    }
  };

  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      let data = chunk;
      if (!entries) {
        head = Buffer.concat([head, data]);
        if (head.length < 4) continue;
        const length = head.readUInt32LE(0);
        if (length > MAX_MANIFEST_BYTES) throw new UploadPartError('the upload part’s manifest is too long');
        if (head.length < 4 + length) continue;
        entries = entriesOf(head.subarray(4, 4 + length));
        data = head.subarray(4 + length);
        await openNext();
      }
      while (data.length > 0) {
        if (!file) throw new UploadPartError('the upload part carries more bytes than its manifest lists');
        const take = Math.min(left, data.length);
        if (!file.write(data.subarray(0, take))) await once(file, 'drain');
        left -= take;
        data = data.subarray(take);
        if (left === 0) {
          await close();
          await openNext();
        }
      }
    }
    if (!entries || file) throw new UploadPartError('the upload part was cut short');
    return sources;
  } catch (error) {
    // Nothing of a failed part is kept: the batch's folder holds only files that arrived whole.
    if (file) {
      file.destroy();
      await once(file, 'close');
    }
    await Promise.all(sources.map(({ path }) => rm(path, { force: true })));
    throw error;
  }
}
