/**
 * The persistent job table: every state change is one UPDATE, so whatever the app is doing when it
 * quits, the next start finds each job queued, running (to be resumed), or finished with its reason.
 */
import type { JobRecord, JobState } from '../../src-shared/api';
import type { LibraryDb } from '../library/library-db';

export interface NewJob {
  readonly seriesId: number;
  readonly modelId: string;
  readonly modelVersion: string;
  readonly weightsSha256: string;
  readonly params: string;
  readonly seriesUid: string;
  readonly instanceUids: readonly string[];
  readonly inputsSha256: string;
  readonly priority: number;
}

export interface JobRow {
  id: number;
  series_ref: number;
  model_id: string;
  model_version: string | null;
  weights_sha256: string | null;
  params: string | null;
  series_uid: string | null;
  instance_uids: string | null;
  inputs_sha256: string | null;
  pixels_sha256: string | null;
  cache_key: string | null;
  state: JobState;
  priority: number;
  attempts: number;
  provider: string | null;
  error: string | null;
  result_ref: number | null;
  cached: number;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  queue_ms: number | null;
  run_ms: number | null;
}

const now = (): string => new Date().toISOString();

export class JobStore {
  constructor(private readonly db: LibraryDb) {}

  add(job: NewJob): number {
    return this.db.run(
      `INSERT INTO jobs (series_ref, model_id, model_version, weights_sha256, params, series_uid, instance_uids,
         inputs_sha256, priority, state, created_at)
       VALUES (?,?,?,?,?,?,?,?,?,'queued',?)`,
      job.seriesId,
      job.modelId,
      job.modelVersion,
      job.weightsSha256,
      job.params,
      job.seriesUid,
      JSON.stringify(job.instanceUids),
      job.inputsSha256,
      job.priority,
      now(),
    ).lastInsertRowid;
  }

  get(jobId: number): JobRow | undefined {
    return this.db.get<JobRow>('SELECT * FROM jobs WHERE id = ?', jobId);
  }

  /** The queued job to run next: highest priority first, then in order of arrival. */
  next(): JobRow | undefined {
    return this.db.get<JobRow>(
      "SELECT * FROM jobs WHERE state = 'queued' ORDER BY priority DESC, id LIMIT 1",
    );
  }

  /** Up to `limit` more queued jobs of one model, in the order they would run (a classification batch). */
  queuedOfModel(modelId: string, limit: number): JobRow[] {
    return this.db.all<JobRow>(
      "SELECT * FROM jobs WHERE state = 'queued' AND model_id = ? ORDER BY priority DESC, id LIMIT ?",
      modelId,
      limit,
    );
  }

  /** Jobs that were running when the app stopped go back to the queue, keeping their attempts. */
  requeueInterrupted(): number {
    return this.db.run("UPDATE jobs SET state = 'queued', started_at = NULL WHERE state = 'running'").changes;
  }

  markRunning(jobId: number): void {
    this.db.run("UPDATE jobs SET state = 'running', started_at = ?, error = NULL WHERE id = ?", now(), jobId);
  }

  /** One more try on the inference process; counted before it starts, so a crash of the app counts too. */
  countAttempt(jobId: number): void {
    this.db.run('UPDATE jobs SET attempts = attempts + 1 WHERE id = ?', jobId);
  }

  /** The reason of a failed attempt that will be retried, kept while the job waits. */
  noteError(jobId: number, error: string): void {
    this.db.run('UPDATE jobs SET error = ? WHERE id = ?', error, jobId);
  }

  setPixels(jobId: number, pixelsSha256: string, cacheKey: string): void {
    this.db.run(
      'UPDATE jobs SET pixels_sha256 = ?, cache_key = ? WHERE id = ?',
      pixelsSha256,
      cacheKey,
      jobId,
    );
  }

