/** Results belong to the images they were computed on: a later import that changes a series drops them. */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImportService } from './import-service';
import { LibraryDb } from './library-db';
import { LibraryStore } from './library-store';
import { hasSharedData, sharedPath } from '../../test-support/shared-data';

const CT = 'dicom/ct_series/lung_pet_ct_dx_A0002_chest_8mm';

function storeResult(db: LibraryDb, seriesId: number): void {
  db.run(
    `INSERT INTO results (series_ref, model_id, model_name, model_version, weights_sha256, provider, created_at,
       timings, labels, volumes, columns, rows, slices, labelmap)
     VALUES (?, 'm', 'Model', '1', 'abc', 'cpu', '2026-11-22T00:00:00Z', '{}', '[]', '[]', 1, 1, 1, ?)`,
    seriesId,
    new Uint8Array(1),
  );
}

describe.skipIf(!hasSharedData)('results on a series that a later import changes', () => {
  it('are kept when the series keeps its images, and dropped when it gains some', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lumen-restack-'));
    const [first, second] = [join(dir, 'first'), join(dir, 'second')];
    const names = readdirSync(sharedPath(CT)).sort();
    for (const [folder, part] of [
      [first, names.slice(0, 15)],
      [second, names.slice(15)],
    ] as const) {
      mkdirSync(folder);
      for (const name of part) copyFileSync(sharedPath(CT, name), join(folder, name));
    }
    const db = new LibraryDb(join(dir, 'library.sqlite'));
    const importer = new ImportService(db, new LibraryStore(db));
    expect((await importer.importPaths([first])).indexed).toBe(15);
    const [{ id: seriesId }] = db.all<{ id: number }>('SELECT id FROM series') as [{ id: number }];
    storeResult(db, seriesId);

    // The same files again: nothing changes, the result stays.
    const again = await importer.importPaths([first]);
    expect(again.duplicates).toBe(15);
    expect(again.resultsDropped).toBe(0);
    expect(db.all('SELECT id FROM results WHERE series_ref = ?', seriesId)).toHaveLength(1);

    // The rest of the series arrives: its result was computed on 15 of 29 slices and goes.
    const rest = await importer.importPaths([second]);
    expect(rest.indexed).toBe(14);
    expect(rest.resultsDropped).toBe(1);
    expect(db.all('SELECT id FROM instances WHERE series_ref = ?', seriesId)).toHaveLength(29);
    expect(db.all('SELECT id FROM results')).toHaveLength(0);
    db.close();
  });
});
