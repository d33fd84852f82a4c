/**
 * Keeps one inference process running and supervises it: starts it, waits for `ready`, matches
 * replies to requests, watches a heartbeat, ends it when a request outlives its timeout or the
 * heartbeat stops (a hang), and starts a new one after a crash with a growing delay. A request the
 * dead process held fails with InferenceProcessError, so the caller can retry it; an error the
 * process itself reports (a broken model, a bad input) fails with InferenceModelError, which a
 * retry would only repeat.
 */
import type {
  ClassifierSpec,
  ClassifyResult,
  InferenceEvent,
  InferenceRequest,
  ModelIo,
  ModelSpec,
  SegmentResult,
  SegmentStage,
  SeriesVolume,
} from '../../src-shared/inference-protocol';
import type { InferenceChannel, InferenceChannelFactory } from './inference-channel';

/** The process died, hung or ran out of time: worth another try on a fresh process. */
export class InferenceProcessError extends Error {}
/** The process answered with an error of the model or the input: a retry would fail the same way. */
export class InferenceModelError extends Error {}

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

/** 'stopped': none running; one starts with the next request (after a crash, once its backoff has passed). */
export type InferenceProcessState = 'stopped' | 'starting' | 'idle' | 'busy' | 'shut-down';

export interface InferenceProcessStatus {
  readonly state: InferenceProcessState;
  readonly pid: number | null;
  readonly executionProviders: readonly string[];
  readonly runtimeVersion: string | null;
  /** Starts after the first: each one followed a crash, a hang, a timeout or a cancellation. */
  readonly restarts: number;
  readonly lastExit: string | null;
  /** Resident memory at the last heartbeat. */
  readonly rssBytes: number | null;
}

export interface SupervisionOptions {
  /** How often a busy process is pinged. */
  readonly heartbeatMs: number;
  /** No pong for this long while busy: the process is hung and is ended. */
  readonly hangMs: number;
  /** Delay before the first restart after a crash; doubles per consecutive crash. */
  readonly restartBackoffMs: number;
  readonly maxRestartBackoffMs: number;
}

export const DEFAULT_SUPERVISION: SupervisionOptions = {
  heartbeatMs: 2_000,
  // The worker answers pings between stages only: conforming and onnxruntime's run keep its event
  // loop busy (17 s for MeshNet on two loaded cores), so the bound must exceed one stage. The job
  // timeout, scaled to the input, bounds the whole request.
  hangMs: 120_000,
  restartBackoffMs: 250,
  maxRestartBackoffMs: 8_000,
};

export class InferenceProcess {
  #channel: InferenceChannel | null = null;
  #ready: Promise<InferenceProcessInfo> | null = null;
  #info: InferenceProcessInfo | null = null;
  #nextRequestId = 1;
  readonly #pending = new Map<number, Pending>();
  #closed = false;
  #starts = 0;
  #consecutiveCrashes = 0;
  #lastExit: string | null = null;
  #rssBytes: number | null = null;
  /** Why main ended the process itself, told to the requests it held. */
  #endReason: string | null = null;
  /** A hang or a timeout counts like a crash for the restart delay; a cancellation does not. */
  #endIsFault = true;
  #heartbeat: NodeJS.Timeout | null = null;
  #lastPongAt = 0;
  #busyRequests = 0;
  readonly #supervision: SupervisionOptions;

  constructor(
    private readonly entryFile: string,
    private readonly start: InferenceChannelFactory,
    supervision: Partial<SupervisionOptions> = {},
  ) {
    this.#supervision = { ...DEFAULT_SUPERVISION, ...supervision };
  }

