import { describe, expect, it } from 'vitest';
import type { InstanceRef, SeriesSummary } from '../../src-shared/api';
import { mprUnavailableReason } from './mprEligibility';

const series = (overrides: Partial<SeriesSummary> = {}): SeriesSummary => ({
  seriesId: 1,
  seriesInstanceUid: '1.2.3',
  studyInstanceUid: '1.2',
  modality: 'CT',
  seriesNumber: 1,
  seriesDescription: 'chest',
  instanceCount: 3,
  rows: 512,
  columns: 512,
  resultCount: 0,
  kind: 'image',
  referencedSeriesUid: null,
  frameCount: 3,
  splitReason: null,
  sliceSpacing: 1.25,
  sliceGaps: 0,
  spacingIrregular: false,
  ...overrides,
});
const instances = (count: number, overrides: Partial<InstanceRef> = {}): InstanceRef[] =>
  Array.from({ length: count }, (_, i) => ({
    instanceId: i + 1,
    sopInstanceUid: `1.2.3.${i}`,
    instanceNumber: i + 1,
    frames: 1,
    missing: false,
    url: `http://127.0.0.1/instances/${i + 1}`,
    position: null,
    orientation: null,
    framePositions: null,
    format: 'dicom' as const,
    photometric: 'MONOCHROME2',
    ...overrides,
  }));

describe('mprUnavailableReason', () => {
  it('offers MPR for one regular stack of three or more slices', () => {
    expect(mprUnavailableReason(series(), instances(3))).toBeNull();
  });

  it('says why for each kind of series that cannot form a volume', () => {
    expect(mprUnavailableReason(series(), instances(1))).toBe(
      'MPR needs at least 3 slices; this series has 1.',
    );
    expect(mprUnavailableReason(series({ kind: 'seg' }), instances(3))).toBe('MPR needs an image series.');
    expect(mprUnavailableReason(series(), instances(3, { frames: 2 }))).toMatch(/multi-frame/);
    expect(mprUnavailableReason(series(), [...instances(3), ...instances(1, { missing: true })])).toMatch(
      /missing/,
    );
    expect(mprUnavailableReason(series({ splitReason: 'orientation differs' }), instances(3))).toMatch(
      /split from its series \(orientation differs\)/,
    );
    expect(mprUnavailableReason(series({ sliceSpacing: null }), instances(3))).toMatch(/no usable spacing/);
    expect(mprUnavailableReason(series({ sliceGaps: 2 }), instances(3))).toBe(
      'The series has 2 gaps between slices.',
    );
    expect(mprUnavailableReason(series({ spacingIrregular: true }), instances(3))).toMatch(/irregular/);
    expect(mprUnavailableReason(series(), instances(3, { photometric: 'PALETTE COLOR' }))).toMatch(
      /not offered for palette colour/,
    );
    for (const photometric of ['YBR_FULL', 'YBR_FULL_422'])
      expect(mprUnavailableReason(series(), instances(3, { photometric }))).toMatch(
        /not offered for YBR colour/,
      );
  });

  it('offers MPR for colour images stored as colour', () => {
    expect(mprUnavailableReason(series(), instances(3, { photometric: 'RGB' }))).toBeNull();
  });

  it('offers MPR for a multi-frame image whose frames are evenly spaced along one orientation', () => {
    const axial = [1, 0, 0, 0, 1, 0];
    const frames = (zs: number[]): Partial<InstanceRef> => ({
      frames: zs.length,
      orientation: axial,
      framePositions: zs.map((z) => [0, 0, z] as const),
    });
    const one = (zs: number[]): InstanceRef[] => instances(1, frames(zs));
    // The library measures no spacing for a one-file series: the frames' positions decide.
    const single = series({ sliceSpacing: null });
    expect(mprUnavailableReason(single, one([0, 2, 4, 6]))).toBeNull();
    expect(mprUnavailableReason(single, one([6, 0, 4, 2]))).toBeNull();
    expect(mprUnavailableReason(single, one([0, 2]))).toBe('MPR needs at least 3 slices; this series has 2.');
    expect(mprUnavailableReason(single, one([0, 2, 4, 10]))).toBe('The series has 1 gap between slices.');
    expect(mprUnavailableReason(single, one([0, 2, 3.5, 5.5, 7.5]))).toMatch(/irregular/);
    expect(mprUnavailableReason(single, one([0, 0, 0]))).toMatch(/no usable spacing/);
    expect(
      mprUnavailableReason(single, instances(1, { ...frames([0, 2, 4]), framePositions: null })),
    ).toMatch(/per-frame Plane Position/);
    expect(
      mprUnavailableReason(single, [...one([0, 2, 4]), ...instances(1, { orientation: axial })]),
    ).toMatch(/mixes multi-frame and single-frame/);
  });
});
