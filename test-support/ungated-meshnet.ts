/**
 * A models folder with the project's MeshNet without its input gate, for tests and benchmarks that
 * use small MR series (the trio's field maps, a 20-slice PD) only as quick volumes to exercise the
 * engine: the app itself does not offer them to MeshNet.
 */
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SegmentationManifest } from '../src-shared/models';
import { repoRoot } from './shared-data';

export function ungatedMeshnetDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lumen-ungated-models-'));
  const source = join(repoRoot, 'models', 'meshnet-gwm');
  const manifest = JSON.parse(readFileSync(join(source, 'manifest.json'), 'utf8')) as SegmentationManifest;
  const ungated = { ...manifest, inputGate: undefined };
  mkdirSync(join(dir, 'meshnet-gwm', 'weights'), { recursive: true });
  writeFileSync(join(dir, 'meshnet-gwm', 'manifest.json'), JSON.stringify(ungated));
  symlinkSync(join(source, 'weights', 'model.onnx'), join(dir, 'meshnet-gwm', 'weights', 'model.onnx'));
  return dir;
}
