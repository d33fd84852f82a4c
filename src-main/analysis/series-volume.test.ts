import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dicomParser from 'dicom-parser';
import { describe, expect, it } from 'vitest';
import { LibraryDb } from '../library/library-db';
import { LibraryStore } from '../library/library-store';
import { ImportService } from '../library/import-service';
import { buildSeriesVolume } from './series-volume';
import { applyAffine, voxelVolume } from '../../src-shared/geometry';
import { hasSharedData, sharedPath, T1_SERIES } from '../../test-support/shared-data';

describe.skipIf(!hasSharedData)('series volume from DICOM', () => {
  it('stacks the T1 slices with their geometry and their stored pixel values', async () => {
    const db = new LibraryDb(join(mkdtempSync(join(tmpdir(), 'lumen-volume-')), 'library.sqlite'));
    const store = new LibraryStore(db);
    await new ImportService(db, store).importPaths([sharedPath(T1_SERIES)]);
    const seriesId = store.listSeries(store.listStudies()[0]!.studyInstanceUid)[0]!.seriesId;
    const instances = store.seriesInstances(seriesId);
    const volume = await buildSeriesVolume(instances);

    expect(volume.dims).toEqual([256, 256, 176]);
    expect(voxelVolume(volume.affine)).toBeCloseTo(1, 3);
    // Voxel (0,0,k) sits at each slice's Image Position (Patient).
    for (const k of [0, 87, 175]) {
      const at = applyAffine(volume.affine, [0, 0, k]);
      instances[k]!.position!.forEach((value, axis) => expect(at[axis]).toBeCloseTo(value, 3));
    }
    // A voxel's value equals the file's own pixel (uint16 little endian, slope 1, intercept 0 here).
    const k = 88;
    const ds = dicomParser.parseDicom(readFileSync(instances[k]!.path));
    const pixel = ds.elements.x7fe00010!;
    const raw = new Uint16Array(
      ds.byteArray.buffer.slice(ds.byteArray.byteOffset + pixel.dataOffset),
      0,
      256 * 256,
    );
    for (const [i, j] of [
      [128, 128],
      [100, 60],
      [30, 200],
    ] as const) {
      expect(volume.data[i + 256 * (j + 256 * k)]).toBe(raw[i + 256 * j]);
    }
    db.close();
  });
});
