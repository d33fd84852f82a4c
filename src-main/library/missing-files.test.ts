/** A referenced file that has gone from disk is marked missing when its series is listed. */
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImportService } from './import-service';
import { LibraryDb } from './library-db';
import { LibraryStore } from './library-store';
import { hasSharedData, sharedPath } from '../../test-support/shared-data';

const CT = 'dicom/ct_series/lung_pet_ct_dx_A0002_chest_8mm';

describe.skipIf(!hasSharedData)('missing referenced files', () => {
  it('are marked missing, the others not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lumen-missing-'));
    const names = readdirSync(sharedPath(CT)).sort().slice(0, 3);
    for (const name of names) copyFileSync(sharedPath(CT, name), join(dir, name));
    const db = new LibraryDb(join(mkdtempSync(join(tmpdir(), 'lumen-missing-db-')), 'library.sqlite'));
    const store = new LibraryStore(db);
    await new ImportService(db, store).importPaths([dir]);
    const [study] = store.listStudies();
    const [series] = store.listSeries(study!.studyInstanceUid);
    expect(store.listInstances(series!.seriesId).map((i) => i.missing)).toEqual([false, false, false]);

    rmSync(join(dir, names[1]!));
    const after = store.listInstances(series!.seriesId);
    expect(after.filter((i) => i.missing)).toHaveLength(1);
    expect(store.instanceFile(after.find((i) => i.missing)!.instanceId)?.path).toBe(join(dir, names[1]!));
    db.close();
  });
});
