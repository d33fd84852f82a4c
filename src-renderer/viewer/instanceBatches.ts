import { Enums, metaData, type Types } from '@cornerstonejs/core';
import { utilities as metadataUtilities } from '@cornerstonejs/metadata';
import { INSTANCE_BATCH_MAX, instanceBatchPath, instanceIdOfUrl } from '../../src-shared/http-protocol';
import { readInstanceRecords } from '../../src-shared/instance-batch-records';

/**
 * A series' files fetched a batch a request instead of one a request (instanceBatchPath says why),
 * each put in Cornerstone's metadata cache as it arrives, as its wadouri loader does after a fetch
 * of its own; the loader then finds the file there and only decodes it. A load of a file still on
 * its way waits for it, and moves a batch not yet sent to the front; the slice on screen does not
 * wait for a batch not yet sent, it is fetched alone. A file a batch did not bring (left out,
 * failed, aborted) is fetched by the loader alone, as before.
 */
const NATURALIZED = 'naturalized';
/** Files a request: few enough that the first slices arrive early, enough to amortise the request. */
const BATCH_FILES = Math.min(32, INSTANCE_BATCH_MAX);
/** Requests at once, over all batches of the page. */
const CONCURRENT = 2;

interface Batch {
  /** Instance id → its file's arrival, in the order wanted. */
  readonly files: Map<number, Arrival>;
  readonly signal: AbortSignal | undefined;
}

interface Arrival {
  readonly imageId: string;
  readonly batch: Batch;
  /** Settles once the file is in the cache, or once the batch will not bring it. */
  readonly settled: Promise<void>;
  sent: boolean;
  settle(): void;
}

const arriving = new Map<string, Arrival>();
const queue: Batch[] = [];
let running = 0;

/**
 * Fetches these images' files in batches, in the order given (the ones wanted first first).
 * Images that are not single-frame instance files, already loaded or already on their way are
 * skipped. Aborting the signal drops the batches not yet done.
 */
export function fetchInBatches(imageIds: readonly string[], signal?: AbortSignal): void {
  if (signal?.aborted) return;
  const made: Batch[] = [];
  let batch: Batch | null = null;
  for (const imageId of imageIds) {
    const instanceId = batchable(imageId);
    if (instanceId === null) continue;
    if (!batch || batch.files.size === BATCH_FILES) {
      batch = { files: new Map(), signal };
      made.push(batch);
    }
    const arrival = arrivalOf(imageId, batch);
    arriving.set(imageId, arrival);
    batch.files.set(instanceId, arrival);
  }
  queue.push(...made);
  signal?.addEventListener(
    'abort',
    () => {
      for (const dropped of made.filter((queued) => queue.includes(queued))) {
        queue.splice(queue.indexOf(dropped), 1);
        settleAll(dropped);
      }
    },
    { once: true },
  );
  runQueued();
}

/** A single-frame wadouri image of an instance URL, neither loaded nor on its way: its instance id. */
function batchable(imageId: string): number | null {
  if (!imageId.startsWith('wadouri:') || arriving.has(imageId) || metaData.get(NATURALIZED, imageId))
    return null;
  return instanceIdOfUrl(imageId.slice('wadouri:'.length));
}

function arrivalOf(imageId: string, batch: Batch): Arrival {
  let resolve!: () => void;
  const settled = new Promise<void>((done) => (resolve = done));
  const arrival: Arrival = {
    imageId,
    batch,
    settled,
    sent: false,
    settle: () => {
      if (arriving.get(imageId) === arrival) arriving.delete(imageId);
      resolve();
    },
  };
  return arrival;
}

function settleAll(batch: Batch): void {
  for (const arrival of batch.files.values()) arrival.settle();
}

function runQueued(): void {
  while (running < CONCURRENT && queue.length > 0) {
    running++;
    void fetchBatch(queue.shift()!).finally(() => {
      running--;
      runQueued();
    });
  }
}

/** One request for the batch's files still wanted; each is put in the cache as it completes. */
async function fetchBatch(batch: Batch): Promise<void> {
  const wanted = [...batch.files].filter(([, arrival]) => arriving.get(arrival.imageId) === arrival);
  try {
    if (wanted.length === 0 || batch.signal?.aborted) return;
    for (const [, arrival] of wanted) arrival.sent = true;
    const path = instanceBatchPath(wanted.map(([instanceId]) => instanceId));
    const response = await fetch(new URL(path, wanted[0]![1].imageId.slice('wadouri:'.length)), {
      signal: batch.signal,
    });
    if (!response.ok || !response.body) return;
    for await (const { instanceId, bytes } of readInstanceRecords(response.body)) {
      const arrival = batch.files.get(instanceId);
      if (!arrival) continue;
      try {
        await metadataUtilities.addDicomPart10Instance(arrival.imageId, bytes);
      } catch {
        // Not readable: the loader fetches it alone and reports the error as for any file.
      }
      arrival.settle();
      await yieldToEventLoop();
    }
  } catch {
    // Aborted or failed: whatever did not arrive is fetched by the loader alone.
  } finally {
    settleAll(batch);
  }
}

/**
 * Back to the event loop between two files: a file's parse takes a few milliseconds of the main
 * thread, and a batch already received would otherwise be parsed in one task, holding up input and
 * drawing (scrolling the stack while it prefetches).
 */
function yieldToEventLoop(): Promise<void> {
  const { scheduler } = globalThis as { scheduler?: { yield?: () => Promise<void> } };
  return scheduler?.yield ? scheduler.yield() : new Promise((resolve) => setTimeout(resolve, 0));
}

/** Moves the batches holding these images, not sent yet, to the front of the queue, the first image's first. */
export function hurryBatchesOf(imageIds: readonly string[]): void {
  for (const imageId of [...imageIds].reverse()) {
    const arrival = arriving.get(imageId);
    const at = arrival && !arrival.sent ? queue.indexOf(arrival.batch) : -1;
    if (at > 0) queue.unshift(...queue.splice(at, 1));
  }
}

/** Takes these files out of the batches not sent yet: their loads fetch them alone, at once. */
export function takeOutOfBatches(imageIds: readonly string[]): void {
  for (const imageId of imageIds) {
    const arrival = arriving.get(imageId);
    if (arrival && !arrival.sent) arrival.settle();
  }
}

/** A loader that waits for a file on its way in a batch before loading its image (see above). */
export function afterBatchedFetch(load: Types.ImageLoaderFn): Types.ImageLoaderFn {
  return (imageId, options) => {
    const arrival = arriving.get(imageId);
    if (!arrival) return load(imageId, options);
    if (!arrival.sent) {
      const { requestType } = (options ?? {}) as { requestType?: Enums.RequestType };
      if (requestType === Enums.RequestType.Interaction) {
        takeOutOfBatches([imageId]);
        return load(imageId, options);
      }
      hurryBatchesOf([imageId]);
    }
    return { promise: arrival.settled.then(() => load(imageId, options).promise) };
  };
}
