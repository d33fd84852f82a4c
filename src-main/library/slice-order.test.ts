import { describe, expect, it } from 'vitest';
import { sliceNormal, sliceSortKeys } from './slice-order';

describe('slice ordering', () => {
  it('projects positions on the normal of an axial stack', () => {
    expect(sliceNormal([1, 0, 0, 0, 1, 0])).toEqual([0, 0, 1]);
    const axial = [1, 0, 0, 0, 1, 0];
    const keys = sliceSortKeys([
      { imagePositionPatient: [0, 0, 10], imageOrientationPatient: axial, instanceNumber: 1 },
      { imagePositionPatient: [0, 0, -5], imageOrientationPatient: axial, instanceNumber: 2 },
      { imagePositionPatient: [0, 0, 2.5], imageOrientationPatient: axial, instanceNumber: 3 },
    ]);
    expect(keys).toEqual([10, -5, 2.5]);
  });

  it('orders a sagittal stack along x, whatever the instance numbers say', () => {
    // Rows along +y (anterior to posterior), columns along -z: the normal is y x -z = -x.
    const sagittal = [0, 1, 0, 0, 0, -1];
    expect(sliceNormal(sagittal)).toEqual([-1, 0, 0]);
    const keys = sliceSortKeys([
      { imagePositionPatient: [3, 7, 9], imageOrientationPatient: sagittal, instanceNumber: 1 },
      { imagePositionPatient: [-2, 7, 9], imageOrientationPatient: sagittal, instanceNumber: 2 },
    ]);
    expect(keys).toEqual([-3, 2]);
  });

  it('falls back to instance numbers when a position is missing', () => {
    const keys = sliceSortKeys([
      { imagePositionPatient: null, imageOrientationPatient: [1, 0, 0, 0, 1, 0], instanceNumber: 7 },
      { imagePositionPatient: [0, 0, 1], imageOrientationPatient: [1, 0, 0, 0, 1, 0], instanceNumber: 3 },
    ]);
    expect(keys).toEqual([7, 3]);
  });
});