  /** Starts the process if it is not running and resolves when it has said `ready`. */
  ensureStarted(): Promise<InferenceProcessInfo> {
    if (this.#closed) return Promise.reject(new InferenceProcessError('the inference process was shut down'));
    if (this.#ready) return this.#ready;
    const delay =
      this.#consecutiveCrashes === 0
        ? 0
        : Math.min(
            this.#supervision.restartBackoffMs * 2 ** (this.#consecutiveCrashes - 1),
            this.#supervision.maxRestartBackoffMs,
          );
    this.#ready = new Promise<void>((resolve) => setTimeout(resolve, delay)).then(() => this.#launch());
    return this.#ready;
  }

  #launch(): Promise<InferenceProcessInfo> {
    if (this.#closed) return Promise.reject(new InferenceProcessError('the inference process was shut down'));
    const channel = this.start(this.entryFile);
    this.#channel = channel;
    this.#starts++;
    this.#endReason = null;
    this.#endIsFault = true;
    return new Promise<InferenceProcessInfo>((resolve, reject) => {
      channel.onEvent((event) => {
        if (event.type === 'ready') {
          this.#info = {
            pid: event.pid,
            executionProviders: event.executionProviders,
            runtimeVersion: event.runtimeVersion,
          };
          this.#lastPongAt = Date.now();
          resolve(this.#info);
          return;
        }
        this.#route(event);
      });
      channel.onExit((description) => {
        reject(new InferenceProcessError(`the inference process failed to start: ${description}`));
        this.#onExit(channel, description);
      });
    });
  }

  /**
   * Segments a volume. `timeoutMs` bounds the whole request: past it the process is ended (a
   * fresh one starts for the next request) and the request fails with InferenceProcessError.
   */
  segment(
    model: ModelSpec,
    volume: SeriesVolume,
    onProgress?: (stage: SegmentStage, fraction: number) => void,
    timeoutMs?: number,
  ): Promise<SegmentResult> {
    return this.#runModel(
      (requestId) => ({ type: 'segment', requestId, model, volume }),
      (reply) => (reply.type === 'segment-result' ? reply.result : undefined),
      onProgress,
      timeoutMs,
    );
  }

  /** Classifies a batch of preprocessed 2D images (`count` of them, end to end in `input`) in one `session.run`. */
  classify(
    model: ClassifierSpec,
    input: Float32Array,
    count: number,
    timeoutMs?: number,
  ): Promise<ClassifyResult> {
    return this.#runModel(
      (requestId) => ({ type: 'classify', requestId, model, input, count }),
      (reply) => (reply.type === 'classify-result' ? reply.result : undefined),
      undefined,
      timeoutMs,
    );
  }

