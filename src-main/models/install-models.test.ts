import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ModelManifest } from '../../src-shared/models';
import { ModelRegistry } from './model-registry';
import { hasSharedData, repoRoot, sharedDir, MESHNET_MODEL } from '../../test-support/shared-data';

const manifestPath = join(repoRoot, 'models', 'meshnet-gwm', 'manifest.json');

/** A models folder holding only the project's manifest, its source URL pointed at a closed port. */
function modelsFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lumen-models-'));
  mkdirSync(join(dir, 'meshnet-gwm'));
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as ModelManifest;
  const offline = { ...manifest, weights: { ...manifest.weights, url: 'http://127.0.0.1:9/model.onnx' } };
  writeFileSync(join(dir, 'meshnet-gwm', 'manifest.json'), JSON.stringify(offline));
  return dir;
}

function install(modelsDir: string, shared: string): string {
  const run = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'install-models.mjs')], {
    env: { ...process.env, LUMEN_MODELS_DIR: modelsDir, LUMEN_SHARED_DIR: shared },
    encoding: 'utf8',
  });
  expect(run.status).toBe(0);
  return run.stdout + run.stderr;
}

describe('model install step', () => {
  it('refuses weights whose sha256 differs from the manifest, and installs nothing', () => {
    const shared = mkdtempSync(join(tmpdir(), 'lumen-shared-'));
    const fake = join(shared, MESHNET_MODEL);
    mkdirSync(join(fake, '..'), { recursive: true });
    writeFileSync(fake, 'not the model');
    const models = modelsFolder();
    const output = install(models, shared);
    expect(output).toMatch(/meshnet-gwm NOT installed \(refused .*sha256/);
    expect(existsSync(join(models, 'meshnet-gwm', 'weights', 'model.onnx'))).toBe(false);
  });

  it('offline and without the shared folder, says what is missing and the app reports it', async () => {
    const models = modelsFolder();
    const output = install(models, join(tmpdir(), 'no-such-shared-folder'));
    expect(output).toMatch(/meshnet-gwm NOT installed/);
    expect(output).toMatch(/npm run models:install/);
    const [info] = await new ModelRegistry(models).list();
    expect(info!.installed).toBe(false);
    expect(info!.installHint).toMatch(/npm run models:install/);
  });

  it.skipIf(!hasSharedData)('copies the real weights from the shared folder and verifies them', async () => {
    const models = modelsFolder();
    expect(install(models, sharedDir)).toMatch(/installed meshnet-gwm from /);
    const [info] = await new ModelRegistry(models).list();
    expect(info!.installed).toBe(true);
    // A file changed after installation is no longer taken for the model.
    copyFileSync(manifestPath, join(models, 'meshnet-gwm', 'weights', 'model.onnx'));
    const [changed] = await new ModelRegistry(models).list();
    expect(changed!.installed).toBe(false);
  });
});
