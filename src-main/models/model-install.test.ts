import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Workstation } from '../backend/workstation';
import { forkInferenceProcess } from '../inference/fork-channel';
import {
  compiledWorker,
  hasSharedData,
  MESHNET_MODEL,
  repoRoot,
  sharedPath,
} from '../../test-support/shared-data';

const standIn = sharedPath('models', 'standins', 'densenet121-xrv-shaped-RANDOM.onnx');
const meshnetManifest = JSON.parse(
  readFileSync(join(repoRoot, 'models', 'meshnet-gwm', 'manifest.json'), 'utf8'),
) as Record<string, unknown>;

function manifestFile(dir: string, changes: Record<string, unknown>): string {
  const path = join(dir, `${String(changes.id)}.json`);
  // A template: no sha256 or size, the installer measures them.
  writeFileSync(path, JSON.stringify({ ...meshnetManifest, weights: { file: 'model.onnx' }, ...changes }));
  return path;
}

describe.skipIf(!hasSharedData)('Install model…', () => {
  it('installs a model whose inputs and outputs match its manifest, refuses the others with the reason', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lumen-install-'));
    const inputs = mkdtempSync(join(tmpdir(), 'lumen-install-inputs-'));
    const workstation = new Workstation({
      dataDir,
      modelsDir: join(repoRoot, 'models'),
      inferenceEntry: compiledWorker,
      startInferenceProcess: forkInferenceProcess,
    });

    const installed = await workstation.installModel({
      onnxPath: sharedPath(MESHNET_MODEL),
      manifestPath: manifestFile(inputs, { id: 'meshnet-user-copy', name: 'MeshNet (user copy)' }),
    });
    expect(installed).toMatchObject({ id: 'meshnet-user-copy', installed: true });
    expect(installed.weightsSha256).toBe('02850fb059badf0717d26f61048293b7422b2453fb48db8ae95d046059bfd90f');
    expect((await workstation.listModels()).map((m) => m.id)).toContain('meshnet-user-copy');

    if (existsSync(standIn)) {
      await expect(
        workstation.installModel({
          onnxPath: standIn,
          manifestPath: manifestFile(inputs, {
            id: 'wrong-shape',
            input: { ...(meshnetManifest.input as object), name: 'image' },
            output: { ...(meshnetManifest.output as object), name: 'logits' },
          }),
        }),
      ).rejects.toThrow(
        /^densenet121-xrv-shaped-RANDOM\.onnx does not match its manifest: input "image" has shape \[.*, 1, 224, 224\] in the model, the manifest says \[batch, 1, 256, 256, 256\]; output "logits" has shape/,
      );
    }
    const garbage = join(inputs, 'garbage.onnx');
    writeFileSync(garbage, 'not a model');
    await expect(
      workstation.installModel({ onnxPath: garbage, manifestPath: manifestFile(inputs, { id: 'garbage' }) }),
    ).rejects.toThrow(/^garbage\.onnx cannot be opened as an ONNX model: /);
    await expect(
      workstation.installModel({
        onnxPath: sharedPath(MESHNET_MODEL),
        manifestPath: manifestFile(inputs, { id: 'meshnet-gwm' }),
      }),
    ).rejects.toThrow('a model with id "meshnet-gwm" is already installed');
    expect(readdirSync(join(dataDir, 'models'))).toEqual(['meshnet-user-copy']);
    workstation.close();

    // The user's model is there after a restart.
    const reopened = new Workstation({
      dataDir,
      modelsDir: join(repoRoot, 'models'),
      inferenceEntry: compiledWorker,
      startInferenceProcess: forkInferenceProcess,
    });
    expect((await reopened.listModels()).find((m) => m.id === 'meshnet-user-copy')?.installed).toBe(true);
    reopened.close();
  });
});