  /**
   * One model run: bounded by its deadline and counted as busy while it lasts. A reply `resultOf`
   * does not accept is a model error; an accepted one resets the crash count.
   */
  async #runModel<R>(
    request: (requestId: number) => InferenceRequest,
    resultOf: (reply: InferenceEvent) => R | undefined,
    onProgress: ((stage: SegmentStage, fraction: number) => void) | undefined,
    timeoutMs: number | undefined,
  ): Promise<R> {
    await this.ensureStarted();
    const requestId = this.#nextRequestId++;
    const channel = this.#channel!;
    const timer = this.#deadline(channel, timeoutMs);
    this.#busy(+1);
    try {
      const reply = await new Promise<InferenceEvent>((resolve, reject) => {
        this.#pending.set(requestId, { resolve, reject, onProgress });
        channel.send(request(requestId));
      });
      const result = resultOf(reply);
      if (result !== undefined) {
        this.#consecutiveCrashes = 0;
        return result;
      }
      throw new InferenceModelError(
        reply.type === 'error' ? reply.message : `unexpected reply ${reply.type}`,
      );
    } finally {
      if (timer) clearTimeout(timer);
      this.#busy(-1);
    }
  }

  /** The inputs and outputs of a model file, as the runtime opens it (model installation). */
  async inspect(path: string): Promise<ModelIo> {
    await this.ensureStarted();
    const requestId = this.#nextRequestId++;
    const reply = await new Promise<InferenceEvent>((resolve, reject) => {
      this.#pending.set(requestId, { resolve, reject, onProgress: undefined });
      this.#channel!.send({ type: 'inspect', requestId, path });
    });
    if (reply.type === 'inspect-result') return reply.io;
    throw new InferenceModelError(reply.type === 'error' ? reply.message : `unexpected reply ${reply.type}`);
  }

  async ping(): Promise<number> {
    await this.ensureStarted();
    const requestId = this.#nextRequestId++;
    const reply = await new Promise<InferenceEvent>((resolve, reject) => {
      this.#pending.set(requestId, { resolve, reject, onProgress: undefined });
      this.#channel!.send({ type: 'ping', requestId });
    });
    if (reply.type !== 'pong') throw new InferenceProcessError(`unexpected reply ${reply.type}`);
    this.#rssBytes = reply.rssBytes;
    return reply.rssBytes;
  }

  get pid(): number | undefined {
    return this.#channel?.pid;
  }

  status(): InferenceProcessStatus {
    let state: InferenceProcessState;
    if (this.#closed) state = 'shut-down';
    else if (!this.#ready) state = 'stopped';
    else if (!this.#channel || !this.#info) state = 'starting';
    else state = this.#busyRequests > 0 ? 'busy' : 'idle';
    return {
      state,
      pid: this.#channel?.pid ?? null,
      executionProviders: this.#info?.executionProviders ?? [],
      runtimeVersion: this.#info?.runtimeVersion ?? null,
      restarts: Math.max(0, this.#starts - 1),
      lastExit: this.#lastExit,
      rssBytes: this.#rssBytes,
    };
  }

  /** Ends the process at once (cancellation, tests); the next request starts a new one at once. */
  kill(reason = 'ended by the app'): void {
    if (this.#channel) this.#end(this.#channel, reason, false);
  }

  shutdown(): void {
    this.#closed = true;
    this.#stopHeartbeat();
    this.#channel?.kill();
  }

  #end(channel: InferenceChannel, reason: string, isFault = true): void {
    if (this.#channel !== channel) return;
    this.#endReason = reason;
    this.#endIsFault = isFault;
    channel.kill();
  }

  /** Ends the process when a request outlives `timeoutMs` (none when undefined). */
  #deadline(channel: InferenceChannel, timeoutMs: number | undefined): NodeJS.Timeout | null {
    if (timeoutMs === undefined) return null;
    return setTimeout(
      () => this.#end(channel, `timed out after ${Math.round(timeoutMs / 1000)} s`),
      timeoutMs,
    );
  }

  #busy(delta: number): void {
    this.#busyRequests += delta;
    if (this.#busyRequests > 0 && !this.#heartbeat) {
      this.#lastPongAt = Date.now();
      this.#heartbeat = setInterval(() => this.#beat(), this.#supervision.heartbeatMs);
      this.#heartbeat.unref();
    } else if (this.#busyRequests === 0) {
      this.#stopHeartbeat();
    }
  }

  #beat(): void {
    const channel = this.#channel;
    if (!channel || !this.#info) return;
    const silentMs = Date.now() - this.#lastPongAt;
    if (silentMs > this.#supervision.hangMs) {
      this.#end(channel, `hung: no heartbeat for ${Math.round(silentMs / 1000)} s`);
      return;
    }
    const requestId = this.#nextRequestId++;
    this.#pending.set(requestId, {
      resolve: (event) => {
        if (event.type !== 'pong') return;
        this.#lastPongAt = Date.now();
        this.#rssBytes = event.rssBytes;
      },
      reject: () => undefined,
      onProgress: undefined,
    });
    channel.send({ type: 'ping', requestId });
  }

  #stopHeartbeat(): void {
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    this.#heartbeat = null;
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
    const reason = this.#endReason ?? description;
    this.#channel = null;
    this.#ready = null;
    this.#info = null;
    this.#lastExit = reason;
    if (this.#endIsFault) this.#consecutiveCrashes++;
    const failed = [...this.#pending.values()];
    this.#pending.clear();
    for (const pending of failed) {
      pending.reject(new InferenceProcessError(`the inference process stopped (${reason})`));
    }
  }
}
