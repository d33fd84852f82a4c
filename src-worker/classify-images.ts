/**
 * The 2D classification pipeline's model step (torchxrayvision-style chest X-ray models): the
 * batch of already preprocessed [S,S] images runs as one [N,1,S,S] tensor; logits go through a
 * sigmoid, and the class activation maps come back as they are.
 */
import * as ort from 'onnxruntime-node';
import type { ClassifierSpec, ClassifyResult } from '../src-shared/inference-protocol';
import { runOnBestSession } from './execution-provider';

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** `input`: `count` images of inputSize^2 values each, one after the other. */
export async function classifyImages(
  spec: ClassifierSpec,
  input: Float32Array,
  count: number,
): Promise<ClassifyResult> {
  const size = spec.inputSize;
  if (count < 1 || input.length !== count * size * size)
    throw new Error(`expected ${count} images of ${size}x${size} values, got ${input.length} values`);
  const feeds = { [spec.inputName]: new ort.Tensor('float32', input, [count, 1, size, size]) };
  const fetches = spec.camName ? [spec.logitsName, spec.camName] : [spec.logitsName];
  const started = performance.now();
  const { result: outputs, used } = await runOnBestSession(spec.path, (session) =>
    session.run(feeds, fetches),
  );
  const modelRunMs = performance.now() - started;
  const logits = outputs[spec.logitsName];
  if (!logits || logits.dims.length !== 2 || logits.dims[0] !== count || logits.dims[1] !== spec.classCount) {
    throw new Error(
      `model ${spec.id}: output "${spec.logitsName}" is [${logits?.dims.join(',') ?? ''}], expected [${count},${spec.classCount}]`,
    );
  }
  const scores = logits.data as Float32Array;
  const cam = spec.camName ? (outputs[spec.camName]?.data as Float32Array | undefined) : undefined;
  const camSize = cam ? cam.length / count : 0;
  return {
    executionProvider: used.provider,
    skippedProviders: used.skipped,
    modelRunMs,
    images: Array.from({ length: count }, (_, n) => ({
      probabilities: Array.from(scores.subarray(n * spec.classCount, (n + 1) * spec.classCount), sigmoid),
      cam: cam ? cam.slice(n * camSize, (n + 1) * camSize) : null,
    })),
  };
}
