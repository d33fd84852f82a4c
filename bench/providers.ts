/**
 * The execution providers this machine can use, compared in the real inference process: MeshNet's
 * 256^3 brain segmentation and the DenseNet stand-in's classification (batch 1 and 8), each with one
 * provider forced through LUMEN_EXECUTION_PROVIDERS. An accelerator's labels are compared with the
 * CPU's, voxel by voxel: a provider that is fast but segments differently is no use.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { ModelSpec, SegmentResult, SeriesVolume } from '../src-shared/inference-protocol';
import { parseNifti } from '../src-shared/nifti';
import { LPS_TO_RAS, multiplyAffine } from '../src-shared/geometry';
import { InferenceProcess } from '../src-main/inference/inference-process';
import { forkInferenceProcess } from '../src-main/inference/fork-channel';
import { inferenceEntry } from '../src-main/app-paths';
import { percentile } from '../src-main/analysis/engine-stats';
import { availableProviders } from '../src-worker/execution-provider';
import { preprocessXray } from '../src-shared/xray-preprocess';
import { hasSharedData, MESHNET_MODEL, sharedPath } from '../test-support/shared-data';
import { hasStandIn, STAND_IN_SPEC, syntheticXray } from '../test-support/standin-models';
import { figure } from './report';

const GROUP = 'providers';
/** CPU first: it is the reference the others are compared with. */
const CANDIDATES = ['cpu', 'cuda', 'webgpu', 'dml', 'coreml'];
const T1_NIFTI = 'dicom/nifti/brainchop_t1_crop.nii.gz';
const RUNS = 3;

const MESHNET: ModelSpec = {
  id: 'meshnet-gwm',
  path: sharedPath(MESHNET_MODEL),
  inputName: 'input',
  outputName: 'output',
  conformSize: 256,
  classCount: 3,
};

/** The brainchop T1 as the engine would hand it over: LPS affine, scaled values. */
function t1Volume(): SeriesVolume {
  const nifti = parseNifti(gunzipSync(readFileSync(sharedPath(T1_NIFTI))));
  return { dims: nifti.dims, affine: multiplyAffine(LPS_TO_RAS, nifti.affine), data: nifti.data };
}

function dice(a: Uint8Array, b: Uint8Array, label: number): number {
  let both = 0;
  let either = 0;
  for (let v = 0; v < a.length; v++) {
    const inA = a[v] === label;
    const inB = b[v] === label;
    if (inA && inB) both++;
    if (inA) either++;
    if (inB) either++;
  }
  return either === 0 ? 1 : (2 * both) / either;
}

async function segmentation(
  inference: InferenceProcess,
  provider: string,
  volume: SeriesVolume,
  reference: SegmentResult | null,
): Promise<SegmentResult> {
  // The first run includes creating the session (and, on a GPU, compiling its kernels).
  const first = await inference.segment(MESHNET, volume);
  if (first.executionProvider !== provider)
    throw new Error(`ran on ${first.executionProvider}, not ${provider}`);
  figure(GROUP, `${provider}_meshnet_first_run`, first.timings.modelRunMs, 'ms', 0);
  const runs: number[] = [];
  for (let n = 0; n < RUNS; n++) runs.push((await inference.segment(MESHNET, volume)).timings.modelRunMs);
  runs.sort((a, b) => a - b);
  figure(GROUP, `${provider}_meshnet_session_run_median`, percentile(runs, 50), 'ms', 0);
  if (reference) {
    let same = 0;
    for (let v = 0; v < first.labels.length; v++) if (first.labels[v] === reference.labels[v]) same++;
    figure(GROUP, `${provider}_meshnet_voxels_as_cpu`, (100 * same) / first.labels.length, '%', 3);
    for (const [label, name] of [
      [1, 'white_matter'],
      [2, 'grey_matter'],
    ] as const)
      figure(
        GROUP,
        `${provider}_meshnet_dice_vs_cpu_${name}`,
        dice(first.labels, reference.labels, label),
        '',
        4,
      );
  }
  return first;
}

async function classification(inference: InferenceProcess, provider: string): Promise<void> {
  const images = Array.from({ length: 16 }, (_, n) => preprocessXray(syntheticXray(n + 1), 224));
  const batch = (from: number, count: number) => {
    const input = new Float32Array(count * 224 * 224);
    for (let n = 0; n < count; n++) input.set(images[from + n]!, n * 224 * 224);
    return inference.classify(STAND_IN_SPEC, input, count);
  };
  for (const size of [1, 8]) {
    // One batch of this size first: a GPU provider compiles its kernels for each input shape.
    await batch(0, size);
    const started = performance.now();
    for (let from = 0; from < images.length; from += size) await batch(from, size);
    const seconds = (performance.now() - started) / 1000;
    figure(GROUP, `${provider}_densenet_images_per_s_batch_${size}`, images.length / seconds, 'images/s');
  }
}

async function main(): Promise<void> {
  if (!hasSharedData) {
    console.log(`${GROUP}: skipped, ../shared (the T1 and MeshNet) is absent`);
    return;
  }
  const built = new Set(availableProviders());
  console.log(`${GROUP}: this onnxruntime build carries ${[...built].join(', ')}`);
  const volume = t1Volume();
  let reference: SegmentResult | null = null;
  for (const provider of CANDIDATES.filter((p) => built.has(p))) {
    process.env.LUMEN_EXECUTION_PROVIDERS = provider;
    const inference = new InferenceProcess(inferenceEntry, forkInferenceProcess);
    try {
      const result = await segmentation(inference, provider, volume, reference);
      reference ??= result;
      if (hasStandIn) await classification(inference, provider);
      else console.log(`${GROUP}: DenseNet figures skipped, the stand-in is absent`);
    } catch (error) {
      console.log(`${GROUP}: ${provider} not usable here: ${error instanceof Error ? error.message : error}`);
    } finally {
      inference.shutdown();
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
