import type { SeriesKind } from '../../src-shared/api';
import { useLibraryStore } from '../state/libraryStore';
import { setDraggedSeries } from '../viewer/seriesDrag';
import { SeriesThumbnail } from './SeriesThumbnail';

const KIND_NAMES: Readonly<Record<SeriesKind, string>> = {
  image: 'Images',
  seg: 'Segmentation',
  sr: 'Structured report',
  rtstruct: 'RT structure set',
  waveform: 'Waveform',
  pr: 'Presentation state',
  nifti: 'NIfTI volume',
  other: 'Non-image object',
};

/** Kinds the stack viewer opens. */
const VIEWABLE: ReadonlySet<SeriesKind> = new Set(['image', 'nifti']);

export function SeriesList() {
  const series = useLibraryStore((s) => s.series);
  const opened = useLibraryStore((s) => s.openedSeriesId);
  const studyUid = useLibraryStore((s) => s.selectedStudyUid);
  const openSeries = useLibraryStore((s) => s.openSeries);
  const deleteStudy = useLibraryStore((s) => s.deleteStudy);
  if (!studyUid) return null;

  return (
    <section className="panel">
      <header className="panel-title">
        <span>Series</span>
        <button
          type="button"
          className="link-button"
          data-testid="delete-study"
          onClick={() => {
            if (
              window.confirm('Delete this study from the library? Files the library copied are removed too.')
            )
              void deleteStudy(studyUid);
          }}
        >
          Delete study
        </button>
      </header>
      <ul className="row-list">
        {series.map((s) => (
          <li key={s.seriesId}>
            <button
              type="button"
              className={`row with-thumbnail${s.seriesId === opened ? ' selected' : ''}`}
              data-testid="series-row"
              data-series-id={s.seriesId}
              data-kind={s.kind}
              // Reports, segmentations, structures, waveforms and presentation states are not images.
              disabled={!VIEWABLE.has(s.kind)}
              title={VIEWABLE.has(s.kind) ? undefined : `${KIND_NAMES[s.kind]}: not an image series`}
              onClick={() => void openSeries(s.seriesId)}
              // Image series can also be dragged into any viewport of the grid.
              draggable={s.kind === 'image'}
              onDragStart={(event) => setDraggedSeries(event.dataTransfer, s.seriesId)}
            >
              {s.kind === 'image' ? (
                <SeriesThumbnail seriesId={s.seriesId} />
              ) : (
                <span className="series-thumbnail empty" aria-hidden="true" />
              )}
              <span className="row-main">
                <strong>{s.seriesDescription || 'Unnamed series'}</strong>
                {s.resultCount > 0 && (
                  <span className="badge" title={`${s.resultCount} analysis result(s)`}>
                    AI
                  </span>
                )}
              </span>
              <span className="row-sub muted">
                {s.modality} · #{s.seriesNumber ?? '—'} ·{' '}
                {s.kind === 'image'
                  ? `${s.instanceCount} images${s.frameCount > s.instanceCount ? ` (${s.frameCount} frames)` : ''}`
                  : s.kind === 'nifti'
                    ? `${s.columns}×${s.rows}×${s.frameCount} · ${KIND_NAMES.nifti}`
                    : `${KIND_NAMES[s.kind]} · ${s.instanceCount} object${s.instanceCount === 1 ? '' : 's'}`}
                {s.sliceSpacing !== null && ` · ${s.sliceSpacing.toFixed(2)} mm`}
              </span>
              {(s.splitReason || s.sliceGaps > 0 || s.spacingIrregular) && (
                <span className="row-sub warn" data-testid="series-geometry">
                  {[
                    s.splitReason && `Split stack: ${s.splitReason}`,
                    s.sliceGaps > 0 && `${s.sliceGaps} gap${s.sliceGaps === 1 ? '' : 's'} in slices`,
                    s.spacingIrregular && s.sliceGaps === 0 && 'irregular slice spacing',
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </span>
              )}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
