import { useMemo, useState } from 'react';
import { useLibraryStore } from '../state/libraryStore';
import { formatDicomDate, formatPersonName } from '../util/format';
import { DEFAULT_CRITERIA, filterStudies } from '../util/studyFilter';
import type { StudyCriteria, StudySortKey } from '../util/studyFilter';

const SORT_LABELS: Readonly<Record<StudySortKey, string>> = {
  studyDate: 'Study date',
  patientName: 'Name',
  patientId: 'Patient ID',
  patientBirthDate: 'Birth date',
  studyDescription: 'Description',
  modalities: 'Modalities',
  seriesCount: 'Series',
  instanceCount: 'Images',
};

export function StudyList() {
  const studies = useLibraryStore((s) => s.studies);
  const selected = useLibraryStore((s) => s.selectedStudyUid);
  const selectStudy = useLibraryStore((s) => s.selectStudy);
  const [criteria, setCriteria] = useState<StudyCriteria>(DEFAULT_CRITERIA);
  const shown = useMemo(() => filterStudies(studies, criteria), [studies, criteria]);
  const modalities = useMemo(() => [...new Set(studies.flatMap((s) => s.modalities))].sort(), [studies]);
  const update = (change: Partial<StudyCriteria>): void => setCriteria((c) => ({ ...c, ...change }));

  return (
    <section className="panel">
      <header className="panel-title">Studies</header>
      {studies.length > 0 && (
        <div className="study-filters">
          <input
            type="search"
            placeholder="Search name or ID"
            aria-label="Search name or ID"
            data-testid="study-search"
            value={criteria.text}
            onChange={(e) => update({ text: e.target.value })}
          />
          <select
            aria-label="Modality"
            data-testid="study-modality"
            value={criteria.modality}
            onChange={(e) => update({ modality: e.target.value })}
          >
            <option value="">Any modality</option>
            {modalities.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
          <input
            type="date"
            aria-label="Study date from"
            data-testid="study-from"
            value={criteria.from}
            onChange={(e) => update({ from: e.target.value })}
          />
          <input
            type="date"
            aria-label="Study date to"
            data-testid="study-to"
            value={criteria.to}
            onChange={(e) => update({ to: e.target.value })}
          />
          <select
            aria-label="Sort by"
            data-testid="study-sort"
            value={criteria.sortBy}
            onChange={(e) => update({ sortBy: e.target.value as StudySortKey })}
          >
            {Object.entries(SORT_LABELS).map(([key, label]) => (
              <option key={key} value={key}>
                {label}
              </option>
            ))}
          </select>
          <button
            type="button"
            aria-label={criteria.descending ? 'Descending' : 'Ascending'}
            data-testid="study-sort-direction"
            onClick={() => update({ descending: !criteria.descending })}
          >
            {criteria.descending ? '↓' : '↑'}
          </button>
        </div>
      )}
      {studies.length === 0 ? (
        <p className="empty-hint">
          No studies yet. Drop DICOM files or folders anywhere, or use the open buttons.
        </p>
      ) : (
        <ul className="row-list">
          {shown.map((study) => (
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
                  {study.patientBirthDate ? ` · born ${formatDicomDate(study.patientBirthDate)}` : ''}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
