/**
 * ZIP archives, read entry by entry as streams (yauzl); nothing is unpacked to disk first. A DICOM
 * or NIfTI entry's bytes are copied into the library folder as they stream, and its header parsed
 * from its first bytes: the copy is then an ordinary library file, so pixels are served and volumes
 * built from it like any other. Every entry ends with its own outcome; a broken archive ends with
 * one for the archive, after the entries read before the damage.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';
import { errorText, FIRST_READ_BYTES, headerFromFirstBytes, looksLikeDicom } from './dicom-header';
import type { HeaderReadResult } from './dicom-header';
import type { ImportSource } from './import-service';
import { libraryCopyPath } from './library-copies';
import { openZipFile } from './zip-file-reader';
import { isNiftiName, readNiftiHeader } from './nifti-header';

export function isZipName(name: string): boolean {
  return /\.zip$/i.test(name);
}

/** ZIPs inside ZIPs are read to this depth. */
const MAX_NESTING = 3;
/** A nested ZIP is read from memory (yauzl needs random access), so its size is capped. */
const MAX_NESTED_ZIP_BYTES = 256 * 1024 * 1024;
/** Entries inflated and copied at once: one inflates while another waits on the disk. */
const ENTRY_CONCURRENCY = 4;
/** Bytes that decide whether an entry is DICOM (the 128-byte preamble and 'DICM'). */
const SNIFF_BYTES = 132;

export interface ZipImportOptions {
  /** Folder for the library's copies of the entries. */
  readonly copyInto: string;
  readonly signal?: AbortSignal;
  /** Each entry's outcome; its source names the copy (path) and the entry (displayName). */
  readonly onEntry: (source: ImportSource, result: HeaderReadResult) => void;
}

/** Reads every entry of the ZIP at `zip.path`; resolves once each has its outcome. */
export async function importZip(zip: ImportSource, options: ZipImportOptions): Promise<void> {
  let zipfile: ZipFile;
  try {
    zipfile = await openZipFile(zip.path, { decodeStrings: false });
  } catch (error) {
    options.onEntry(zip, { kind: 'unreadable', reason: `not a readable ZIP: ${errorText(error)}` });
    return;
  }
  try {
    await readEntries(zipfile, zip, options, 1);
  } finally {
    // The reader's close is asynchronous: the import ends only once the archive's file is closed,
    // so that a caller may move or delete it straight away.
    const closed = once(zipfile, 'close');
    zipfile.close();
    await closed;
  }
}

async function readEntries(
  zipfile: ZipFile,
  zip: ImportSource,
  options: ZipImportOptions,
  depth: number,
): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  let entriesRead = 0;
  try {
    for await (const entry of zipfile.eachEntry()) {
      if (options.signal?.aborted) break;
      entriesRead++;
      const name = entryName(entry);
      if (name.endsWith('/')) continue;
      const source: ImportSource = { path: zip.path, displayName: `${zip.displayName}/${name}` };
      const task = readEntry(zipfile, entry, name, source, options, depth)
        .catch((error: unknown): EntryOutcome => ({
          source,
          result: { kind: 'unreadable', reason: `cannot read this ZIP entry: ${errorText(error)}` },
        }))
        .then((result) => {
          if (result) options.onEntry(result.source, result.result);
        })
        .finally(() => inFlight.delete(task));
      inFlight.add(task);
      if (inFlight.size >= ENTRY_CONCURRENCY) await Promise.race(inFlight);
    }
  } catch (error) {
    // The central directory is damaged: the entries before the damage keep their outcomes.
    options.onEntry(zip, {
      kind: 'unreadable',
      reason: `corrupt ZIP: ${errorText(error)} (after ${entriesRead} of ${zipfile.entryCount} entries)`,
    });
  }
  await Promise.all(inFlight);
}

type EntryOutcome = { readonly source: ImportSource; readonly result: HeaderReadResult } | null;

/** One entry's outcome, or null for a nested ZIP (its entries report their own). */
async function readEntry(
  zipfile: ZipFile,
  entry: Entry,
  name: string,
  source: ImportSource,
  options: ZipImportOptions,
  depth: number,
): Promise<EntryOutcome> {
  const refuse = (reason: string): EntryOutcome => ({ source, result: { kind: 'unreadable', reason } });
  // Copies are named by UID, never by entry name; an unsafe name still says the archive is hostile.
  const unsafe = yauzl.validateFileName(name);
  if (unsafe !== null) return refuse(`unsafe name in the ZIP, not read (${unsafe})`);
  if (entry.isEncrypted()) return refuse('encrypted ZIP entry, not read');
  if (!entry.canDecodeFileData())
    return refuse(`ZIP compression method ${entry.compressionMethod} is not supported`);
  if (isZipName(name)) {
    await readNestedZip(zipfile, entry, source, options, depth);
    return null;
  }
  const stream = await zipfile.openReadStreamPromise(entry);
  const { copy, result } = await copyEntry(stream, entry.uncompressedSize, source.displayName, options);
  return { source: { ...source, path: copy ?? source.path }, result };
}

