/** Arguments of the segmentation and measurement methods, hostile ones included. */
import { describe, expect, it, vi } from 'vitest';
import type { BackendMethods } from '../../src-shared/api';
import { dispatch, InvalidArgumentsError } from './validate-args';

const echo = vi.fn(async (args?: unknown) => args);
const backend = {
  loadSegmentation: echo,
  listMeasurements: echo,
  saveMeasurement: echo,
  deleteMeasurement: echo,
} as unknown as BackendMethods;

const good = {
  uid: '3f2b9c1e-1d2a-4b7e-9a51-0c2f6d1e8a77',
  sopInstanceUid: '1.2.840.1',
  frame: 1,
  tool: 'Length',
  points: [
    [1, 2, 3],
    [4, 5, 6],
  ],
  label: 'aorta',
};

describe('segmentation and measurement arguments', () => {
  it('passes well-formed arguments through', async () => {
    await expect(dispatch(backend, 'loadSegmentation', { segSeriesId: 2, seriesId: 1 })).resolves.toEqual({
      segSeriesId: 2,
      seriesId: 1,
    });
    await expect(dispatch(backend, 'saveMeasurement', good)).resolves.toEqual(good);
    await expect(dispatch(backend, 'listMeasurements', { seriesId: 3 })).resolves.toEqual({ seriesId: 3 });
    await expect(dispatch(backend, 'deleteMeasurement', { uid: good.uid })).resolves.toEqual({
      uid: good.uid,
    });
  });

  it.each([
    ['loadSegmentation', { segSeriesId: 2 }],
    ['loadSegmentation', { segSeriesId: '2', seriesId: 1 }],
    ['loadSegmentation', { segSeriesId: -1, seriesId: 1 }],
    ['listMeasurements', { seriesId: 1.5 }],
    ['deleteMeasurement', { uid: '../../etc' }],
    ['deleteMeasurement', { uid: "x' OR 1=1 --" }],
    ['saveMeasurement', { ...good, tool: 'Brush' }],
    ['saveMeasurement', { ...good, uid: 'a'.repeat(200) }],
    ['saveMeasurement', { ...good, sopInstanceUid: '1.2; DROP TABLE measurements' }],
    ['saveMeasurement', { ...good, frame: 0 }],
    ['saveMeasurement', { ...good, frame: 1e9 }],
    ['saveMeasurement', { ...good, points: [] }],
    ['saveMeasurement', { ...good, points: [[1, 2]] }],
    ['saveMeasurement', { ...good, points: [[1, 2, Number.NaN]] }],
    ['saveMeasurement', { ...good, points: [[1, 2, 1e300]] }],
    ['saveMeasurement', { ...good, points: [[1, 2, '3']] }],
    ['saveMeasurement', { ...good, points: Array.from({ length: 9 }, () => [0, 0, 0]) }],
    ['saveMeasurement', { ...good, points: { length: 1, 0: [1, 2, 3] } }],
    ['saveMeasurement', { ...good, label: 'x'.repeat(300) }],
    ['saveMeasurement', { ...good, label: 7 }],
    ['saveMeasurement', { ...good, createdAt: '2020' }],
    ['saveMeasurement', { ...good, __proto__: { polluted: true }, extra: 1 }],
  ])('refuses %s %j', (method, args) => {
    expect(() => dispatch(backend, method, args)).toThrow(InvalidArgumentsError);
  });
});
