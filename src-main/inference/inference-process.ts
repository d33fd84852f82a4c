/**
 * Keeps one inference process running and talks to it: starts it, waits for `ready`, matches
 * replies to requests, and starts a new one when it dies (the request it held fails with the reason,
 * so the caller can retry it).
 */
import type {
  InferenceEvent,
  ModelSpec,
  SegmentResult,
  SegmentStage,
  SeriesVolume,
} from '../../src-shared/inference-protocol';
import type { InferenceChannel, InferenceChannelFactory } from './inference-channel';

export class InferenceProcessError extends Error {}

interface Pending {
  readonly resolve: (event: InferenceEvent) => void;
  readonly reject: (error: Error) => void;
  readonly onProgress: ((stage: SegmentStage, fraction: number) => void) | undefined;
}

export interface InferenceProcessInfo {
  readonly pid: number | undefined;
  readonly executionProviders: readonly string[];
  readonly runtimeVersion: string;
}

export class InferenceProcess {
  #channel: InferenceChannel | null = null;
  #ready: Promise<InferenceProcessInfo> | null = null;
  #nextRequestId = 1;
  readonly #pending = new Map<number, Pending>();
  #closed = false;

  constructor(
    private readonly entryFile: string,
    private readonly start: InferenceChannelFactory,
  ) {}

  /** Starts the process if it is not running and resolves when it has said `ready`. */
  ensureStarted(): Promise<InferenceProcessInfo> {
    if (this.#closed) return Promise.reject(new InferenceProcessError('the inference process was shut down'));
    if (this.#ready) return this.#ready;
    const channel = this.start(this.entryFile);
    this.#channel = channel;
    this.#ready = new Promise<InferenceProcessInfo>((resolve, reject) => {
      channel.onEvent((event) => {
        if (event.type === 'ready') {
          resolve({
            pid: event.pid,
            executionProviders: event.executionProviders,
            runtimeVersion: event.runtimeVersion,
          });
          return;
        }
        this.#route(event);
      });
      channel.onExit((description) => {
        reject(new InferenceProcessError(`the inference process failed to start: ${description}`));
        this.#onExit(channel, description);
      });
    });
    return this.#ready;
  }

  async segment(
    model: ModelSpec,
    volume: SeriesVolume,
    onProgress?: (stage: SegmentStage, fraction: number) => void,
  ): Promise<SegmentResult> {
    await this.ensureStarted();
    const requestId = this.#nextRequestId++;
    const reply = await new Promise<InferenceEvent>((resolve, reject) => {
      this.#pending.set(requestId, { resolve, reject, onProgress });
      this.#channel!.send({ type: 'segment', requestId, model, volume });
    });
    if (reply.type === 'segment-result') return reply.result;
    throw new InferenceProcessError(
      reply.type === 'error' ? reply.message : `unexpected reply ${reply.type}`,
    );
  }

  async ping(): Promise<number> {
    await this.ensureStarted();
    const requestId = this.#nextRequestId++;
    const reply = await new Promise<InferenceEvent>((resolve, reject) => {
      this.#pending.set(requestId, { resolve, reject, onProgress: undefined });
      this.#channel!.send({ type: 'ping', requestId });
    });
    if (reply.type !== 'pong') throw new InferenceProcessError(`unexpected reply ${reply.type}`);
    return reply.rssBytes;
  }

  get pid(): number | undefined {
    return this.#channel?.pid;
  }

  /** Ends the process at once (cancellation, tests); the next request starts a new one. */
  kill(): void {
    this.#channel?.kill();
  }

  shutdown(): void {
    this.#closed = true;
    this.#channel?.kill();
  }

  #route(event: InferenceEvent): void {
    if (event.type === 'ready') return;
    const pending = this.#pending.get(event.requestId);
    if (!pending) return;
    if (event.type === 'progress') {
      pending.onProgress?.(event.stage, event.fraction);
      return;
    }
    this.#pending.delete(event.requestId);
    pending.resolve(event);
  }

  #onExit(channel: InferenceChannel, description: string): void {
    if (this.#channel !== channel) return;
    this.#channel = null;
    this.#ready = null;
    const failed = [...this.#pending.values()];
    this.#pending.clear();
    for (const pending of failed) {
      pending.reject(new InferenceProcessError(`the inference process stopped (${description})`));
    }
  }
}
