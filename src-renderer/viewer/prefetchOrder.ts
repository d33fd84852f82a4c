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
