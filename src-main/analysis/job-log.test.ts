import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JobStatus } from '../../src-shared/api';
import { JobLog, maskPaths } from './job-log';

const job = (jobId: number, state: JobStatus['state'], error: string | null = null): JobStatus => ({
  jobId,
  seriesId: 3,
  modelId: 'meshnet-gwm',
  state,
  stage: state,
  fraction: 0,
  error,
  resultId: null,
});

describe('job event log', () => {
  it('writes one JSON line per state change, masks paths, and rotates by size', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lumen-log-'));
    const log = new JobLog(dir, { maxBytes: 400, keep: 2 });
    log.record(job(1, 'queued'));
    log.record(job(1, 'running'));
    log.record(job(1, 'running'));
    log.record(job(1, 'failed', "ENOENT: no such file, open '/home/u/DOE^JOHN/IM0001.dcm'"));
    const lines = readFileSync(log.file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => line.event)).toEqual(['job-queued', 'job-running', 'job-failed']);
    expect(lines[2]!.error).toBe("ENOENT: no such file, open '<path>'");
    expect(JSON.stringify(lines)).not.toContain('DOE');

    for (let id = 2; id < 40; id++) log.record(job(id, 'queued'));
    expect(readdirSync(dir).sort()).toEqual(['jobs.1.jsonl', 'jobs.2.jsonl', 'jobs.jsonl']);
    for (const name of readdirSync(dir)) {
      for (const line of readFileSync(join(dir, name), 'utf8').trim().split('\n'))
        expect(() => JSON.parse(line)).not.toThrow();
    }
  });

  it('masks Windows and POSIX paths but leaves ordinary words', () => {
    expect(maskPaths('cannot load model C:\\Users\\x\\model.onnx: bad')).toBe(
      'cannot load model <path>: bad',
    );
    expect(maskPaths('the series was deleted from the library')).toBe(
      'the series was deleted from the library',
    );
  });
});