  complete(jobId: number, result: { resultId: number; provider: string; cached: boolean }): void {
    const row = this.get(jobId);
    const finished = new Date();
    const started = row?.started_at ? new Date(row.started_at) : finished;
    const created = row ? new Date(row.created_at) : finished;
    this.db.run(
      `UPDATE jobs SET state = 'completed', result_ref = ?, provider = ?, cached = ?, error = NULL, finished_at = ?,
         queue_ms = ?, run_ms = ? WHERE id = ?`,
      result.resultId,
      result.provider,
      result.cached ? 1 : 0,
      finished.toISOString(),
      started.getTime() - created.getTime(),
      finished.getTime() - started.getTime(),
      jobId,
    );
  }

  finish(jobId: number, state: 'failed' | 'cancelled', error: string): void {
    this.db.run(
      'UPDATE jobs SET state = ?, error = ?, finished_at = ? WHERE id = ?',
      state,
      error,
      now(),
      jobId,
    );
  }

  /** Back to the queue from failed or cancelled, with a fresh count of attempts (the user asked). */
  retry(jobId: number): boolean {
    return (
      this.db.run(
        `UPDATE jobs SET state = 'queued', attempts = 0, error = NULL, started_at = NULL, finished_at = NULL,
           created_at = ? WHERE id = ? AND state IN ('failed', 'cancelled')`,
        now(),
        jobId,
      ).changes === 1
    );
  }

  /** Ahead of every other queued job. */
  prioritize(jobId: number): boolean {
    return (
      this.db.run(
        `UPDATE jobs SET priority = (SELECT COALESCE(MAX(priority), 0) + 1 FROM jobs WHERE state = 'queued')
         WHERE id = ? AND state = 'queued'`,
        jobId,
      ).changes === 1
    );
  }

  /** A completed job whose result can stand for a new one, found by the cache key. */
  cachedByKey(cacheKey: string): JobRow | undefined {
    return this.db.get<JobRow>(
      `SELECT * FROM jobs WHERE cache_key = ? AND state = 'completed' AND result_ref IN (SELECT id FROM results)
       ORDER BY id DESC LIMIT 1`,
      cacheKey,
    );
  }

  /**
   * The pixel hash of an earlier job on exactly the same instances, so a repeat need not decode the
   * pixels again to know its cache key.
   */
  knownPixels(inputsSha256: string): string | undefined {
    return this.db.get<{ pixels_sha256: string }>(
      'SELECT pixels_sha256 FROM jobs WHERE inputs_sha256 = ? AND pixels_sha256 IS NOT NULL ORDER BY id DESC LIMIT 1',
      inputsSha256,
    )?.pixels_sha256;
  }

  list(states: readonly JobState[]): JobRecord[] {
    const marks = states.map(() => '?').join(',');
    return this.db
      .all<JobRow>(`SELECT * FROM jobs WHERE state IN (${marks}) ORDER BY id DESC LIMIT 500`, ...states)
      .map(toRecord);
  }

  counts(): Record<JobState, number> {
    const counts: Record<JobState, number> = { queued: 0, running: 0, completed: 0, failed: 0, cancelled: 0 };
    for (const row of this.db.all<{ state: JobState; n: number }>(
      'SELECT state, COUNT(*) AS n FROM jobs GROUP BY state',
    ))
      counts[row.state] = row.n;
    return counts;
  }

  /** Finished jobs since `sinceIso` (all when null), for the status panel's figures. */
  finishedSince(sinceIso: string | null): JobRow[] {
    return this.db.all<JobRow>(
      "SELECT * FROM jobs WHERE state IN ('completed', 'failed') AND finished_at >= ? ORDER BY id",
      sinceIso ?? '',
    );
  }
}

export function toRecord(row: JobRow): JobRecord {
  return {
    jobId: row.id,
    seriesId: row.series_ref,
    seriesInstanceUid: row.series_uid,
    instanceCount: row.instance_uids ? (JSON.parse(row.instance_uids) as string[]).length : 0,
    modelId: row.model_id,
    modelVersion: row.model_version,
    weightsSha256: row.weights_sha256,
    state: row.state,
    priority: row.priority,
    attempts: row.attempts,
    executionProvider: row.provider,
    error: row.error,
    resultId: row.result_ref,
    cached: row.cached === 1,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}
