import { useLibraryStore } from '../state/libraryStore';

export function SeriesList() {
  const series = useLibraryStore((s) => s.series);
  const opened = useLibraryStore((s) => s.openedSeriesId);
  const studyUid = useLibraryStore((s) => s.selectedStudyUid);
  const openSeries = useLibraryStore((s) => s.openSeries);
  if (!studyUid) return null;

  return (
    <section className="panel">
      <header className="panel-title">Series</header>
      <ul className="row-list">
        {series.map((s) => (
          <li key={s.seriesId}>
            <button
              type="button"
              className={`row${s.seriesId === opened ? ' selected' : ''}`}
              data-testid="series-row"
              data-series-id={s.seriesId}
              onClick={() => void openSeries(s.seriesId)}
            >
              <span className="row-main">
                <strong>{s.seriesDescription || 'Unnamed series'}</strong>
                {s.resultCount > 0 && (
                  <span className="badge" title={`${s.resultCount} analysis result(s)`}>
                    AI
                  </span>
                )}
              </span>
              <span className="row-sub muted">
                {s.modality} · #{s.seriesNumber ?? '—'} · {s.instanceCount} images
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
