import { describe, expect, it } from 'vitest';
import { dataSetRequests } from './mprFrames';

describe('dataSetRequests', () => {
  it('asks once for a multi-frame file, and once for each single-frame file', () => {
    expect(
      dataSetRequests([
        'wadouri:http://h/instances/7?frame=1',
        'wadouri:http://h/instances/7?frame=2',
        'wadouri:http://h/instances/8',
        'wadouri:app://workstation/instances/9?t=1&frame=3',
      ]),
    ).toEqual([
      { url: 'http://h/instances/7', imageId: 'wadouri:http://h/instances/7?frame=1' },
      { url: 'http://h/instances/8', imageId: 'wadouri:http://h/instances/8' },
      {
        url: 'app://workstation/instances/9?t=1',
        imageId: 'wadouri:app://workstation/instances/9?t=1&frame=3',
      },
    ]);
  });
});
