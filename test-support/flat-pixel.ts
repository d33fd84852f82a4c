/**
 * Where a test can point at one pixel with the mouse and know its value whichever neighbour the
 * click lands on: the screen and the image rarely share a pixel grid.
 */

/**
 * An image pixel (column, row) inside a 7x7 patch of one value, the first with a value in the band.
 * For noisy images (CT soft tissue has no such patch), `tolerance` lets the patch's values lie within
 * that much of the pixel's, and `radius` makes the patch smaller (1: the pixel's 3x3 neighbourhood).
 */
export function flatPixel(
  values: ArrayLike<number>,
  width: number,
  low: number,
  high: number,
  { radius = 3, tolerance = 0 }: { radius?: number; tolerance?: number } = {},
): [number, number, number] {
  const height = values.length / width;
  for (let row = radius; row < height - radius; row += 2) {
    for (let column = radius; column < width - radius; column += 2) {
      const value = values[row * width + column]!;
      if (value < low || value > high) continue;
      let flat = true;
      for (let dy = -radius; dy <= radius && flat; dy++)
        for (let dx = -radius; dx <= radius && flat; dx++)
          flat = Math.abs(values[(row + dy) * width + column + dx]! - value) <= tolerance;
      if (flat) return [column, row, value];
    }
  }
  throw new Error(`no flat patch with a value in ${low}..${high}`);
}
