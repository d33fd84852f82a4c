/** The status panel's figures per model: throughput, failure rate and latency percentiles. */
import type { LatencyPercentiles, ModelJobStats } from '../../src-shared/api';
import type { JobRow } from './job-store';

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

function percentiles(values: number[]): LatencyPercentiles | null {
  if (values.length === 0) return null;
  values.sort((a, b) => a - b);
  return { p50: percentile(values, 50), p95: percentile(values, 95), p99: percentile(values, 99) };
}

/**
 * `windowMinutes` is the span the jobs per minute are taken over (60 for the last hour); when
 * null, the span from the first job's creation to the last one's end.
 */
export function modelStats(rows: readonly JobRow[], windowMinutes: number | null): ModelJobStats[] {
  const byModel = new Map<string, JobRow[]>();
  for (const row of rows) byModel.set(row.model_id, [...(byModel.get(row.model_id) ?? []), row]);
  return [...byModel].map(([modelId, jobs]) => {
    const failed = jobs.filter((job) => job.state === 'failed').length;
    const first = Math.min(...jobs.map((job) => Date.parse(job.created_at)));
    const last = Math.max(...jobs.map((job) => Date.parse(job.finished_at ?? job.created_at)));
    const minutes = windowMinutes ?? Math.max((last - first) / 60_000, 1 / 60);
    const done = jobs.filter((job) => job.state === 'completed');
    return {
      modelId,
      finished: jobs.length,
      failed,
      jobsPerMinute: jobs.length / minutes,
      failureRate: failed / jobs.length,
      queueMs: percentiles(done.flatMap((job) => (job.queue_ms === null ? [] : [job.queue_ms]))),
      runMs: percentiles(done.flatMap((job) => (job.run_ms === null ? [] : [job.run_ms]))),
    };
  });
}
