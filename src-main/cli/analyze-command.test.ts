import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseNifti } from '../../src-shared/nifti';
import { runAnalyze } from './analyze-command';
import { writeLegacyMultiframe } from '../../test-support/legacy-multiframe-writer';
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

  it('writes a legacy multi-frame MR’s labels on its own grid: the single-frame T1’s, voxel for voxel', async () => {
    // One folder: the T1's slices, and the same slices as one legacy multi-frame file, top slice first.
    const input = mkdtempSync(join(tmpdir(), 'lumen-cli-legacy-'));
    const t1 = sharedPath(T1_SERIES);
    const names = readdirSync(t1).sort();
    mkdirSync(join(input, 'slices'));
    for (const name of names) symlinkSync(join(t1, name), join(input, 'slices', name));
    const legacyUid = '1.2.826.0.1.3680043.10.1392.91';
    writeLegacyMultiframe(
      names.map((name) => join(t1, name)).reverse(),
      join(input, 'legacy.dcm'),
      legacyUid,
      { modality: 'MR', layout: 'grid' },
    );
    const out = mkdtempSync(join(tmpdir(), 'lumen-cli-'));
    const lines: string[] = [];
    const code = await runAnalyze([input, '--model', 'meshnet-gwm', '--out', out], {
      modelsDir,
      inferenceEntry: compiledWorker,
      log: (line) => lines.push(line),
    });
    expect(lines.at(-1)).toBe(`2 of 2 eligible series analysed; results in ${out}`);
    expect(code).toBe(0);
    const legacyDir = join(out, `${legacyUid}.2`);
    const [slicesDir] = readdirSync(out).filter((name) => name !== `${legacyUid}.2`);
    const result = JSON.parse(readFileSync(join(legacyDir, 'result.json'), 'utf8')) as {
      grid: { columns: number; rows: number; slices: number };
      labels: Array<{ value: number; voxels: number }>;
    };
    expect(result.grid).toEqual({ columns: 256, rows: 256, slices: 176 });
    const fromFrames = parseNifti(gunzipSync(readFileSync(join(legacyDir, 'labels.nii.gz'))));
    const fromSlices = parseNifti(gunzipSync(readFileSync(join(out, slicesDir!, 'labels.nii.gz'))));
    expect(fromFrames.dims).toEqual([256, 256, 176]);
    fromFrames.affine.forEach((value, n) =>
      expect(value, `affine[${n}]`).toBeCloseTo(fromSlices.affine[n]!, 3),
    );
    let differing = 0;
    for (let v = 0; v < fromFrames.data.length; v++)
      if (fromFrames.data[v] !== fromSlices.data[v]) differing++;
    expect(differing).toBe(0);
    for (const label of result.labels)
      expect(fromFrames.data.reduce((n, v) => n + (v === label.value ? 1 : 0), 0)).toBe(label.voxels);
    // Two MeshNet runs on 256x256x176 take minutes on a loaded 2-core machine.
  }, 480_000);

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
