/**
 * A models folder holding only the DenseNet stand-in (RANDOM weights, ../shared/models/standins),
 * registered the way a real chest X-ray classifier would be. For tests and benchmarks only: the
 * app's own models/ never holds it, and its manifest says `testOnly`, so its output is labelled as
 * a test model's and never shown as a finding.
 */
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClassificationManifest } from '../src-shared/models';
import type { ClassifierSpec, GreyImage } from '../src-shared/inference-protocol';
import { sharedPath } from './shared-data';

export const STAND_IN_ONNX = sharedPath('models', 'standins', 'densenet121-xrv-shaped-RANDOM.onnx');
export const STAND_IN_ID = 'densenet-standin-random';
export const hasStandIn = existsSync(STAND_IN_ONNX);

/** What the inference process is told to run the stand-in directly, outside the job system. */
export const STAND_IN_SPEC: ClassifierSpec = {
  id: STAND_IN_ID,
  path: STAND_IN_ONNX,
  inputName: 'image',
  inputSize: 224,
  logitsName: 'logits',
  camName: 'cam',
  classCount: 18,
};

/** torchxrayvision's label order and "all" thresholds (../shared/models/README.md). */
const LABELS: ReadonlyArray<readonly [string, number]> = [
  ['Atelectasis', 0.07422872],
  ['Consolidation', 0.038290843],
  ['Infiltration', 0.09814756],
  ['Pneumothorax', 0.0098118475],
  ['Edema', 0.023601074],
  ['Emphysema', 0.0022490358],
  ['Fibrosis', 0.010060724],
  ['Effusion', 0.103246614],
  ['Pneumonia', 0.056810737],
  ['Pleural_Thickening', 0.026791653],
  ['Cardiomegaly', 0.050318155],
  ['Nodule', 0.023985857],
  ['Mass', 0.01939503],
  ['Hernia', 0.042889766],
  ['Lung Lesion', 0.053369623],
  ['Fracture', 0.035975814],
  ['Lung Opacity', 0.20204692],
  ['Enlarged Cardiomediastinum', 0.05015312],
];

export function standInManifest(
  sha256: string,
  bytes: number,
  modalities: readonly string[] = ['CR', 'DX'],
): ClassificationManifest {
  return {
    id: STAND_IN_ID,
    name: 'DenseNet-121 stand-in (RANDOM weights)',
    version: 'random-1',
    task: 'classification',
    description: 'torchxrayvision DenseNet-121 layout with random weights: for tests and benchmarks only.',
    licence: 'test asset',
    modalities: [...modalities],
    testOnly: true,
    weights: {
      file: 'model.onnx',
      sha256,
      bytes,
      url: '',
      sharedPath: 'models/standins/densenet121-xrv-shaped-RANDOM.onnx',
    },
    input: { name: 'image', shape: ['batch', 1, 224, 224], size: 224, normalisation: 'xrv-1024' },
    output: { name: 'logits', shape: ['batch', 18], postprocess: 'sigmoid' },
    cam: { name: 'cam', shape: ['batch', 18, 7, 7] },
    labels: LABELS.map(([name, threshold]) => ({ name, threshold })),
  };
}

/**
 * A fresh models folder with the stand-in (weights linked, not copied); pass it as the models dir.
 * Other modalities let tests run it on images a chest classifier would not take (colour, NM, MR).
 */
export function standInModelsDir(modalities?: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'lumen-standin-models-'));
  const sha256 = createHash('sha256').update(readFileSync(STAND_IN_ONNX)).digest('hex');
  mkdirSync(join(dir, STAND_IN_ID, 'weights'), { recursive: true });
  symlinkSync(STAND_IN_ONNX, join(dir, STAND_IN_ID, 'weights', 'model.onnx'));
  writeFileSync(
    join(dir, STAND_IN_ID, 'manifest.json'),
    JSON.stringify(standInManifest(sha256, statSync(STAND_IN_ONNX).size, modalities), null, 2),
  );
  return dir;
}

/** A 512x512 8-bit test pattern, different for each seed (so no two are a cache hit). */
export function syntheticXray(seed: number): GreyImage {
  return {
    rows: 512,
    columns: 512,
    maxValue: 255,
    data: new Float32Array(512 * 512).map((_, v) => (v * seed) % 256),
  };
}
