import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ModelManifest } from '../../src-shared/models';
import { LibraryDb } from '../library/library-db';
import { LibraryStore } from '../library/library-store';
import { ImportService } from '../library/import-service';
import { hasSharedData, repoRoot, sharedPath, TRIO_STUDY } from '../../test-support/shared-data';
import { standInManifest } from '../../test-support/standin-models';
import { analysisRefusal, gateRefusal } from './input-gate';

const meshnet = JSON.parse(
  readFileSync(join(repoRoot, 'models', 'meshnet-gwm', 'manifest.json'), 'utf8'),
) as ModelManifest;

describe.skipIf(!hasSharedData)("MeshNet's input gate on the trio study's real headers", () => {
  it('offers the 176-slice 1 mm T1 MPRAGE and refuses the 64x64 field maps, saying why', async () => {
    const db = new LibraryDb(join(mkdtempSync(join(tmpdir(), 'lumen-gate-')), 'library.sqlite'));
    const library = new LibraryStore(db);
    await new ImportService(db, library).importPaths([sharedPath(TRIO_STUDY)], {});
    const [study] = library.listStudies();
    const verdicts = library.listSeries(study!.studyInstanceUid).map((series) => ({
      description: series.seriesDescription,
      refusal: analysisRefusal(meshnet, series.modality, library.seriesInstances(series.seriesId)),
    }));
    expect(verdicts.filter((v) => v.description === 't1_MPRAGEcr_noGRAPPA')).toEqual([
      { description: 't1_MPRAGEcr_noGRAPPA', refusal: null },
    ]);
    const fieldMaps = verdicts.filter((v) => v.description === 'gre_field_mapping');
    expect(fieldMaps).toHaveLength(2);
    for (const { refusal } of fieldMaps) {
      expect(refusal).toBe(
        'MeshNet brain tissue (grey/white matter) is not offered for this series: 36 images, at least 64 needed; ' +
          '64×64 images, at least 128×128 needed; voxels of 3.0 × 3.0 × 3.6 mm, at most 2 mm per edge accepted',
      );
    }
    db.close();
  });
});

describe('input gate rules', () => {
  const instance = (k: number, spacing: [number, number], step: number, size = 256) => ({
    id: k,
    path: '',
    transferSyntax: '1.2.840.10008.1.2.1',
    position: [0, 0, k * step] as [number, number, number],
    orientation: [1, 0, 0, 0, 1, 0],
    pixelSpacing: spacing,
    rows: size,
    columns: size,
    frames: 1,
    framePositions: null,
    bitsAllocated: 16,
    bitsStored: 12,
    pixelRepresentation: 0,
    samplesPerPixel: 1,
    rescaleSlope: 1,
    rescaleIntercept: 0,
    pixelOffset: 0,
    pixelLength: 0,
    photometric: 'MONOCHROME2',
  });
  it('passes without a gate, and names each rule a series breaks', () => {
    const thick = Array.from({ length: 80 }, (_, k) => instance(k, [1, 1], 5));
    expect(gateRefusal(undefined, thick)).toBeNull();
    expect(gateRefusal({ maxVoxelMm: 2 }, thick)).toBe(
      'voxels of 1.0 × 1.0 × 5.0 mm, at most 2 mm per edge accepted',
    );
    expect(gateRefusal({ maxAnisotropy: 2 }, thick)).toBe(
      'voxels of 1.0 × 1.0 × 5.0 mm are not near isotropic (at most 2:1)',
    );
    const iso = Array.from({ length: 80 }, (_, k) => instance(k, [1, 1], 1.2));
    expect(gateRefusal({ minSlices: 64, minMatrix: 128, maxVoxelMm: 2, maxAnisotropy: 2 }, iso)).toBeNull();
    expect(gateRefusal({ minSlices: 100 }, iso)).toBe('80 images, at least 100 needed');
    expect(gateRefusal({ maxVoxelMm: 2 }, [{ ...instance(0, [1, 1], 1), pixelSpacing: null }])).toMatch(
      /voxel size is unknown/,
    );
  });

  it('counts the frames of one enhanced multi-frame image as its slices, spaced along the normal', () => {
    // 80 frames 1.2 mm apart, stored in shuffled order (every 7th of 80 positions, wrapping).
    const positions = Array.from({ length: 80 }, (_, n) => [0, 0, ((n * 7) % 80) * 1.2] as const);
    const enhanced = { ...instance(0, [1, 1], 0), frames: 80, framePositions: positions, position: null };
    const gate = { minSlices: 64, minMatrix: 128, maxVoxelMm: 2, maxAnisotropy: 2 };
    expect(gateRefusal(gate, [enhanced])).toBeNull();
    expect(gateRefusal({ minSlices: 100 }, [enhanced])).toBe('80 images, at least 100 needed');
    expect(gateRefusal({ maxVoxelMm: 1 }, [enhanced])).toBe(
      'voxels of 1.0 × 1.0 × 1.2 mm, at most 1 mm per edge accepted',
    );
    expect(gateRefusal({ maxVoxelMm: 2 }, [{ ...enhanced, framePositions: null }])).toMatch(
      /voxel size is unknown/,
    );
  });

  it('refuses a multi-frame image to a 2D model, naming its frames', () => {
    const classifier = standInManifest('0'.repeat(64), 1);
    const radiograph = { ...instance(0, [0.2, 0.2], 0, 1024), frames: 1 };
    expect(analysisRefusal(classifier, 'DX', [radiograph])).toBeNull();
    expect(analysisRefusal(classifier, 'DX', [{ ...radiograph, frames: 30 }])).toBe(
      'DenseNet-121 stand-in (RANDOM weights) reads a single-frame image; this one has 30 frames',
    );
  });
});
