import { mkdtempSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dicomParser from 'dicom-parser';
import { describe, expect, it } from 'vitest';
import { LibraryDb } from './library-db';
import { LibraryStore } from './library-store';
import { ImportService } from './import-service';
import { SCHEMA_VERSION } from './library-schema';
import { hasSharedData, sharedPath, T1_SERIES, TRIO_STUDY } from '../../test-support/shared-data';

function openLibrary(dir: string): { db: LibraryDb; store: LibraryStore; importer: ImportService } {
  const db = new LibraryDb(join(dir, 'library.sqlite'));
  const store = new LibraryStore(db);
  return { db, store, importer: new ImportService(db, store) };
}

describe.skipIf(!hasSharedData)('importing the trio brain study', () => {
  it('groups, orders, reports bad files and survives a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lumen-import-'));
    const junk = join(dir, 'notes.txt');
    writeFileSync(junk, 'not an image at all');
    const original = readFileSync(sharedPath(T1_SERIES, readdirSync(sharedPath(T1_SERIES))[0]!));
    const cut = join(dir, 'cut.dcm');
    writeFileSync(cut, original.subarray(0, 2000));
    const empty = join(dir, 'empty.dcm');
    writeFileSync(empty, '');

    const first = openLibrary(dir);
    expect(first.db.schemaVersion()).toBe(SCHEMA_VERSION);
    const report = await first.importer.importPaths([sharedPath(TRIO_STUDY), junk, cut, empty]);
    expect(report.filesFound).toBe(176 + 36 + 36 + 3);
    expect(report.indexed).toBe(248);
    expect(report.duplicates).toBe(0);
    const reasons = Object.fromEntries(report.failures.map((f) => [f.path, `${f.outcome}: ${f.reason}`]));
    expect(reasons[junk]).toMatch(/^not-dicom/);
    expect(reasons[empty]).toMatch(/^not-dicom: empty file/);
    expect(reasons[cut]).toMatch(/^unreadable: .*(truncated|pixel data)/);
    expect(report.failures).toHaveLength(3);

    const studies = first.store.listStudies();
    expect(studies).toHaveLength(1);
    expect(studies[0]!.seriesCount).toBe(3);
    expect(studies[0]!.instanceCount).toBe(248);
    expect(studies[0]!.modalities).toEqual(['MR']);
    const series = first.store.listSeries(studies[0]!.studyInstanceUid);
    expect(series.map((s) => s.instanceCount).sort((a, b) => a - b)).toEqual([36, 36, 176]);
    const t1 = series.find((s) => s.instanceCount === 176)!;
    expect(t1.seriesDescription).toMatch(/MPRAGE/i);
    expect([t1.rows, t1.columns]).toEqual([256, 256]);

    // Display order follows the slice normal: positions projected on it increase one step at a time.
    const ordered = first.store.seriesInstances(t1.seriesId);
    const o = ordered[0]!.orientation!;
    const normal = [
      o[1]! * o[5]! - o[2]! * o[4]!,
      o[2]! * o[3]! - o[0]! * o[5]!,
      o[0]! * o[4]! - o[1]! * o[3]!,
    ];
    const along = ordered.map(
      (i) => i.position![0] * normal[0]! + i.position![1] * normal[1]! + i.position![2] * normal[2]!,
    );
    for (let k = 1; k < along.length; k++) expect(along[k]! - along[k - 1]!).toBeCloseTo(1, 3);
    // The renderer gets the same geometry (synchronised scrolling) and one frame of reference for all three.
    const refs = first.store.listInstances(t1.seriesId);
    expect(refs.map((r) => r.position)).toEqual(ordered.map((i) => i.position));
    expect(refs[0]!.orientation).toEqual(o);
    expect(refs[0]!.framePositions).toBeNull();
    expect(new Set(series.map((s) => s.frameOfReferenceUid))).toEqual(
      new Set(['1.3.12.2.1107.5.2.32.35389.1.20100723080842812.0.0.0']),
    );

    // The recorded pixel offset points at the pixel data element dicom-parser finds in the full file.
    const bytes = readFileSync(ordered[0]!.path);
    const full = dicomParser.parseDicom(bytes);
    expect(ordered[0]!.pixelOffset).toBe(full.elements.x7fe00010!.dataOffset);
    first.db.close();

    // A restart finds everything; the same files again are duplicates, not new rows.
    const second = openLibrary(dir);
    expect(second.store.listStudies()).toEqual(studies);
    const again = await second.importer.importPaths([sharedPath(T1_SERIES)]);
    expect(again.indexed).toBe(0);
    expect(again.duplicates).toBe(176);
    expect(second.store.listInstances(t1.seriesId)).toHaveLength(176);
    second.db.close();
  });
});
