import { useImportStore } from '../state/importStore';

/** Busy state while importing, then the report: counts and every failure with its reason. */
export function ImportStatus() {
  const busy = useImportStore((s) => s.busy);
  const fileCount = useImportStore((s) => s.fileCount);
  const report = useImportStore((s) => s.report);
  const dismiss = useImportStore((s) => s.dismissReport);

  if (busy) {
    return (
      <section className="panel import-busy" data-testid="import-busy" aria-busy="true">
        <div className="spinner" aria-hidden="true" />
        <span>
          {fileCount > 0 ? `Importing ${fileCount} file${fileCount === 1 ? '' : 's'}…` : 'Importing…'}
        </span>
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
        {report.filesFound} found · {report.indexed} indexed · {report.duplicates} duplicates · {failed}{' '}
        failed
      </p>
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
