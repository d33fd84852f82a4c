/**
 * Structured job events, one JSON object per line, in the data folder's `logs/jobs.jsonl`, rotated
 * by size. Only what the engine itself knows goes in: job and series keys of the local library,
 * the model, states, stages and reasons with file paths masked. No patient names, IDs or UIDs.
 */
import { appendFileSync, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { JobStatus } from '../../src-shared/api';

export interface JobLogOptions {
  readonly maxBytes: number;
  /** Rotated files kept beside the current one: jobs.1.jsonl (newest) … jobs.N.jsonl. */
  readonly keep: number;
}

/** Paths can hold patient names (folders named after the patient): keep only that there was one. */
export function maskPaths(text: string): string {
  return text.replace(/(?:[A-Za-z]:)?(?:[\\/][^\s\\/'"():,]+){2,}/g, '<path>');
}

export class JobLog {
  readonly file: string;
  readonly #states = new Map<number, string>();

  constructor(
    readonly dir: string,
    private readonly options: JobLogOptions = { maxBytes: 1_000_000, keep: 5 },
  ) {
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, 'jobs.jsonl');
  }

  /** Logs a job event when the job's state changed (progress events would only add noise). */
  record(job: JobStatus): void {
    if (this.#states.get(job.jobId) === job.state) return;
    this.#states.set(job.jobId, job.state);
    const line = JSON.stringify({
      time: new Date().toISOString(),
      event: `job-${job.state}`,
      jobId: job.jobId,
      seriesRef: job.seriesId,
      modelId: job.modelId,
      stage: job.stage,
      resultId: job.resultId,
      error: job.error === null ? null : maskPaths(job.error),
    });
    try {
      this.#rotateIfFull();
      appendFileSync(this.file, `${line}\n`);
    } catch (error) {
      // A full disk must not stop the job system; the job table still holds the facts.
      console.warn(`job log: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  #rotateIfFull(): void {
    if (!existsSync(this.file) || statSync(this.file).size < this.options.maxBytes) return;
    for (let n = this.options.keep - 1; n >= 1; n--) {
      const from = join(this.dir, `jobs.${n}.jsonl`);
      if (existsSync(from)) renameSync(from, join(this.dir, `jobs.${n + 1}.jsonl`));
    }
    renameSync(this.file, join(this.dir, 'jobs.1.jsonl'));
  }
}
