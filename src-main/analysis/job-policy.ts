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
   * 2D classification: how long the first queued job waits for others of the same model to join
   * its batch (0: no batching, each job runs alone), and the largest batch.
   */
  readonly batchWindowMs: number;
  readonly maxBatchSize: number;
}

export const DEFAULT_JOB_POLICY: JobPolicy = {
  maxRetries: 3,
  retryBackoffMs: 500,
  timeoutBaseMs: 60_000,
  // MeshNet's 256^3 input (16.8 M voxels) on two busy cores: a few minutes at most.
  timeoutMsPerMegavoxel: 15_000,
  // Off: on the CPU a batch of 4 or 8 ran no more images per second than one by one (docs/benchmarks.md),
  // so waiting for a batch would only add latency. A GPU may differ; it could not be measured here.
  batchWindowMs: 0,
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
