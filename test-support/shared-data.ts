/**
 * Locates the shared real test data (`../shared` beside the checkout, or LUMEN_SHARED_DIR). Tests
 * that need it skip, saying why, where it is absent.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '..');
export const sharedDir = process.env.LUMEN_SHARED_DIR ?? resolve(repoRoot, '..', 'shared');
export const hasSharedData = existsSync(resolve(sharedDir, 'dicom', 'manifest.json'));

export function sharedPath(...parts: string[]): string {
  return resolve(sharedDir, ...parts);
}

export const TRIO_STUDY = 'dicom/mr_series/trio_b17_brain_study';
export const T1_SERIES = `${TRIO_STUDY}/t1_MPRAGEcr_noGRAPPA_19`;
export const MESHNET_MODEL = 'models/onnx/meshnet-gwm-niivue/model.onnx';

export const compiledWorker = resolve(repoRoot, 'dist', 'main', 'src-worker', 'inference-main.js');

if (!hasSharedData) {
  console.warn(`Skipping tests that need real data: ${sharedDir} is absent (set LUMEN_SHARED_DIR).`);
}
