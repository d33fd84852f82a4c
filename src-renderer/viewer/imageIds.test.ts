import { describe, expect, it } from 'vitest';
import type { InstanceRef } from '../../src-shared/api';
import { stackFrames, stackImageIds } from './imageIds';

const instance = (id: number, extra: Partial<InstanceRef>): InstanceRef => ({
  instanceId: id,
  sopInstanceUid: `1.2.${id}`,
  instanceNumber: id,
  frames: 1,
  missing: false,
  url: `http://127.0.0.1:1/instances/${id}`,
  position: null,
  orientation: null,
  framePositions: null,
  ...extra,
});

describe('stack frames', () => {
  it('gives each frame its image id and position, leaving missing files out', () => {
    const axial = [1, 0, 0, 0, 1, 0];
    const frames = stackFrames([
      instance(1, { position: [0, 0, 5], orientation: axial }),
      instance(2, { missing: true, position: [0, 0, 6] }),
      instance(3, {
        frames: 2,
        orientation: axial,
        framePositions: [
          [0, 0, 7],
          [0, 0, 8],
        ],
      }),
      instance(4, { frames: 2 }),
    ]);
    expect(frames.map((f) => f.imageId)).toEqual([
      'wadouri:http://127.0.0.1:1/instances/1',
      'wadouri:http://127.0.0.1:1/instances/3?frame=1',
      'wadouri:http://127.0.0.1:1/instances/3?frame=2',
      'wadouri:http://127.0.0.1:1/instances/4?frame=1',
      'wadouri:http://127.0.0.1:1/instances/4?frame=2',
    ]);
    expect(frames.map((f) => f.position)).toEqual([[0, 0, 5], [0, 0, 7], [0, 0, 8], null, null]);
    expect(frames[1]!.orientation).toEqual(axial);
    expect(stackImageIds([instance(9, {})])).toEqual(['wadouri:http://127.0.0.1:1/instances/9']);
  });
});
