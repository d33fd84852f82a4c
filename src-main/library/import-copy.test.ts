/** Importing with copies: the library keeps its own copy, so the original can go. */
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImportService } from './import-service';
import { LibraryDb } from './library-db';
import { LibraryStore } from './library-store';
import { hasSharedData, sharedPath } from '../../test-support/shared-data';

const CT = 'dicom/ct_series/lung_pet_ct_dx_A0002_chest_8mm';

describe.skipIf(!hasSharedData)('copying into the library', () => {
  it('records copies under the library folder, one per instance, that outlive the originals', async () => {
    const source = mkdtempSync(join(tmpdir(), 'lumen-copy-src-'));
    for (const name of readdirSync(sharedPath(CT)).slice(0, 4))
      copyFileSync(sharedPath(CT, name), join(source, name));
    const library = mkdtempSync(join(tmpdir(), 'lumen-copy-lib-'));
    const copies = join(library, 'copies');
    const db = new LibraryDb(join(library, 'library.sqlite'));
    const store = new LibraryStore(db);
    const importer = new ImportService(db, store);
    expect((await importer.importPaths([source], { copyInto: copies })).indexed).toBe(4);
    // The same files again: duplicates, and no extra copies.
    expect((await importer.importPaths([source], { copyInto: copies })).duplicates).toBe(4);
    const paths = db.all<{ path: string }>('SELECT path FROM instances').map((r) => r.path);
    expect(paths.every((p) => !relative(copies, p).startsWith('..'))).toBe(true);
    expect(
      readdirSync(copies, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()),
    ).toHaveLength(4);

    rmSync(source, { recursive: true });
    const [study] = store.listStudies();
    const [series] = store.listSeries(study!.studyInstanceUid);
    expect(store.listInstances(series!.seriesId).some((i) => i.missing)).toBe(false);
    expect(paths.every((p) => existsSync(p))).toBe(true);
    db.close();
  });
});
