import { describe, expect, it } from 'vitest';
import type { StudySummary } from '../../src-shared/api';
import { DEFAULT_CRITERIA, filterStudies } from './studyFilter';

const study = (uid: string, over: Partial<StudySummary>): StudySummary => ({
  studyInstanceUid: uid,
  patientName: '',
  patientId: '',
  patientBirthDate: '',
  studyDate: '',
  studyDescription: '',
  modalities: [],
  seriesCount: 1,
  instanceCount: 1,
  ...over,
});

const STUDIES = [
  study('1', { patientName: 'Doe^Peter', patientId: '98890234', studyDate: '20030505', modalities: ['MR'] }),
  study('2', {
    patientName: 'Doe^Archibald',
    patientId: '77654033',
    studyDate: '20010101',
    modalities: ['CR'],
  }),
  study('3', {
    patientName: 'Hong^Gildong',
    patientId: 'K1',
    studyDate: '19950903',
    modalities: ['CT', 'SEG'],
  }),
  study('4', { patientName: 'brain.nii.gz', studyDate: '', modalities: ['NIfTI'], instanceCount: 9 }),
];
const uids = (list: StudySummary[]): string[] => list.map((s) => s.studyInstanceUid);

describe('study browser search, filter and sort', () => {
  it('searches name and ID, filters modality and date range, sorts any column', () => {
    expect(uids(filterStudies(STUDIES, DEFAULT_CRITERIA))).toEqual(['1', '2', '3', '4']);
    expect(uids(filterStudies(STUDIES, { ...DEFAULT_CRITERIA, text: 'doe' }))).toEqual(['1', '2']);
    expect(uids(filterStudies(STUDIES, { ...DEFAULT_CRITERIA, text: '7765' }))).toEqual(['2']);
    expect(uids(filterStudies(STUDIES, { ...DEFAULT_CRITERIA, modality: 'CT' }))).toEqual(['3']);
    expect(
      uids(filterStudies(STUDIES, { ...DEFAULT_CRITERIA, from: '2000-01-01', to: '2002-12-31' })),
    ).toEqual(['2']);
    expect(
      uids(filterStudies(STUDIES, { ...DEFAULT_CRITERIA, sortBy: 'patientName', descending: false })),
    ).toEqual(['4', '2', '1', '3']);
    expect(uids(filterStudies(STUDIES, { ...DEFAULT_CRITERIA, sortBy: 'instanceCount' }))[0]).toBe('4');
  });
});
