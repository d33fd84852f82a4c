/** Measurements in a real library file: upgrade from schema 4, save/list/delete, cascade with the study. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { ImportService } from '../library/import-service';
import { LibraryDb } from '../library/library-db';
import { LibraryStore } from '../library/library-store';
import { SCHEMA_VERSION } from '../library/library-schema';
import { hasSharedData, sharedPath } from '../../test-support/shared-data';
import { MeasurementStore, UnknownImageError } from './measurement-store';

const CT = 'dicom/ct_series/dcmqi_ct_3slice_liver';

async function libraryWithCt(
  file: string,
): Promise<{ db: LibraryDb; library: LibraryStore; seriesId: number }> {
  const db = new LibraryDb(file);
  const library = new LibraryStore(db);
  await new ImportService(db, library).importPaths([sharedPath(CT)]);
  const [study] = library.listStudies();
  const [series] = library.listSeries(study!.studyInstanceUid);
  return { db, library, seriesId: series!.seriesId };
}

describe.skipIf(!hasSharedData)('measurement store', () => {
  it('upgrades a schema-4 library file, keeping its images, and stores measurements in it', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'lumen-measure-')), 'library.sqlite');
    const first = await libraryWithCt(file);
    const [image] = first.library.listInstances(first.seriesId);
    first.db.close();
    // The file as an app before measurements left it: no table, none of migrations 7 and 9's columns, user_version 4.
    const raw = new DatabaseSync(file);
    raw.exec('DROP TABLE measurements;');
    for (const column of ['task', 'findings', 'cam_size', 'test_only', 'input_note'])
      raw.exec(`ALTER TABLE results DROP COLUMN ${column};`);
    raw.exec('PRAGMA user_version = 4;');
    raw.close();

    const db = new LibraryDb(file);
    expect(db.schemaVersion()).toBe(SCHEMA_VERSION);
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(5);
    const library = new LibraryStore(db);
    expect(library.listInstances(first.seriesId).length).toBe(3);
    const store = new MeasurementStore(db);
    const saved = store.save({
      uid: 'a-1',
      sopInstanceUid: image!.sopInstanceUid,
      frame: 1,
      tool: 'Length',
      points: [
        [1, 2, 3],
        [4, 5.5, 3],
      ],
      label: '',
    });
    expect(saved.createdAt).toMatch(/^\d{4}-/);
    // A modification replaces the geometry and keeps the creation time.
    const moved = store.save({
      ...saved,
      points: [
        [0, 0, 3],
        [10, 0, 3],
      ],
    });
    expect(moved.createdAt).toBe(saved.createdAt);
    expect(store.listForSeries(first.seriesId)).toEqual([moved]);
    expect(moved.points).toEqual([
      [0, 0, 3],
      [10, 0, 3],
    ]);
    expect(() => store.save({ ...saved, uid: 'b', sopInstanceUid: '1.2.3' })).toThrow(UnknownImageError);
    expect(() => store.save({ ...saved, uid: 'b', frame: 2 })).toThrow(UnknownImageError);
    expect(store.delete('a-1')).toBe(true);
    expect(store.delete('a-1')).toBe(false);
    expect(store.listForSeries(first.seriesId)).toEqual([]);
    db.close();
  });

  it('removes the measurements of a deleted study', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'lumen-measure-')), 'library.sqlite');
    const { db, library, seriesId } = await libraryWithCt(file);
    const store = new MeasurementStore(db);
    for (const [k, image] of library.listInstances(seriesId).entries()) {
      store.save({
        uid: `m${k}`,
        sopInstanceUid: image.sopInstanceUid,
        frame: 1,
        tool: 'Probe',
        points: [[k, k, k]],
        label: 'x',
      });
    }
    expect(db.get<{ n: number }>('SELECT count(*) AS n FROM measurements')!.n).toBe(3);
    library.deleteStudy(library.listStudies()[0]!.studyInstanceUid);
    expect(db.get<{ n: number }>('SELECT count(*) AS n FROM measurements')!.n).toBe(0);
    db.close();
  });
});
