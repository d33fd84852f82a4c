/** Files imported into a fresh library (a real SQLite file), for tests that read series back. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImportService } from '../src-main/library/import-service';
import { LibraryDb } from '../src-main/library/library-db';
import { LibraryStore, type StoredInstance } from '../src-main/library/library-store';

/** The instances of each series the files make, in display order. */
export async function importedSeries(paths: readonly string[]): Promise<StoredInstance[][]> {
  const db = new LibraryDb(join(mkdtempSync(join(tmpdir(), 'lumen-imported-')), 'library.sqlite'));
  const store = new LibraryStore(db);
  await new ImportService(db, store).importPaths([...paths]);
  return store
    .listStudies()
    .flatMap((study) => store.listSeries(study.studyInstanceUid))
    .map((series) => store.seriesInstances(series.seriesId));
}
