import { Enums, metaData, type Types } from '@cornerstonejs/core';
import { metaData as metadataRegistry } from '@cornerstonejs/metadata';
import { INSTANCE_BATCH_MAX, instanceBatchPath, instanceIdOfUrl } from '../../src-shared/http-protocol';
import type { BatchReply, BatchRequest } from './instanceBatchWorker';
import { unwrapNaturalized } from './naturalizedTransfer';

/**
 * A series' files fetched a batch a request instead of one a request (instanceBatchPath says why),
 * by a worker that parses each file as it arrives (instanceBatchWorker says why); the page puts
 * each in Cornerstone's metadata cache, as the wadouri loader does after a fetch and parse of its
 * own, and the loader then finds the file there and only decodes it. A load of a file still on
 * its way waits for it, and moves a batch not yet sent to the front; the slice on screen does not
 * wait for a batch not yet sent, it is fetched alone. A file a batch did not bring (left out,
 * failed, aborted) is fetched by the loader alone, as before.
 */
const NATURALIZED = 'naturalized';
/** Files a request: few enough that the first slices arrive early, enough to amortise the request. */
const BATCH_FILES = Math.min(32, INSTANCE_BATCH_MAX);
/** Requests at once, over all batches of the page. */
const CONCURRENT = 2;
/**
 * Where a data set parsed by the worker joins Cornerstone's chain of NATURALIZED add providers:
 * below its cache (50,000), which keeps what the chain returns, above its own parse of a file
 * (30,000).
 */
const PARSED_PRIORITY = 40_000;

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

/** The batches in the worker, by number: what to do with each of their replies. */
const inWorker = new Map<number, (reply: BatchReply) => void>();
let batchesSent = 0;
let worker: Worker | null = null;
/** Set when the worker cannot run: every file is then fetched by the loader alone. */
let workerFailed = false;

/**
 * The worker batches are fetched and parsed by, started (once) as Cornerstone is set up, so that its
 * script is loaded and compiled before the first batch; null where it cannot run.
 */
export function startBatchWorker(): Worker | null {
  if (worker || workerFailed) return worker;
  metadataRegistry.addAddProvider(
    NATURALIZED,
    (next, query, data, options?: { parsed?: unknown }) => options?.parsed ?? next(query, data, options),
    { priority: PARSED_PRIORITY },
  );
  try {
    worker = new Worker(new URL('./instanceBatchWorker.ts', import.meta.url), { type: 'module' });
  } catch {
    workerFailed = true; // Refused (a policy): the loader fetches every file alone.
    return null;
  }
  worker.addEventListener('message', ({ data }: MessageEvent<BatchReply>) =>
    inWorker.get(data.batch)?.(data),
  );
  worker.addEventListener('error', () => {
    workerFailed = true;
    for (const [batch, handle] of inWorker) handle({ kind: 'done', batch });
  });
  return worker;
}

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
  if (
    workerFailed ||
    !imageId.startsWith('wadouri:') ||
    arriving.has(imageId) ||
    metaData.get(NATURALIZED, imageId)
  )
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

/** One request for the batch's files still wanted, made by the worker; each is put in the cache as it is parsed. */
async function fetchBatch(batch: Batch): Promise<void> {
  const wanted = [...batch.files].filter(([, arrival]) => arriving.get(arrival.imageId) === arrival);
  const port = startBatchWorker();
  if (wanted.length === 0 || batch.signal?.aborted || !port || workerFailed) {
    settleAll(batch);
    return;
  }
  for (const [, arrival] of wanted) arrival.sent = true;
  const number = batchesSent++;
  const send = (request: BatchRequest) => port.postMessage(request);
  const path = instanceBatchPath(wanted.map(([instanceId]) => instanceId));
  await new Promise<void>((done) => {
    // An abort settles the batch at once rather than at the worker's reply, which would wait behind
    // the page's work: the loads waiting on its files go on alone at once, as after a fetch of the
    // page's own.
    const abort = () => {
      send({ kind: 'abort', batch: number });
      done();
    };
    batch.signal?.addEventListener('abort', abort, { once: true });
    inWorker.set(number, (reply) => {
      if (reply.kind === 'done') {
        batch.signal?.removeEventListener('abort', abort);
        return done();
      }
      const arrival = batch.files.get(reply.instanceId);
      if (!arrival) return;
      metadataRegistry.addTyped(NATURALIZED, arrival.imageId, { parsed: unwrapNaturalized(reply.parcel) });
      arrival.settle();
    });
    send({
      kind: 'fetch',
      batch: number,
      url: new URL(path, wanted[0]![1].imageId.slice('wadouri:'.length)).href,
    });
  });
  inWorker.delete(number);
  settleAll(batch);
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
