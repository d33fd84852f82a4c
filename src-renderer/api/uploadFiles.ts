import type { ImportReport } from '../../src-shared/api';
import {
  UPLOAD_PART_MAX_FILES,
  uploadDiscardPath,
  uploadImportPath,
  uploadPartHead,
  uploadPath,
} from '../../src-shared/http-protocol';
import { relativePathOf } from './filePaths';
import { failureOf } from './httpRpc';

/** Enough parallel PUTs to hide latency without flooding the loopback server. */
const CONCURRENCY = 4;
/** A part's files stop here unless one file alone is larger (about 20 CT slices of 512²). */
const PART_BYTES = 4 * 1024 * 1024;

/** Uploads under way; Cancel aborts them (the server-side import has its own cancel). */
const uploading = new Set<AbortController>();

/** Aborts every upload under way; returns how many there were. */
export function cancelUploads(): number {
  const count = uploading.size;
  for (const controller of uploading) controller.abort();
  return count;
}

/** The files in upload parts, in order: each part up to PART_BYTES and UPLOAD_PART_MAX_FILES. */
function partsOf(files: readonly File[]): File[][] {
  const parts: File[][] = [];
  let part: File[] = [];
  let bytes = 0;
  for (const file of files) {
    if (part.length > 0 && (part.length === UPLOAD_PART_MAX_FILES || bytes + file.size > PART_BYTES)) {
      parts.push(part);
      [part, bytes] = [[], 0];
    }
    part.push(file);
    bytes += file.size;
  }
  if (part.length > 0) parts.push(part);
  return parts;
}

/** Uploads every file of one batch, several to a request, then asks the server to import the batch. */
export async function uploadAndImport(files: readonly File[]): Promise<ImportReport> {
  const batchId = crypto.randomUUID();
  const started = performance.now();
  const controller = new AbortController();
  uploading.add(controller);
  const parts = partsOf(files);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < parts.length && !controller.signal.aborted) {
      const index = next++;
      const part = parts[index]!;
      const head = uploadPartHead(part.map((file) => ({ name: relativePathOf(file), size: file.size })));
      const response = await fetch(uploadPath(batchId, index), {
        method: 'PUT',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/octet-stream' },
        // The browser streams the files from disk into the body.
        body: new Blob([head, ...part]),
        signal: controller.signal,
      });
      if (!response.ok) throw await failureOf(response);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, parts.length) }, worker));
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  } finally {
    uploading.delete(controller);
  }
  if (controller.signal.aborted) {
    await fetch(uploadDiscardPath(batchId), { method: 'POST', credentials: 'same-origin' });
    return cancelledDuringUpload(files.length, performance.now() - started);
  }
  const response = await fetch(uploadImportPath(batchId), { method: 'POST', credentials: 'same-origin' });
  if (!response.ok) throw await failureOf(response);
  return (await response.json()) as ImportReport;
}

/** Nothing was read: the files never reached the library. */
function cancelledDuringUpload(filesFound: number, elapsedMs: number): ImportReport {
  return {
    filesFound,
    filesRead: 0,
    cancelled: true,
    indexed: 0,
    duplicates: 0,
    failures: [],
    directories: 0,
    studiesTouched: [],
    resultsDropped: 0,
    elapsedMs,
  };
}
