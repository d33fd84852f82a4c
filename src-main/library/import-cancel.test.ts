/** Cancelling an import: reading stops, what was read is kept whole, and the report says so. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ImportProgress } from '../../src-shared/api';
import { ImportService } from './import-service';
import { LibraryDb } from './library-db';
import { LibraryStore } from './library-store';
import { writeRenamedCopies } from '../../test-support/dicom-copies';
import { hasSharedData, sharedPath, TRIO_STUDY } from '../../test-support/shared-data';

const FILES = 1000;

describe.skipIf(!hasSharedData)('cancelling an import', () => {
  it('stops after the files being read and reports how far it came', async () => {
    const work = mkdtempSync(join(tmpdir(), 'lumen-cancel-'));
    writeRenamedCopies(sharedPath(TRIO_STUDY, 'gre_field_mapping_3'), join(work, 'files'), FILES, 5);
    const db = new LibraryDb(join(work, 'library.sqlite'));
    const store = new LibraryStore(db);
    const controller = new AbortController();
    const progress: ImportProgress[] = [];
    const report = await new ImportService(db, store).importPaths([join(work, 'files')], {
      signal: controller.signal,
      onProgress: (p) => {
        progress.push(p);
        controller.abort();
      },
    });
    expect(report.cancelled).toBe(true);
    expect(report.filesFound).toBe(FILES);
    expect(report.filesRead).toBeLessThan(FILES);
    expect(report.indexed).toBe(report.filesRead);
    expect(progress[0]!.filesRead).toBeGreaterThan(0);
    const rows = db.get<{ n: number }>('SELECT count(*) AS n FROM instances')!.n;
    expect(rows).toBe(report.indexed);
    // What was kept is listed and ordered: every stack's instances are in the study list's count.
    expect(store.listStudies().reduce((sum, s) => sum + s.instanceCount, 0)).toBe(rows);

    // Importing again finishes the job: the rest are new, the first ones duplicates.
    const again = await new ImportService(db, store).importPaths([join(work, 'files')]);
    expect(again.cancelled).toBe(false);
    expect(again.duplicates).toBe(rows);
    expect(again.indexed).toBe(FILES - rows);
    db.close();
  });
});
