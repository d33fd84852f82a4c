import { useLibraryStore } from '../state/libraryStore';
import { formatDicomDate, formatPersonName } from '../util/format';

export function StudyList() {
  const studies = useLibraryStore((s) => s.studies);
  const selected = useLibraryStore((s) => s.selectedStudyUid);
  const selectStudy = useLibraryStore((s) => s.selectStudy);

  return (
    <section className="panel">
      <header className="panel-title">Studies</header>
      {studies.length === 0 ? (
        <p className="empty-hint">
          No studies yet. Drop DICOM files or folders anywhere, or use the open buttons.
        </p>
      ) : (
        <ul className="row-list">
          {studies.map((study) => (
            <li key={study.studyInstanceUid}>
              <button
                type="button"
                className={`row${study.studyInstanceUid === selected ? ' selected' : ''}`}
                data-testid="study-row"
                data-study-uid={study.studyInstanceUid}
                onClick={() => void selectStudy(study.studyInstanceUid)}
              >
                <span className="row-main">
                  <strong>{formatPersonName(study.patientName)}</strong>
                  <span className="muted">{formatDicomDate(study.studyDate) || 'no date'}</span>
                </span>
                <span className="row-sub">{study.studyDescription || 'No description'}</span>
                <span className="row-sub muted">
                  {study.modalities.join(', ') || '—'} · {study.seriesCount} series · {study.instanceCount}{' '}
                  images
                  {study.patientId ? ` · ID ${study.patientId}` : ''}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
