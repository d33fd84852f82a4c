import { describe, expect, it } from 'vitest';
import { nextPrefetchIndex, prefetchOrder, prefetchReach } from './prefetchOrder';

/** Every index the picker gives, in order, past those taken already. */
const order = (centre: number, count: number, reach: number, taken = new Set<number>()): number[] =>
  prefetchOrder(centre, count, reach, (i) => !taken.has(i));

describe('nextPrefetchIndex', () => {
  it('goes outwards from the centre, the slice after before the slice before', () => {
    expect(order(3, 7, 7)).toEqual([3, 4, 2, 5, 1, 6, 0]);
  });

  it('skips slices already cached or requested', () => {
    expect(order(0, 5, 5, new Set([0, 2]))).toEqual([1, 3, 4]);
  });

  it('takes only the reach nearest slices, more on one side near an end', () => {
    expect(order(5, 100, 4)).toEqual([5, 6, 4, 7]);
    expect(order(1, 100, 5)).toEqual([1, 2, 0, 3, 4]);
    expect(order(99, 100, 3)).toEqual([99, 98, 97]);
  });

  it('re-centres: after a jump the nearest slices to the new centre come first', () => {
    const taken = new Set([0, 1, 2, 3]);
    expect(nextPrefetchIndex(90, 100, 100, (i) => !taken.has(i))).toBe(90);
    taken.add(90);
    expect(nextPrefetchIndex(90, 100, 100, (i) => !taken.has(i))).toBe(91);
  });

  it('gives nothing for an empty stack or no reach', () => {
    expect(nextPrefetchIndex(0, 0, 10, () => true)).toBeNull();
    expect(nextPrefetchIndex(0, 10, 0, () => true)).toBeNull();
  });
});

describe('prefetchReach', () => {
  const slice = 512 * 512 * 2;
  const budget = 512 * 1024 * 1024;

  it('lets one stack prefetch a whole 1,000-slice CT', () => {
    expect(prefetchReach(budget, 1, slice, 1000)).toBe(1000);
  });

  it('splits the budget among the stacks prefetching, so a 2x2 grid holds one budget in all', () => {
    expect(prefetchReach(budget, 2, slice, 1000)).toBe(512);
    expect(prefetchReach(budget, 4, slice, 1000)).toBe(256);
    expect(4 * prefetchReach(budget, 4, slice, 1000) * slice).toBeLessThanOrEqual(budget);
  });

  it('never reaches past the stack, and takes no stacks or empty slices as one', () => {
    expect(prefetchReach(budget, 4, slice, 128)).toBe(128);
    expect(prefetchReach(budget, 0, slice, 2000)).toBe(1024);
    expect(prefetchReach(10, 1, 0, 5)).toBe(5);
  });
});
