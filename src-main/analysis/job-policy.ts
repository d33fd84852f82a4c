/**
 * How long a job may run and how long to wait before retrying it: pure functions of the input's
 * size and the execution provider, so they can be tested and tuned in one place.
 */

export interface JobPolicy {
  /** Retries after the first attempt, for a process that died, hung or timed out. */
  readonly maxRetries: number;
  /** Wait before the first retry; doubles for each further one. */
  readonly retryBackoffMs: number;
  /** Fixed part of every timeout (process start, session creation). */
  readonly timeoutBaseMs: number;
  /** Per million voxels (series plus model input) on the CPU; other providers get a share of it. */
  readonly timeoutMsPerMegavoxel: number;
  /**
   * 2D classification: whether jobs of one model queued within `batchWindowMs` of the first run
   * with it as one request (up to `maxBatchSize`). 'auto' batches only where it was measured to pay
   * (docs/benchmarks.md): a batch of 8 ran 8.6x the images/s of single images on WebGPU (H100) and
   * 1.9x on 16 CPU cores, but no more on 2 cores, where the wait only adds latency.
   */
  readonly batching: 'auto' | 'on' | 'off';
  readonly batchWindowMs: number;
  readonly maxBatchSize: number;
}

export const DEFAULT_JOB_POLICY: JobPolicy = {
  maxRetries: 3,
  retryBackoffMs: 500,
  timeoutBaseMs: 60_000,
  // MeshNet's 256^3 input (16.8 M voxels) on two busy cores: a few minutes at most.
  timeoutMsPerMegavoxel: 15_000,
  batching: 'auto',
  batchWindowMs: 20,
  maxBatchSize: 8,
};

/** An accelerator is expected to be several times faster; the margin stays generous. */
const PROVIDER_SHARE: Readonly<Record<string, number>> = {
  cpu: 1,
  cuda: 0.25,
  dml: 0.35,
  coreml: 0.35,
  webgpu: 0.5,
};

export function timeoutMs(policy: JobPolicy, voxels: number, provider: string | null): number {
  const share = PROVIDER_SHARE[provider ?? 'cpu'] ?? 1;
  return Math.round(policy.timeoutBaseMs + (voxels / 1e6) * policy.timeoutMsPerMegavoxel * share);
}

/** CPUs with at least this many cores batch in 'auto': 16 gained, 2 did not (8 is the judgement between). */
const BATCHING_CPU_CORES = 8;

/**
 * Whether a classifier's jobs are batched, given the provider its last run used (null before its
 * first run, which then runs alone rather than wait) and the machine's cores.
 */
export function batchesJobs(policy: JobPolicy, provider: string | null, cores: number): boolean {
  if (policy.maxBatchSize < 2 || policy.batching === 'off') return false;
  if (policy.batching === 'on') return true;
  if (provider === null) return false;
  return provider !== 'cpu' || cores >= BATCHING_CPU_CORES;
}

/** Delay before retry number `retry` (1-based). */
export function retryDelayMs(policy: JobPolicy, retry: number): number {
  return policy.retryBackoffMs * 2 ** (retry - 1);
}

/**
 * Memory one segmentation needs in the inference process: the series volume and its labels, the
 * conformed input, the logits, and MeshNet-like activations at full resolution.
 */
export function segmentationBytes(seriesVoxels: number, conformSize: number, classCount: number): number {
  const conformVoxels = conformSize ** 3;
  return seriesVoxels * 5 + conformVoxels * 4 * (classCount + 8);
}
