import { useEngineStore } from '../state/engineStore';

/** Jobs that failed (after their retries) or were cancelled, with the reason and a retry button. */
export function FailedJobsPanel() {
  const jobs = useEngineStore((s) => s.failedJobs);
  const retry = useEngineStore((s) => s.retry);
  if (jobs.length === 0) return null;

  return (
    <section className="panel" data-testid="failed-jobs">
      <header className="panel-title">Failed jobs</header>
      <ul className="row-list">
        {jobs.map((job) => (
          <li key={job.jobId} className="failed-job" data-testid="failed-job">
            <div className="row-main">
              <strong>
                #{job.jobId} {job.modelId}
              </strong>
              <button type="button" data-testid="retry-job" onClick={() => void retry(job.jobId)}>
                Retry
              </button>
            </div>
            <div className="row-sub muted">
              {job.state} · {job.attempts} attempt{job.attempts === 1 ? '' : 's'} · series {job.seriesId}
            </div>
            <div className="failure-reason">{job.error ?? 'no reason recorded'}</div>
          </li>
        ))}
      </ul>
    </section>
  );
}
