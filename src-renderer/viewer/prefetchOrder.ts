/**
 * The next slice to prefetch: the nearest to `centre` (the one after it before the one before it, at
 * equal distance) among the `reach` slices nearest to it, that `wanted` still accepts; null when none.
 * Near an end of the stack the reach extends on the other side.
 */
export function nextPrefetchIndex(
  centre: number,
  count: number,
  reach: number,
  wanted: (index: number) => boolean,
): number | null {
  let considered = 0;
  for (let distance = 0; considered < reach; distance++) {
    if (centre + distance >= count && centre - distance < 0) return null;
    for (const index of distance === 0 ? [centre] : [centre + distance, centre - distance]) {
      if (index < 0 || index >= count || considered >= reach) continue;
      considered++;
      if (wanted(index)) return index;
    }
  }
  return null;
}

/** Every slice nextPrefetchIndex gives from `centre` in turn, each taken as it is given. */
export function prefetchOrder(
  centre: number,
  count: number,
  reach: number,
  wanted: (index: number) => boolean = () => true,
): number[] {
  const order: number[] = [];
  const taken = new Set<number>();
  for (;;) {
    const index = nextPrefetchIndex(centre, count, reach, (i) => !taken.has(i) && wanted(i));
    if (index === null) return order;
    taken.add(index);
    order.push(index);
  }
}

/**
 * How many slices one stack may prefetch when `stacks` stacks share `budgetBytes` of decoded images
 * equally: a grid of large series holds one budget in all, not one a viewport.
 */
export function prefetchReach(
  budgetBytes: number,
  stacks: number,
  sliceBytes: number,
  count: number,
): number {
  return Math.min(count, Math.floor(budgetBytes / Math.max(1, stacks) / Math.max(1, sliceBytes)));
}
