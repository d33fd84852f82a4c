import { useImportStore } from '../state/importStore';

/** Busy state while importing, then the report: counts and every failure with its reason. */
export function ImportStatus() {
  const busy = useImportStore((s) => s.busy);
  const fileCount = useImportStore((s) => s.fileCount);
  const report = useImportStore((s) => s.report);
  const dismiss = useImportStore((s) => s.dismissReport);
  const progress = useImportStore((s) => s.progress);
  const cancel = useImportStore((s) => s.cancel);

  if (busy) {
    const perSecond =
      progress && progress.elapsedMs > 0 ? (progress.filesRead / progress.elapsedMs) * 1000 : 0;
    return (
      <section className="panel import-busy" data-testid="import-busy" aria-busy="true">
        <div className="spinner" aria-hidden="true" />
        <span>
          {fileCount > 0 ? `Importing ${fileCount} file${fileCount === 1 ? '' : 's'}…` : 'Importing…'}
        </span>
        {progress && (
          <>
            <progress max={progress.filesFound} value={progress.filesRead} data-testid="import-progress" />
            <span className="muted">
              {progress.filesRead} / {progress.filesFound} read · {Math.round(perSecond)} files/s ·{' '}
              {progress.failed} error{progress.failed === 1 ? '' : 's'}
            </span>
          </>
        )}
        <button type="button" onClick={() => void cancel()} data-testid="import-cancel">
          Cancel
        </button>
      </section>
    );
  }
  if (!report) return null;

  const failed = report.failures.length;
  return (
    <section className="panel import-report" data-testid="import-report">
      <header className="panel-title">
        <span>Import report</span>
        <button type="button" className="link-button" onClick={dismiss} aria-label="Close import report">
          ✕
        </button>
      </header>
      <p className="report-counts">
        {report.cancelled && <strong>Cancelled after {report.filesRead} files · </strong>}
        {report.filesFound} found · {report.indexed} indexed · {report.duplicates} duplicates · {failed}{' '}
        failed
      </p>
      {report.resultsDropped > 0 && (
        <p className="report-note" data-testid="results-dropped">
          {report.resultsDropped} analysis {report.resultsDropped === 1 ? 'result was' : 'results were'}{' '}
          removed:
          {report.resultsDropped === 1 ? ' its series' : ' their series'} gained or lost images. Run the
          analysis again.
        </p>
      )}
      {failed > 0 && (
        <ul className="failure-list">
          {report.failures.map((failure, index) => (
            <li key={`${index}-${failure.path}`} data-testid="import-failure" title={failure.path}>
              <span className="failure-path">{failure.path}</span>
              <span className="failure-reason">
                {failure.outcome}: {failure.reason}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