async function readNestedZip(
  zipfile: ZipFile,
  entry: Entry,
  source: ImportSource,
  options: ZipImportOptions,
  depth: number,
): Promise<void> {
  const refuse = (reason: string): void => options.onEntry(source, { kind: 'unreadable', reason });
  if (depth >= MAX_NESTING) return refuse(`ZIP nested more than ${MAX_NESTING} deep, not read`);
  if (entry.uncompressedSize > MAX_NESTED_ZIP_BYTES)
    return refuse(`nested ZIP over ${MAX_NESTED_ZIP_BYTES / 2 ** 20} MB, not read: unpack it first`);
  const chunks: Buffer[] = [];
  for await (const chunk of await zipfile.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
  let inner: ZipFile;
  try {
    inner = await yauzl.fromBufferPromise(Buffer.concat(chunks), { decodeStrings: false });
  } catch (error) {
    return refuse(`not a readable ZIP: ${errorText(error)}`);
  }
  await readEntries(inner, source, options, depth + 1);
}

/**
 * Streams an entry into a new file in the library folder, keeping its first bytes to read the
 * header from; an entry that does not open like DICOM (or is not named NIfTI) is not copied.
 */
async function copyEntry(
  stream: Readable,
  size: number,
  displayName: string,
  { copyInto }: ZipImportOptions,
): Promise<{ readonly copy: string | null; readonly result: HeaderReadResult }> {
  const nifti = isNiftiName(displayName);
  const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  // The first chunks are held until they say whether the entry is worth copying.
  const held: Buffer[] = [];
  let heldLength = 0;
  let ended = false;
  while (heldLength < SNIFF_BYTES && !ended) {
    const next = await chunks.next();
    ended = next.done === true;
    if (!next.done) {
      held.push(next.value);
      heldLength += next.value.length;
    }
  }
  if (heldLength === 0) return { copy: null, result: { kind: 'not-dicom', reason: 'empty file' } };
  if (!nifti && !looksLikeDicom(Buffer.concat(held))) {
    stream.destroy();
    return { copy: null, result: { kind: 'not-dicom', reason: 'no DICM prefix and no DICOM data set' } };
  }
  const incoming = join(copyInto, 'incoming');
  await mkdir(incoming, { recursive: true });
  const temp = join(incoming, randomUUID());
  const out = createWriteStream(temp);
  let copy: string | null = null;
  try {
    const head = new HeadBytes();
    const write = async (chunk: Buffer): Promise<void> => {
      head.keep(chunk);
      if (!out.write(chunk)) await once(out, 'drain');
    };
    for (const chunk of held) await write(chunk);
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) await write(next.value);
    out.end();
    await once(out, 'close');
    const result = nifti
      ? await readNiftiHeader(temp, displayName)
      : await headerFromFirstBytes(head.bytes(), size, temp);
    if (result.kind === 'instance') {
      const suffix = nifti ? /\.nii(\.gz)?$/i.exec(displayName)![0].toLowerCase() : '.dcm';
      copy = await libraryCopyPath(copyInto, result.header.sopInstanceUid, suffix);
      await rename(temp, copy);
    }
    return { copy, result };
  } finally {
    stream.destroy();
    if (!out.closed) out.destroy();
    if (copy === null) await rm(temp, { force: true });
  }
}

/** The first FIRST_READ_BYTES of a stream, for its header. */
class HeadBytes {
  readonly #chunks: Buffer[] = [];
  #length = 0;

  keep(chunk: Buffer): void {
    if (this.#length >= FIRST_READ_BYTES) return;
    this.#chunks.push(chunk);
    this.#length += chunk.length;
  }

  bytes(): Buffer {
    return Buffer.concat(this.#chunks).subarray(0, FIRST_READ_BYTES);
  }
}

/** The entry's name: UTF-8 when flagged (or in the Info-ZIP unicode field), else CP437. */
function entryName(entry: Entry): string {
  return yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, false);
}
