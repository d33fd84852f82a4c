/** Labelmaps compared slice by slice where one series holds the other's slices in reverse order. */

/** How many slices of `frames` differ from `slices` read backwards (frame f against slice n - 1 - f). */
export function slicesDifferingReversed(frames: Uint8Array, slices: Uint8Array, sliceLength: number): number {
  const count = slices.length / sliceLength;
  let differing = 0;
  for (let f = 0; f < count; f++) {
    const a = frames.subarray(f * sliceLength, (f + 1) * sliceLength);
    const b = slices.subarray((count - 1 - f) * sliceLength, (count - f) * sliceLength);
    if (Buffer.compare(a, b) !== 0) differing++;
  }
  return differing;
}
