import {
  cache,
  Enums,
  imageLoader,
  imageLoadPoolManager,
  metaData,
  type StackViewport,
} from '@cornerstonejs/core';
import { fetchInBatches, hurryBatchesOf } from './instanceBatches';
import { nextPrefetchIndex, prefetchOrder, prefetchReach } from './prefetchOrder';

/**
 * Decoded bytes the stacks may prefetch, shared equally among those prefetching: one stack fits a
 * 1,000-slice 512² CT (about 500 MB of 16-bit slices) whole, and those are the images an MPR volume
 * of the series is then built from (it reuses the cached images, no second copy); in a 2x2 grid each
 * gets a quarter. A series larger than its share gets the slices nearest the shown one that fit.
 * Slices prefetched before a share shrank stay until Cornerstone's cache needs the room.
 */
export const PREFETCH_BUDGET_BYTES = 512 * 1024 * 1024;

/** The stacks prefetching now, one per stack viewport showing a series. */
const sharing = new Set<StackPrefetch>();

function shareBudget(): void {
  for (const prefetch of sharing) prefetch.takeShare(sharing.size);
}

/**
 * Prefetch requests of one stack queued or running at once. Few, so that the shown slice's decode
 * waits behind at most these, and each next pick starts from where the reader is now (a jump
 * re-centres within a request or two).
 */
const IN_FLIGHT = 2;
/** Lower than an MPR volume's slices (5) in Cornerstone's pools; lower numbers go first. */
const PRIORITY = 10;

interface TransferSyntaxModule {
  transferSyntaxUID?: string;
}

/**
 * Loads a stack's slices into Cornerstone's image cache, nearest the shown slice first, once the
 * first slice is on screen. The stack viewport's own loads (the shown slice) bypass the request pool
 * and decode as interaction requests, so prefetch never delays them beyond the few of its own
 * already running.
 */
export class StackPrefetch {
  private imageIds: readonly string[] = [];
  /** How many slices around the shown one may be prefetched. */
  private reach = 0;
  private sliceBytes = 0;
  private readonly requested = new Set<number>();
  private inFlight = 0;
  /** Bumped on every start and stop: completions of an earlier stack are ignored. */
  private generation = 0;
  /** Our requests still waiting in Cornerstone's pool, to take out on stop. */
  private readonly queued = new Set<() => Promise<void>>();
  /** Aborts the stack's file batches still running. */
  private batches = new AbortController();
  private readonly onNewImage = (): void => {
    // After a jump, the files around the new slice are fetched next.
    const shown = this.viewport().getTargetImageIdIndex();
    hurryBatchesOf([shown, shown + 1, shown - 1].flatMap((index) => this.imageIds[index] ?? []));
    this.fill();
  };

  constructor(
    private readonly element: HTMLDivElement,
    private readonly viewport: () => StackViewport,
  ) {
    element.addEventListener(Enums.Events.STACK_NEW_IMAGE, this.onNewImage);
  }

  /** Starts on a stack whose first slice is shown; `sliceBytes` is that slice's decoded size. */
  start(imageIds: readonly string[], sliceBytes: number): void {
    this.forget();
    this.imageIds = imageIds;
    this.sliceBytes = sliceBytes;
    sharing.add(this);
    shareBudget();
  }

  /**
   * Sets the reach to this stack's share of the budget among `stacks`, fetches the files within it
   * in batches, nearest the shown slice first, and requests the slices it allows.
   */
  takeShare(stacks: number): void {
    this.reach = prefetchReach(PREFETCH_BUDGET_BYTES, stacks, this.sliceBytes, this.imageIds.length);
    const centre = this.viewport().getTargetImageIdIndex();
    const order = prefetchOrder(centre, this.imageIds.length, this.reach);
    fetchInBatches(
      order.map((index) => this.imageIds[index]!),
      this.batches.signal,
    );
    this.fill();
  }

  /** Forgets the stack and leaves its share of the budget to the other stacks. */
  stop(): void {
    this.forget();
    if (sharing.delete(this)) shareBudget();
  }

  /** Drops the stack's queued requests (the one or two running finish into the cache) and file batches. */
  private forget(): void {
    this.generation++;
    this.batches.abort();
    this.batches = new AbortController();
    this.imageIds = [];
    this.requested.clear();
    this.inFlight = 0;
    imageLoadPoolManager.filterRequests(
      (request) => !this.queued.has(request.requestFn as () => Promise<void>),
    );
    this.queued.clear();
  }

  destroy(): void {
    this.stop();
    this.element.removeEventListener(Enums.Events.STACK_NEW_IMAGE, this.onNewImage);
  }

  /**
   * Requests the next slices, up to the few allowed at once. Not while the viewport is hidden (MPR
   * open): the volume loads the same images itself, and two loads at once raise the peak memory.
   */
  fill(): void {
    if (!this.element.checkVisibility()) return;
    while (this.inFlight < IN_FLIGHT) {
      const index = this.nextIndex();
      if (index === null) return;
      this.request(index);
    }
  }

  /** The slice nearest the one asked for within reach, neither cached nor requested. */
  private nextIndex(): number | null {
    if (this.imageIds.length === 0) return null;
    return nextPrefetchIndex(
      this.viewport().getTargetImageIdIndex(),
      this.imageIds.length,
      this.reach,
      (index) => !this.requested.has(index) && !cache.getImageLoadObject(this.imageIds[index]!),
    );
  }

  private request(index: number): void {
    const imageId = this.imageIds[index]!;
    const generation = this.generation;
    this.requested.add(index);
    this.inFlight++;
    const { transferSyntaxUID } = (metaData.get('transferSyntax', imageId) ?? {}) as TransferSyntaxModule;
    // The stack viewport's own loader options (a cached image must serve it as is), at prefetch priority.
    const options = {
      useRGBA: false,
      transferSyntaxUID,
      priority: PRIORITY,
      requestType: Enums.RequestType.Prefetch,
      additionalDetails: { imageId, imageIdIndex: index },
    };
    const done = (): void => {
      if (generation !== this.generation) return;
      this.inFlight--;
      this.fill();
    };
    const load = (): Promise<void> => {
      this.queued.delete(load);
      // A slice that fails stays requested (not retried); the viewport reports it if the reader goes there.
      return imageLoader.loadAndCacheImage(imageId, options).then(done, done);
    };
    this.queued.add(load);
    imageLoadPoolManager.addRequest(load, Enums.RequestType.Prefetch, { imageId }, PRIORITY);
  }
}
