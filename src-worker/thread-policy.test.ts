import { describe, expect, it } from 'vitest';
import { DEFAULT_NICENESS, inferenceNiceness, intraOpThreads } from './thread-policy';

describe('inference thread policy', () => {
  it('leaves the viewer one core, keeps at least one thread, and honours an explicit count', () => {
    expect(intraOpThreads({}, 2)).toBe(1);
    expect(intraOpThreads({}, 1)).toBe(1);
    expect(intraOpThreads({}, 16)).toBe(15);
    expect(intraOpThreads({ LUMEN_INTRA_OP_THREADS: '2' }, 2)).toBe(2);
    // Not a positive integer: the default, not NaN threads.
    for (const bad of ['0', '-1', '1.5', 'many', ''])
      expect(intraOpThreads({ LUMEN_INTRA_OP_THREADS: bad }, 4)).toBe(3);
  });

  it('runs at the lowest priority unless told a nice value from 0 to 19', () => {
    expect(DEFAULT_NICENESS).toBe(19);
    expect(inferenceNiceness({})).toBe(19);
    expect(inferenceNiceness({ LUMEN_INFERENCE_NICENESS: '10' })).toBe(10);
    expect(inferenceNiceness({ LUMEN_INFERENCE_NICENESS: '0' })).toBe(0);
    for (const bad of ['-5', '20', 'low'])
      expect(inferenceNiceness({ LUMEN_INFERENCE_NICENESS: bad })).toBe(19);
  });
});
