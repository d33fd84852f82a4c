import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseNifti } from '../../src-shared/nifti';
import { runAnalyze } from './analyze-command';
import {
  compiledWorker,
  hasSharedData,
  repoRoot,
  sharedPath,
  T1_SERIES,
} from '../../test-support/shared-data';

const modelsDir = join(repoRoot, 'models');
const modelInstalled = existsSync(join(modelsDir, 'meshnet-gwm', 'weights', 'model.onnx'));

describe.skipIf(!hasSharedData || !modelInstalled)('npm run analyze', () => {
  it('analyses the trio T1 headless: result.json and labels.nii.gz on the series grid, exit 0', async () => {
    const out = mkdtempSync(join(tmpdir(), 'lumen-cli-'));
    const lines: string[] = [];
    const code = await runAnalyze([sharedPath(T1_SERIES), '--model', 'meshnet-gwm', '--out', out], {
      modelsDir,
      inferenceEntry: compiledWorker,
      log: (line) => lines.push(line),
    });
    expect(lines.at(-1)).toBe(`1 of 1 eligible series analysed; results in ${out}`);
    expect(code).toBe(0);
    const [seriesDir] = lines.filter((l) => l.includes('White matter')).map((l) => l.split(':')[0]!);
    const result = JSON.parse(readFileSync(join(out, seriesDir!, 'result.json'), 'utf8')) as {
      weightsSha256: string;
      executionProvider: string;
      grid: { columns: number; rows: number; slices: number };
      labels: Array<{ value: number; voxels: number; millilitres: number }>;
    };
    expect(result.weightsSha256).toBe('02850fb059badf0717d26f61048293b7422b2453fb48db8ae95d046059bfd90f');
    expect(result.executionProvider).toBe('cpu');
    expect(result.grid).toEqual({ columns: 256, rows: 256, slices: 176 });
    const nifti = parseNifti(gunzipSync(readFileSync(join(out, seriesDir!, 'labels.nii.gz'))));
    expect(nifti.dims).toEqual([256, 256, 176]);
    expect(nifti.affineSource).toBe('sform');
    for (const label of result.labels) {
      const voxels = nifti.data.reduce((n, v) => n + (v === label.value ? 1 : 0), 0);
      expect(voxels).toBe(label.voxels);
      // mL from the NIfTI's own spacing agrees with the result's.
      expect((voxels * nifti.spacing[0] * nifti.spacing[1] * nifti.spacing[2]) / 1000).toBeCloseTo(
        label.millilitres,
        1,
      );
    }
  });

  it('exits non-zero, saying why, when nothing given is eligible or the arguments are incomplete', async () => {
    const lines: string[] = [];
    const env = { modelsDir, inferenceEntry: compiledWorker, log: (line: string) => lines.push(line) };
    const out = mkdtempSync(join(tmpdir(), 'lumen-cli-'));
    expect(
      await runAnalyze(
        [sharedPath('dicom/ct_series/dcmqi_ct_3slice_liver'), '--model', 'meshnet-gwm', '--out', out],
        env,
      ),
    ).toBe(1);
    expect(lines.at(-1)).toBe('no MR series that meshnet-gwm accepts');
    expect(await runAnalyze([sharedPath(T1_SERIES), '--out', out], env)).toBe(2);
    expect(lines.at(-1)).toMatch(/^usage: npm run analyze/);
  });
});
