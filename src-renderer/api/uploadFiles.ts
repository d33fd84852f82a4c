import type { ImportReport } from '../../src-shared/api';
import { UPLOAD_NAME_HEADER, uploadImportPath, uploadPath } from '../../src-shared/http-protocol';
import { relativePathOf } from './filePaths';
import { failureOf } from './httpRpc';

/** Enough parallel PUTs to hide latency without flooding the loopback server. */
const CONCURRENCY = 4;

/** Uploads every file of one batch, then asks the server to import the batch. */
export async function uploadAndImport(files: readonly File[]): Promise<ImportReport> {
  const batchId = crypto.randomUUID();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
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
      });
      if (!response.ok) throw await failureOf(response);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, files.length) }, worker));
  const response = await fetch(uploadImportPath(batchId), { method: 'POST', credentials: 'same-origin' });
  if (!response.ok) throw await failureOf(response);
  return (await response.json()) as ImportReport;
}
