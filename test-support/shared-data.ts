/**
 * Locates the shared real test data (`../shared` beside the checkout, or LUMEN_SHARED_DIR). Tests
 * that need it skip, saying why, where it is absent.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** The checkout's root, from the sources or from their compiled copies under dist/. */
function findRepoRoot(from: string): string {
  let dir = from;
  while (!existsSync(resolve(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

export const repoRoot = findRepoRoot(__dirname);
export const sharedDir = process.env.LUMEN_SHARED_DIR ?? resolve(repoRoot, '..', 'shared');
export const hasSharedData = existsSync(resolve(sharedDir, 'dicom', 'manifest.json'));

export function sharedPath(...parts: string[]): string {
  return resolve(sharedDir, ...parts);
}

export const TRIO_STUDY = 'dicom/mr_series/trio_b17_brain_study';
export const T1_SERIES = `${TRIO_STUDY}/t1_MPRAGEcr_noGRAPPA_19`;
/** The 128-slice JPEG-lossless chest CT (512 × 512) of the viewer's speed targets. */
export const CT_128_SERIES = 'dicom/ct_series/ricord_1a_chest_ct_jpeg_lossless_subset128';
export const MESHNET_MODEL = 'models/onnx/meshnet-gwm-niivue/model.onnx';

export const compiledWorker = resolve(repoRoot, 'dist', 'main', 'src-worker', 'inference-main.js');

if (!hasSharedData) {
  console.warn(`Skipping tests that need real data: ${sharedDir} is absent (set LUMEN_SHARED_DIR).`);
}
