/**
 * The `reach` slices nearest to `centre`, outwards, the one after it before the one before it at
 * equal distance. Near an end of the stack the reach extends on the other side.
 */
function* nearestSlices(centre: number, count: number, reach: number): Generator<number> {
  let considered = 0;
  for (let distance = 0; considered < reach; distance++) {
    if (centre + distance >= count && centre - distance < 0) return;
    for (const index of distance === 0 ? [centre] : [centre + distance, centre - distance]) {
      if (index < 0 || index >= count || considered >= reach) continue;
      considered++;
      yield index;
    }
  }
}

/** The next slice to prefetch: the first of the nearest slices that `wanted` still accepts; null when none. */
export function nextPrefetchIndex(
  centre: number,
  count: number,
  reach: number,
  wanted: (index: number) => boolean,
): number | null {
  for (const index of nearestSlices(centre, count, reach)) if (wanted(index)) return index;
  return null;
}

/** Every slice nextPrefetchIndex would give in turn, were each taken as it is given. */
export function prefetchOrder(
  centre: number,
  count: number,
  reach: number,
  wanted: (index: number) => boolean = () => true,
): number[] {
  return [...nearestSlices(centre, count, reach)].filter(wanted);
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
