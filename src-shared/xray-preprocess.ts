/**
 * Chest X-ray preprocessing (torchxrayvision): each grey image is scaled to [-1024, 1024] by its
 * own maximum, centre-cropped to a square and resized to the model's edge. Done in main, so only
 * the model-sized tensor crosses to the inference process, not the full-size image.
 */
import type { GreyImage } from './inference-protocol';

/** One image as the model wants it: S*S values in [-1024, 1024], row after row. */
export function preprocessXray(image: GreyImage, size: number): Float32Array {
  const { rows, columns, data, maxValue } = image;
  if (data.length !== rows * columns)
    throw new Error(`image has ${data.length} values, ${rows}x${columns} needs ${rows * columns}`);
  if (!(maxValue > 0)) throw new Error(`image maximum must be positive, not ${maxValue}`);
  const edge = Math.min(rows, columns);
  const top = (rows - edge) / 2;
  const left = (columns - edge) / 2;
  const out = new Float32Array(size * size);
  const scale = edge / size;
  for (let y = 0; y < size; y++) {
    // Bilinear sampling at the centre of each output pixel.
    const sy = Math.min(Math.max(top + (y + 0.5) * scale - 0.5, 0), rows - 1);
    const y0 = Math.floor(sy);
    const y1 = Math.min(y0 + 1, rows - 1);
    const fy = sy - y0;
    for (let x = 0; x < size; x++) {
      const sx = Math.min(Math.max(left + (x + 0.5) * scale - 0.5, 0), columns - 1);
      const x0 = Math.floor(sx);
      const x1 = Math.min(x0 + 1, columns - 1);
      const fx = sx - x0;
      const value =
        (data[y0 * columns + x0]! * (1 - fx) + data[y0 * columns + x1]! * fx) * (1 - fy) +
        (data[y1 * columns + x0]! * (1 - fx) + data[y1 * columns + x1]! * fx) * fy;
      out[y * size + x] = (2 * (value / maxValue) - 1) * 1024;
    }
  }
  return out;
}
