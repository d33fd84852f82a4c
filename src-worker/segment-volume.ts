/** The whole segmentation of one series: session, conform, intensity, model, argmax, back to the series. */
import * as ort from 'onnxruntime-node';
import type { ModelSpec, SegmentResult, SegmentStage, SeriesVolume } from '../src-shared/inference-protocol';
import type { Affine } from '../src-shared/geometry';
import { conformVolume } from './conform';
import { getSession, runOnBestSession } from './execution-provider';
import type { ModelSession } from './execution-provider';
import { minMaxToUnit, robustRange, scaleToUint8 } from './intensity';
import { argmaxLabels, labelsToSeries } from './map-labels';
import { trackPeakMemory } from './peak-memory';

export type ProgressListener = (stage: SegmentStage, fraction: number) => void;

/** Overall fraction reported as each stage starts (model run dominates the time). */
const STAGE_START: Readonly<Record<SegmentStage, number>> = {
  'loading-model': 0,
  conforming: 0.05,
  'running-model': 0.15,
  'post-processing': 0.9,
};

export async function segmentVolume(
  model: ModelSpec,
  volume: SeriesVolume,
  onProgress: ProgressListener = () => undefined,
): Promise<SegmentResult> {
  const size = model.conformSize;
  if (!Number.isInteger(size) || size < 1) throw new Error(`model ${model.id}: invalid conformSize ${size}`);
  const memory = trackPeakMemory();
  const stage = (name: SegmentStage): void => {
    memory.sample();
    onProgress(name, STAGE_START[name]);
  };

  stage('loading-model');
  checkNames((await getSession(model.path)).session, model);

  stage('conforming');
  let started = performance.now();
  // `let` so the 64 MB input can be dropped as soon as the model has consumed it.
  let prepared: PreparedInput | undefined = prepareInput(volume, size);
  const conformedAffine = prepared.affine;
  const conformMs = performance.now() - started;

  stage('running-model');
  started = performance.now();
  const run = await runModel(model, prepared.input);
  let logits: Float32Array | undefined = run.logits;
  // eslint-disable-next-line no-useless-assignment -- drops the last reference so GC can reclaim it now
  prepared = undefined;
  const modelRunMs = performance.now() - started;

  stage('post-processing');
  started = performance.now();
  const expected = model.classCount * size * size * size;
  if (logits.length !== expected) {
    throw new Error(`model ${model.id}: output has ${logits.length} values, expected ${expected}`);
  }
  const conformedLabels = argmaxLabels(logits, model.classCount);
  // The 192 MB of logits are not needed once argmax has run.
  // eslint-disable-next-line no-useless-assignment -- drops the last reference so GC can reclaim it now
  logits = undefined;
  const mapped = labelsToSeries(
    conformedLabels,
    size,
    conformedAffine,
    volume.dims,
    volume.affine,
    model.classCount,
  );
  const postprocessMs = performance.now() - started;

  return {
    labels: mapped.labels,
    labelCounts: mapped.counts,
    executionProvider: run.used.provider,
    skippedProviders: run.used.skipped,
    timings: { conformMs, modelRunMs, postprocessMs },
    peakRssBytes: memory.peakBytes(),
  };
}

interface PreparedInput {
  /** Model-ready values in tensor order, 0..1. */
  readonly input: Float32Array;
  readonly affine: Affine;
}

/** Conform, scale to uint8 as FreeSurfer does, then min-max to 0..1 in the conformed buffer itself. */
export function prepareInput(volume: SeriesVolume, size: number): PreparedInput {
  const conformed = conformVolume(volume, size);
  const bytes = scaleToUint8(conformed.data, robustRange(conformed.data));
  return { input: minMaxToUnit(bytes, conformed.data), affine: conformed.affine };
}

async function runModel(
  model: ModelSpec,
  input: Float32Array,
): Promise<{ readonly logits: Float32Array; readonly used: ModelSession }> {
  const size = model.conformSize;
  const feeds = { [model.inputName]: new ort.Tensor('float32', input, [1, 1, size, size, size]) };
  const { result: outputs, used } = await runOnBestSession(model.path, (session) =>
    session.run(feeds, [model.outputName]),
  );
  const output = outputs[model.outputName];
  if (!output) throw new Error(`model ${model.id}: no output named '${model.outputName}'`);
  if (output.type !== 'float32')
    throw new Error(`model ${model.id}: output is ${output.type}, expected float32`);
  const dims = output.dims;
  if (dims.length !== 5 || dims[1] !== model.classCount) {
    throw new Error(
      `model ${model.id}: output shape [${dims.join(',')}], expected [1,${model.classCount},...]`,
    );
  }
  return { logits: output.data as Float32Array, used };
}

/** A wrong input/output name would otherwise surface as an opaque onnxruntime error after the conform. */
function checkNames(session: ort.InferenceSession, model: ModelSpec): void {
  if (!session.inputNames.includes(model.inputName)) {
    throw new Error(
      `model ${model.id}: no input '${model.inputName}' (has ${session.inputNames.join(', ')})`,
    );
  }
  if (!session.outputNames.includes(model.outputName)) {
    throw new Error(
      `model ${model.id}: no output '${model.outputName}' (has ${session.outputNames.join(', ')})`,
    );
  }
}
