/**
 * Imports files and folders: finds every file, reads its header, and records each instance.
 * Each file ends as indexed, duplicate, not DICOM or unreadable; one bad file never stops the rest.
 */
import { copyFile, readdir, stat } from 'node:fs/promises';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import type { ImportFailure, ImportProgress, ImportReport } from '../../src-shared/api';
import { errorText, readInstanceHeader } from './dicom-header';
import type { HeaderReadResult } from './dicom-header';
import type { LibraryDb } from './library-db';
import { libraryCopyPath } from './library-copies';
import { isNiftiName, readNiftiHeader } from './nifti-header';
import type { LibraryStore } from './library-store';
import { importZip, isZipName } from './zip-import';

/** Headers read at once: enough to hide file-system latency on two cores. */
const READ_CONCURRENCY = 16;
/** Instances written per transaction. */
const WRITE_BATCH = 256;

export interface ImportSource {
  /** Where the file is on disk. */
  readonly path: string;
  /** How to name it to the user (an uploaded file's original relative path). */
  readonly displayName: string;
}

export interface ImportOptions {
  /** Called after every written batch, and once at the end. */
  readonly onProgress?: (progress: ImportProgress) => void;
  /** Aborting stops reading new files; what was read is written and reported. */
  readonly signal?: AbortSignal;
  /** Copy each instance's file into this folder and record the copy, not the original. */
  readonly copyInto?: string;
  /** Where ZIP entries are copied (they have no file of their own to reference); else copyInto. */
  readonly zipCopiesInto?: string;
}

export class ImportService {
  constructor(
    private readonly db: LibraryDb,
    private readonly store: LibraryStore,
  ) {}

  async importPaths(paths: readonly string[], options: ImportOptions = {}): Promise<ImportReport> {
    const sources: ImportSource[] = [];
    const failures: ImportFailure[] = [];
    for (const path of paths) await collectFiles(path, sources, failures);
    return this.importSources(sources, failures, options);
  }

