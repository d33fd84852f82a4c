/** A DICOMDIR dropped alone brings in the files its records name, and only those. */
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dicomParser from 'dicom-parser';
import { describe, expect, it } from 'vitest';
import { ImportService } from './import-service';
import { LibraryDb } from './library-db';
import { LibraryStore } from './library-store';
import { hasSharedData, sharedPath } from '../../test-support/shared-data';

const MEDIA_SET = 'dicom/dicomdir/pydicom_dicomdirtests';

describe.skipIf(!hasSharedData)('importing a DICOMDIR', () => {
  // The media set has three top folders, but its patient records (and the files) name two patients:
  // 98892001 and 98892003 are two studies of Doe^Peter (ID 98890234).
  it('reads the directory records and imports the files they list', async () => {
    const db = new LibraryDb(join(mkdtempSync(join(tmpdir(), 'lumen-dicomdir-')), 'library.sqlite'));
    const store = new LibraryStore(db);
    const importer = new ImportService(db, store);
    const report = await importer.importPaths([sharedPath(MEDIA_SET, 'DICOMDIR')]);
    expect(report.directories).toBe(1);
    expect(report.failures).toEqual([]);
    // 31 records name image files: the DICOMDIR itself plus those.
    expect(report.filesFound).toBe(32);
    expect(report.indexed).toBe(31);
    const studies = store.listStudies();
    expect(new Set(studies.map((s) => s.patientName))).toEqual(new Set(['Doe^Archibald', 'Doe^Peter']));
    expect(db.get<{ n: number }>('SELECT count(*) AS n FROM patients')!.n).toBe(2);
    // The studies are those of the directory's STUDY records, read here independently.
    const records = dicomParser
      .parseDicom(readFileSync(sharedPath(MEDIA_SET, 'DICOMDIR')))
      .elements.x00041220!.items!.map((item) => item.dataSet!);
    const studyUids = records
      .filter((r) => r.string('x00041430')?.trim() === 'STUDY')
      .map((r) => r.string('x0020000d')!.replace(/\0/g, '').trim());
    expect(studies.map((s) => s.studyInstanceUid).sort()).toEqual([...new Set(studyUids)].sort());
    expect(studies.reduce((sum, s) => sum + s.instanceCount, 0)).toBe(31);

    // The variants (big endian, implicit VR, records reordered) name the same files: all duplicates.
    const again = await importer.importPaths([
      sharedPath(MEDIA_SET, 'DICOMDIR-bigEnd'),
      sharedPath(MEDIA_SET, 'DICOMDIR-implicit'),
      sharedPath(MEDIA_SET, 'DICOMDIR-reordered'),
    ]);
    expect(again.directories).toBe(3);
    expect(again.indexed).toBe(0);
    expect(again.duplicates).toBe(31);
    db.close();
  });

  it('names each listed file that is missing, and still finishes', async () => {
    const lonely = mkdtempSync(join(tmpdir(), 'lumen-dicomdir-alone-'));
    copyFileSync(sharedPath(MEDIA_SET, 'DICOMDIR'), join(lonely, 'DICOMDIR'));
    const db = new LibraryDb(join(lonely, 'library.sqlite'));
    const report = await new ImportService(db, new LibraryStore(db)).importPaths([join(lonely, 'DICOMDIR')]);
    expect(report.directories).toBe(1);
    expect(report.indexed).toBe(0);
    expect(report.failures).toHaveLength(31);
    expect(new Set(report.failures.map((f) => `${f.outcome}: ${f.reason}`))).toEqual(
      new Set(['unreadable: file not found']),
    );
    expect(report.failures.map((f) => f.path)).toContain(join(lonely, '77654033/CR1/6154'));
    db.close();
  });
});
