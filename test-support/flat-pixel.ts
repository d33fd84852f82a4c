/**
 * Where a test can point at one pixel with the mouse and know its value whichever neighbour the
 * click lands on: the screen and the image rarely share a pixel grid.
 */

/** An image pixel (column, row) inside a 7x7 patch of one value, the first with a value in the band. */
export function flatPixel(
  values: ArrayLike<number>,
  width: number,
  low: number,
  high: number,
): [number, number, number] {
  const height = values.length / width;
  for (let row = 3; row < height - 3; row += 2) {
    for (let column = 3; column < width - 3; column += 2) {
      const value = values[row * width + column]!;
      if (value < low || value > high) continue;
      let flat = true;
      for (let dy = -3; dy <= 3 && flat; dy++)
        for (let dx = -3; dx <= 3 && flat; dx++) flat = values[(row + dy) * width + column + dx] === value;
      if (flat) return [column, row, value];
    }
  }
  throw new Error(`no flat patch with a value in ${low}..${high}`);
}
