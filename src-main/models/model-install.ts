/**
 * "Install model…": takes an .onnx file and its manifest, has the inference process open the model
 * and report its inputs and outputs, refuses any mismatch with the manifest, and otherwise copies
 * the weights into the user's models folder with the sha256 and size it measured.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { ModelIo, TensorInfo } from '../../src-shared/inference-protocol';
import type { ModelManifest } from '../../src-shared/models';
import { sha256File } from './model-registry';

export class ModelInstallError extends Error {}

const MODEL_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** Every way the model's inputs and outputs differ from what the manifest says; empty when they agree. */
export function ioMismatches(io: ModelIo, manifest: ModelManifest): string[] {
  const problems: string[] = [];
  const compare = (
    kind: 'input' | 'output',
    declared: { name: string; shape: readonly (number | string)[] },
    actual: readonly TensorInfo[],
  ): void => {
    const found = actual.find((t) => t.name === declared.name);
    if (!found) {
      problems.push(
        `the manifest's ${kind} "${declared.name}" is not in the model (it has ${actual.map((t) => `"${t.name}"`).join(', ')})`,
      );
      return;
    }
    const fixedDiffers = declared.shape.some(
      (d, n) => typeof d === 'number' && typeof found.shape[n] === 'number' && found.shape[n] !== d,
    );
    if (found.shape.length !== declared.shape.length || fixedDiffers) {
      problems.push(
        `${kind} "${declared.name}" has shape [${found.shape.join(', ')}] in the model, the manifest says [${declared.shape.join(', ')}]`,
      );
    }
  };
  compare('input', manifest.input, io.inputs);
  compare('output', manifest.output, io.outputs);
  if (manifest.task === 'classification' && manifest.cam) compare('output', manifest.cam, io.outputs);
  return problems;
}

/** Reads and checks a manifest's fields before anything trusts it. */
export function readManifest(path: string): ModelManifest {
  let manifest: ModelManifest;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8')) as ModelManifest;
  } catch (error) {
    throw new ModelInstallError(
      `the manifest ${basename(path)} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (typeof manifest.id !== 'string' || !MODEL_ID.test(manifest.id))
    throw new ModelInstallError('the manifest needs an "id" of lower-case letters, digits and dashes');
  for (const key of ['name', 'version'] as const) {
    if (typeof manifest[key] !== 'string' || manifest[key] === '')
      throw new ModelInstallError(`the manifest needs a "${key}"`);
  }
  if (typeof manifest.input?.name !== 'string' || !Array.isArray(manifest.input.shape))
    throw new ModelInstallError('the manifest needs "input" with "name" and "shape"');
  if (typeof manifest.output?.name !== 'string' || !Array.isArray(manifest.output.shape))
    throw new ModelInstallError('the manifest needs "output" with "name" and "shape"');
  if (!Array.isArray(manifest.labels) || !Array.isArray(manifest.modalities))
    throw new ModelInstallError('the manifest needs "labels" and "modalities"');
  if (manifest.task === 'classification') {
    if (!Number.isInteger(manifest.input.size) || manifest.input.size < 1)
      throw new ModelInstallError(
        'a classification manifest needs "input.size", the edge of its square input',
      );
    if (!manifest.labels.every((l) => typeof l?.name === 'string' && typeof l.threshold === 'number'))
      throw new ModelInstallError('each label of a classification manifest needs a "name" and a "threshold"');
  } else if (manifest.task === 'segmentation') {
    if (!Number.isInteger(manifest.input.conform?.size))
      throw new ModelInstallError('a segmentation manifest needs "input.conform.size"');
    if (!manifest.labels.every((l) => typeof l?.name === 'string' && typeof l.value === 'number'))
      throw new ModelInstallError('each label of a segmentation manifest needs a "value" and a "name"');
  } else {
    throw new ModelInstallError('the manifest\'s "task" must be "segmentation" or "classification"');
  }
  return manifest;
}

/**
 * Installs into `userModelsDir/<id>/` and returns the manifest as written (with the measured
 * sha256 and size). `inspect` opens the model in the inference process.
 */
export async function installModel(
  onnxPath: string,
  manifestPath: string,
  userModelsDir: string,
  inspect: (path: string) => Promise<ModelIo>,
  isKnownId: (id: string) => boolean,
): Promise<ModelManifest> {
  const manifest = readManifest(manifestPath);
  if (isKnownId(manifest.id))
    throw new ModelInstallError(`a model with id "${manifest.id}" is already installed`);
  if (!existsSync(onnxPath)) throw new ModelInstallError(`${basename(onnxPath)} does not exist`);
  let io: ModelIo;
  try {
    io = await inspect(onnxPath);
  } catch (error) {
    throw new ModelInstallError(
      `${basename(onnxPath)} cannot be opened as an ONNX model: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const problems = ioMismatches(io, manifest);
  if (problems.length > 0)
    throw new ModelInstallError(`${basename(onnxPath)} does not match its manifest: ${problems.join('; ')}`);
  const sha256 = await sha256File(onnxPath);
  if (manifest.weights?.sha256 && manifest.weights.sha256 !== sha256) {
    throw new ModelInstallError(
      `${basename(onnxPath)} has sha256 ${sha256}, the manifest says ${manifest.weights.sha256}`,
    );
  }
  const dir = join(userModelsDir, manifest.id);
  mkdirSync(join(dir, 'weights'), { recursive: true });
  const installed: ModelManifest = {
    ...manifest,
    weights: { ...manifest.weights, file: 'model.onnx', sha256, bytes: statSync(onnxPath).size },
  };
  copyFileSync(onnxPath, join(dir, 'weights', 'model.onnx'));
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(installed, null, 2)}\n`);
  return installed;
}
