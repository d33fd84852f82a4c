import { describe, expect, it } from 'vitest';
import { batchesJobs, DEFAULT_JOB_POLICY } from './job-policy';

describe('job policy: batching', () => {
  const auto = DEFAULT_JOB_POLICY;

  it("batches in 'auto' on an accelerator and on a CPU of 8 cores or more", () => {
    expect(auto.batching).toBe('auto');
    expect(batchesJobs(auto, 'webgpu', 2)).toBe(true);
    expect(batchesJobs(auto, 'cuda', 2)).toBe(true);
    expect(batchesJobs(auto, 'cpu', 16)).toBe(true);
    expect(batchesJobs(auto, 'cpu', 8)).toBe(true);
  });

  it("runs jobs alone in 'auto' on a small CPU and before the model's first run", () => {
    expect(batchesJobs(auto, 'cpu', 2)).toBe(false);
    expect(batchesJobs(auto, 'cpu', 7)).toBe(false);
    expect(batchesJobs(auto, null, 16)).toBe(false);
  });

  it("obeys 'on' and 'off', and a largest batch of one", () => {
    expect(batchesJobs({ ...auto, batching: 'on' }, null, 2)).toBe(true);
    expect(batchesJobs({ ...auto, batching: 'off' }, 'webgpu', 16)).toBe(false);
    expect(batchesJobs({ ...auto, batching: 'on', maxBatchSize: 1 }, 'webgpu', 16)).toBe(false);
  });
});
