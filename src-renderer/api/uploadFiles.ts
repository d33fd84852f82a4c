import type { ImportReport } from '../../src-shared/api';
import {
  UPLOAD_NAME_HEADER,
  uploadDiscardPath,
  uploadImportPath,
  uploadPath,
} from '../../src-shared/http-protocol';
import { relativePathOf } from './filePaths';
import { failureOf } from './httpRpc';

/** Enough parallel PUTs to hide latency without flooding the loopback server. */
const CONCURRENCY = 4;

/** Uploads under way; Cancel aborts them (the server-side import has its own cancel). */
const uploading = new Set<AbortController>();

/** Aborts every upload under way; returns how many there were. */
export function cancelUploads(): number {
  const count = uploading.size;
  for (const controller of uploading) controller.abort();
  return count;
}

/** Uploads every file of one batch, then asks the server to import the batch. */
export async function uploadAndImport(files: readonly File[]): Promise<ImportReport> {
  const batchId = crypto.randomUUID();
  const started = performance.now();
  const controller = new AbortController();
  uploading.add(controller);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length && !controller.signal.aborted) {
      const index = next++;
      const file = files[index]!;
      const response = await fetch(uploadPath(batchId, index), {
        method: 'PUT',
        credentials: 'same-origin',
        headers: {
          'content-type': 'application/octet-stream',
          [UPLOAD_NAME_HEADER]: encodeURIComponent(relativePathOf(file)),
        },
        body: file,
        signal: controller.signal,
      });
      if (!response.ok) throw await failureOf(response);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, files.length) }, worker));
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
