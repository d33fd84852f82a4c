import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ClassifierSpec, GreyImage } from '../src-shared/inference-protocol';
import { InferenceProcess } from '../src-main/inference/inference-process';
import { forkInferenceProcess } from '../src-main/inference/fork-channel';
import { compiledWorker, hasSharedData, sharedPath } from '../test-support/shared-data';
import { preprocessXray } from '../src-shared/xray-preprocess';

// RANDOM weights: only the wiring is tested here, never what the numbers mean.
const STAND_IN = sharedPath('models', 'standins', 'densenet121-xrv-shaped-RANDOM.onnx');
const SPEC: ClassifierSpec = {
  id: 'densenet-stand-in',
  path: STAND_IN,
  inputName: 'image',
  inputSize: 224,
  logitsName: 'logits',
  camName: 'cam',
  classCount: 18,
};

function gradient(rows: number, columns: number, seed: number): GreyImage {
  const data = new Float32Array(rows * columns).map(
    (_, v) => ((v % columns) * 3 + Math.floor(v / columns) * seed) % 256,
  );
  return { rows, columns, maxValue: 255, data };
}

describe('2D classification preprocessing', () => {
  it('centre-crops to a square, keeps values at full size, and scales 0..max to -1024..1024', () => {
    // 2 rows x 4 columns: the centre square is columns 1-2.
    const image: GreyImage = {
      rows: 2,
      columns: 4,
      maxValue: 255,
      data: Float32Array.from([0, 51, 102, 255, 0, 204, 153, 255]),
    };
    const out = preprocessXray(image, 2);
    expect(Array.from(out)).toEqual(
      [51, 102, 204, 153].map((p) => (2 * (p / 255) - 1) * 1024).map(Math.fround),
    );
    expect(Array.from(preprocessXray({ ...image, data: new Float32Array(8).fill(255) }, 3))).toEqual(
      new Array(9).fill(1024),
    );
    expect(() => preprocessXray({ ...image, data: new Float32Array(7) }, 2)).toThrow(/2x4 needs 8/);
  });
});

describe.skipIf(!hasSharedData || !existsSync(STAND_IN))(
  '2D classification in the inference process (RANDOM-weight stand-in)',
  () => {
    it('returns 18 sigmoid scores and a 7x7 map per image, the same whether batched or one by one', async () => {
      const inference = new InferenceProcess(compiledWorker, forkInferenceProcess);
      try {
        const images = [
          gradient(300, 260, 1),
          gradient(256, 256, 5),
          gradient(512, 400, 9),
          gradient(224, 224, 2),
        ];
        const input = new Float32Array(images.length * 224 * 224);
        images.forEach((image, n) => input.set(preprocessXray(image, 224), n * 224 * 224));
        const batch = await inference.classify(SPEC, input, images.length);
        expect(batch.executionProvider).toBe('cpu');
        expect(batch.images).toHaveLength(4);
        for (const image of batch.images) {
          expect(image.probabilities).toHaveLength(18);
          // Random weights on inputs of ±1024 saturate some sigmoids to exactly 0 or 1.
          expect(image.probabilities.every((p) => p >= 0 && p <= 1)).toBe(true);
          expect(image.cam).toHaveLength(18 * 7 * 7);
        }
        // Different images give different scores: the batch is not one image repeated.
        expect(batch.images[0]!.probabilities).not.toEqual(batch.images[2]!.probabilities);
        for (const [n, image] of images.entries()) {
          const [single] = (await inference.classify(SPEC, preprocessXray(image, 224), 1)).images;
          single!.probabilities.forEach((p, c) =>
            expect(p).toBeCloseTo(batch.images[n]!.probabilities[c]!, 4),
          );
        }
        await expect(
          inference.classify({ ...SPEC, logitsName: 'nope' }, input, images.length),
        ).rejects.toThrow(/nope/);
        await expect(inference.classify(SPEC, input, 3)).rejects.toThrow(/3 images of 224\^2 need/);
      } finally {
        inference.shutdown();
      }
    });
  },
);