  async importSources(
    sources: readonly ImportSource[],
    earlierFailures: ImportFailure[] = [],
    { onProgress, signal, copyInto, zipCopiesInto = copyInto }: ImportOptions = {},
  ): Promise<ImportReport> {
    const started = performance.now();
    const failures = [...earlierFailures];
    const touchedSeries = new Set<number>();
    // DICOMDIRs add the files they list; a file already queued (the same folder dropped too, or
    // uploaded beside the DICOMDIR under its relative name) is read once.
    const queue = [...sources];
    const queued = new Set(queue.flatMap((source) => [resolve(source.path), normalize(source.displayName)]));
    let indexed = 0;
    let duplicates = 0;
    let directories = 0;
    let filesRead = 0;
    let zipEntries = 0;
    let pending: Array<{ source: ImportSource; result: HeaderReadResult }> = [];

    const flush = (): void => {
      const batch = pending;
      pending = [];
      this.db.transaction(() => {
        for (const { source, result } of batch) {
          if (result.kind === 'directory') continue;
          if (result.kind !== 'instance') {
            failures.push({ path: source.displayName, outcome: result.kind, reason: result.reason });
            continue;
          }
          const { outcome, seriesId } = this.store.addInstance(result.header, source.path);
          touchedSeries.add(seriesId);
          if (outcome === 'indexed') indexed++;
          else duplicates++;
        }
      });
      onProgress?.(progress());
    };
    const record = (source: ImportSource, result: HeaderReadResult): void => {
      pending.push({ source, result });
      if (pending.length >= WRITE_BATCH) flush();
    };
    const progress = (): ImportProgress => ({
      filesFound: queue.length + zipEntries,
      filesRead,
      indexed,
      duplicates,
      failed: failures.length,
      elapsedMs: performance.now() - started,
    });

    let next = 0;
    const readNext = async (): Promise<void> => {
      while (next < queue.length && !signal?.aborted) {
        let source = queue[next++]!;
        if (isZipName(source.displayName)) {
          filesRead++;
          await this.#importZip(source, zipCopiesInto, signal, (entry, result) => {
            // A damaged archive reports itself, already counted; its entries are new files.
            if (entry.displayName !== source.displayName) {
              zipEntries++;
              filesRead++;
            }
            if (result.kind === 'directory') directories++;
            else record(entry, result);
          });
          continue;
        }
        let result: HeaderReadResult;
        try {
          result = isNiftiName(source.displayName)
            ? await readNiftiHeader(source.path, source.displayName)
            : await readInstanceHeader(source.path);
        } catch (error) {
          const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
          result = {
            kind: 'unreadable',
            reason: missing ? 'file not found' : `cannot read file: ${errorText(error)}`,
          };
        }
        filesRead++;
        if (result.kind === 'directory') {
          directories++;
          queueDirectoryFiles(source, result.referencedFiles, queue, queued);
          continue;
        }
        if (copyInto && result.kind === 'instance') {
          try {
            source = {
              ...source,
              path: await copyInstance(source.path, result.header.sopInstanceUid, copyInto),
            };
          } catch (error) {
            result = { kind: 'unreadable', reason: `cannot copy into the library: ${errorText(error)}` };
          }
        }
        record(source, result);
      }
    };
    // Readers that find the queue empty stop; one that reads a DICOMDIR carries on with what it added.
    await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, queue.length) }, readNext));
    flush();

    let resultsDropped = 0;
    this.db.transaction(() => {
      const sources = new Set([...touchedSeries].map((id) => this.store.sourceSeriesUid(id)));
      for (const uid of sources) if (uid) resultsDropped += this.store.restack(uid);
    });
    const studies = new Set<string>();
    // Split rows may have replaced some touched ids; deleted ones simply have no study now.
    for (const seriesId of touchedSeries) {
      const uid = this.store.studyUidOfSeries(seriesId);
      if (uid) studies.add(uid);
    }
    return {
      filesFound: queue.length + zipEntries,
      filesRead,
      cancelled: signal?.aborted ?? false,
      indexed,
      duplicates,
      failures,
      directories,
      studiesTouched: [...studies],
      resultsDropped,
      elapsedMs: performance.now() - started,
    };
  }

  async #importZip(
    zip: ImportSource,
    copyInto: string | undefined,
    signal: AbortSignal | undefined,
    onEntry: (source: ImportSource, result: HeaderReadResult) => void,
  ): Promise<void> {
    if (!copyInto) {
      onEntry(zip, {
        kind: 'unreadable',
        reason: 'ZIP archives need a library folder to copy their files into',
      });
      return;
    }
    await importZip(zip, { copyInto, onEntry, ...(signal ? { signal } : {}) });
  }
}

async function copyInstance(path: string, sopInstanceUid: string, folder: string): Promise<string> {
  const target = await libraryCopyPath(folder, sopInstanceUid, extname(path));
  await copyFile(path, target);
  return target;
}

function queueDirectoryFiles(
  directory: ImportSource,
  referencedFiles: readonly string[],
  queue: ImportSource[],
  queued: Set<string>,
): void {
  const base = dirname(directory.path);
  const displayBase = dirname(directory.displayName);
  for (const relative of referencedFiles) {
    const path = resolve(base, relative);
    const displayName = join(displayBase, relative);
    if (queued.has(path) || queued.has(normalize(displayName))) continue;
    queued.add(path);
    queued.add(normalize(displayName));
    queue.push({ path, displayName });
  }
}

async function collectFiles(path: string, into: ImportSource[], failures: ImportFailure[]): Promise<void> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    failures.push({ path, outcome: 'unreadable', reason: `cannot open: ${errorText(error)}` });
    return;
  }
  if (info.isFile()) {
    into.push({ path, displayName: path });
    return;
  }
  if (!info.isDirectory()) return;
  const entries = await readdir(path, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) await collectFiles(join(path, entry.name), into, failures);
}
