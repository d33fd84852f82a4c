/**
 * The worker that fetches batches of instance files and parses each into Cornerstone's naturalized
 * form, so that the page's main thread, which draws and takes input, only puts the results in the
 * metadata cache: parsing a file with dcmjs takes a few milliseconds, the main thread's largest
 * share of loading a series (docs/benchmarks.md, "Files parsed in a worker").
 */
import { naturalizePart10Buffer } from '@cornerstonejs/metadata/utilities/metadataProvider/naturalizedHandlers';
import { readInstanceRecords } from '../../src-shared/instance-batch-records';
import { wrapNaturalized, type NaturalizedParcel } from './naturalizedTransfer';

/** From the page: fetch a batch (its URL names the instances), or stop fetching one. */
export type BatchRequest = { kind: 'fetch'; batch: number; url: string } | { kind: 'abort'; batch: number };

/** To the page: one instance of a batch parsed, or a batch done (whatever it did not bring, it will not). */
export type BatchReply =
  | { kind: 'instance'; batch: number; instanceId: number; parcel: NaturalizedParcel }
  | { kind: 'done'; batch: number };

const fetching = new Map<number, AbortController>();

function reply(message: BatchReply, transfer: Transferable[] = []): void {
  self.postMessage(message, { transfer });
}

async function fetchBatch(batch: number, url: string): Promise<void> {
  const controller = new AbortController();
  fetching.set(batch, controller);
  try {
    const response = await fetch(url, { signal: controller.signal });
    if (!response.ok || !response.body) return;
    for await (const { instanceId, bytes } of readInstanceRecords(response.body)) {
      let naturalized: Record<string, unknown>;
      try {
        naturalized = (await naturalizePart10Buffer(bytes)) as Record<string, unknown>;
      } catch {
        continue; // Not readable: the page's loader fetches it alone and reports the error.
      }
      const { parcel, transfer } = wrapNaturalized(naturalized);
      reply({ kind: 'instance', batch, instanceId, parcel }, transfer);
    }
  } catch {
    // Aborted or failed: the page's loader fetches whatever did not arrive alone.
  } finally {
    fetching.delete(batch);
    reply({ kind: 'done', batch });
  }
}

self.addEventListener('message', ({ data }: MessageEvent<BatchRequest>) => {
  if (data.kind === 'abort') fetching.get(data.batch)?.abort();
  else void fetchBatch(data.batch, data.url);
});
