/**
 * The 2D classification pipeline (torchxrayvision-style chest X-ray models): each grey image is
 * scaled to [-1024, 1024] by its own maximum, centre-cropped to a square, resized to the model's
 * edge, and the batch runs as one [N,1,S,S] tensor; logits go through a sigmoid, and the class
 * activation maps come back as they are.
 */
import * as ort from 'onnxruntime-node';
import type { ClassifierSpec, ClassifyResult, GreyImage } from '../src-shared/inference-protocol';
import { getSession } from './execution-provider';

/** One image as the model wants it: S*S values in [-1024, 1024], row after row. */
export function preprocessImage(image: GreyImage, size: number): Float32Array {
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

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

export async function classifyImages(
  spec: ClassifierSpec,
  images: readonly GreyImage[],
): Promise<ClassifyResult> {
  if (images.length === 0) throw new Error('no images to classify');
  const { session, provider } = await getSession(spec.path);
  const size = spec.inputSize;
  const input = new Float32Array(images.length * size * size);
  images.forEach((image, n) => input.set(preprocessImage(image, size), n * size * size));
  const started = performance.now();
  const outputs = await session.run(
    { [spec.inputName]: new ort.Tensor('float32', input, [images.length, 1, size, size]) },
    spec.camName ? [spec.logitsName, spec.camName] : [spec.logitsName],
  );
  const modelRunMs = performance.now() - started;
  const logits = outputs[spec.logitsName];
  if (
    !logits ||
    logits.dims.length !== 2 ||
    logits.dims[0] !== images.length ||
    logits.dims[1] !== spec.classCount
  ) {
    throw new Error(
      `model ${spec.id}: output "${spec.logitsName}" is [${logits?.dims.join(',') ?? ''}], expected [${images.length},${spec.classCount}]`,
    );
  }
  const scores = logits.data as Float32Array;
  const cam = spec.camName ? (outputs[spec.camName]?.data as Float32Array | undefined) : undefined;
  const camSize = cam ? cam.length / images.length : 0;
  return {
    executionProvider: provider,
    modelRunMs,
    images: images.map((_, n) => ({
      probabilities: Array.from(scores.subarray(n * spec.classCount, (n + 1) * spec.classCount), sigmoid),
      cam: cam ? cam.slice(n * camSize, (n + 1) * camSize) : null,
    })),
  };
}
