/** Search, filter and sort for the study browser; pure, so it is tested without a browser. */
import type { StudySummary } from '../../src-shared/api';

export type StudySortKey =
  | 'patientName'
  | 'patientId'
  | 'patientBirthDate'
  | 'studyDate'
  | 'studyDescription'
  | 'modalities'
  | 'seriesCount'
  | 'instanceCount';

export interface StudyCriteria {
  /** Matched against the patient's name and ID, case-insensitively; '' matches all. */
  readonly text: string;
  /** '' for any modality. */
  readonly modality: string;
  /** Inclusive bounds as YYYY-MM-DD (an <input type=date> value); '' for open. */
  readonly from: string;
  readonly to: string;
  readonly sortBy: StudySortKey;
  readonly descending: boolean;
}

export const DEFAULT_CRITERIA: StudyCriteria = {
  text: '',
  modality: '',
  from: '',
  to: '',
  sortBy: 'studyDate',
  descending: true,
};

const sortValue = (study: StudySummary, key: StudySortKey): string | number =>
  key === 'modalities' ? study.modalities.join(',') : study[key];

export function filterStudies(studies: readonly StudySummary[], c: StudyCriteria): StudySummary[] {
  const text = c.text.trim().toLowerCase();
  // DICOM dates are YYYYMMDD; the date inputs give YYYY-MM-DD.
  const from = c.from.replace(/-/g, '');
  const to = c.to.replace(/-/g, '');
  const kept = studies.filter(
    (s) =>
      (!text || s.patientName.toLowerCase().includes(text) || s.patientId.toLowerCase().includes(text)) &&
      (!c.modality || s.modalities.includes(c.modality)) &&
      (!from || (s.studyDate !== '' && s.studyDate >= from)) &&
      (!to || (s.studyDate !== '' && s.studyDate <= to)),
  );
  const direction = c.descending ? -1 : 1;
  return kept.sort((a, b) => {
    const x = sortValue(a, c.sortBy);
    const y = sortValue(b, c.sortBy);
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return order * direction;
  });
}
