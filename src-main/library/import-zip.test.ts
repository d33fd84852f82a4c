/**
 * ZIP import: entries streamed and copied into the library; nested ZIPs, junk, hostile names,
 * damaged archives and many entries each end with their own outcome.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImportService } from './import-service';
import { LibraryDb } from './library-db';
import { LibraryStore } from './library-store';
import { readInstanceHeader } from './dicom-header';
import { hasSharedData, sharedPath } from '../../test-support/shared-data';
import { writeZip } from '../../test-support/zip-writer';
import type { ZipEntryInput } from '../../test-support/zip-writer';

const CT = 'dicom/ct_series/lung_pet_ct_dx_A0002_chest_8mm';
const LIVER = 'dicom/ct_series/dcmqi_ct_3slice_liver';
const NIFTI = 'dicom/nifti/brainchop_t1_crop.nii.gz';

function entriesOf(folder: string, prefix: string): ZipEntryInput[] {
  return readdirSync(sharedPath(folder))
    .sort()
    .map((name) => ({ name: `${prefix}/${name}`, data: readFileSync(sharedPath(folder, name)) }));
}

function library() {
  const dir = mkdtempSync(join(tmpdir(), 'lumen-zip-'));
  const db = new LibraryDb(join(dir, 'library.sqlite'));
  const store = new LibraryStore(db);
  return { dir, db, store, importer: new ImportService(db, store), copies: join(dir, 'copies') };
}

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

describe.skipIf(!hasSharedData)('ZIP import', () => {
  it('copies every DICOM and NIfTI entry, reads nested ZIPs, and gives junk and hostile names their outcome', async () => {
    const { dir, db, importer, copies } = library();
    const nested = join(dir, 'liver.zip');
    writeZip(nested, entriesOf(LIVER, 'liver'));
    const deeper = join(dir, 'deeper.zip');
    writeZip(deeper, [{ name: 'inner/liver.zip', data: readFileSync(nested), method: 'store' }]);
    const firstSlice = readdirSync(sharedPath(CT)).sort()[0]!;
    const zip = join(dir, 'portal.zip');
    writeZip(zip, [
      ...entriesOf(CT, 'study/ct'),
      { name: 'README.txt', data: Buffer.from('Exported by a PACS portal\n') },
      { name: 'empty.dcm', data: Buffer.alloc(0) },
      { name: '../../escape.dcm', data: readFileSync(sharedPath(CT, firstSlice)) },
      { name: 'nested/deeper.zip', data: readFileSync(deeper), method: 'store' },
      { name: 'volumes/t1.nii.gz', data: readFileSync(sharedPath(NIFTI)), method: 'store' },
    ]);

    const report = await importer.importPaths([zip], { zipCopiesInto: copies });
    expect(report.indexed).toBe(29 + 3 + 1);
    expect(report.duplicates).toBe(0);
    // The archive, its 29 + 4 other entries, and the 3 slices two ZIPs deep (the nested ZIPs
    // themselves are read, not counted as files).
    expect(report.filesFound).toBe(1 + 33 + 3);
    expect(report.filesRead).toBe(report.filesFound);
    expect(report.failures.map(({ path, outcome, reason }) => ({ path, outcome, reason }))).toEqual(
      expect.arrayContaining([
        { path: `${zip}/README.txt`, outcome: 'not-dicom', reason: 'no DICM prefix and no DICOM data set' },
        { path: `${zip}/empty.dcm`, outcome: 'not-dicom', reason: 'empty file' },
        {
          path: `${zip}/../../escape.dcm`,
          outcome: 'unreadable',
          reason: 'unsafe name in the ZIP, not read (invalid relative path: ../../escape.dcm)',
        },
      ]),
    );
    expect(report.failures).toHaveLength(3);

    // Every instance is a library copy whose bytes equal the entry's (compare the pixel data).
    const rows = db.all<{ path: string; sop_uid: string }>('SELECT path, sop_uid FROM instances');
    expect(rows).toHaveLength(33);
    expect(rows.every((row) => existsSync(row.path) && !relative(copies, row.path).startsWith('..'))).toBe(
      true,
    );
    const original = await readInstanceHeader(sharedPath(CT, firstSlice));
    if (original.kind !== 'instance') throw new Error('the CT slice should read');
    const copy = rows.find((row) => row.sop_uid === original.header.sopInstanceUid)!;
    expect(readFileSync(copy.path).equals(readFileSync(sharedPath(CT, firstSlice)))).toBe(true);
    // No half-written temporaries are left behind.
    expect(readdirSync(join(copies, 'incoming'))).toEqual([]);

    // Again: all duplicates, no new copies.
    const filesBefore = filesUnder(copies).length;
    const again = await importer.importPaths([zip], { zipCopiesInto: copies });
    expect(again.indexed).toBe(0);
    expect(again.duplicates).toBe(33);
    expect(filesUnder(copies)).toHaveLength(filesBefore);
    db.close();
  });

  it('reads ZIPs found inside folders beside loose files', async () => {
    const { dir, db, importer, copies } = library();
    const folder = join(dir, 'usb');
    mkdirSync(join(folder, 'archives'), { recursive: true });
    writeZip(join(folder, 'archives', 'Liver.ZIP'), entriesOf(LIVER, 'x'));
    const loose = readdirSync(sharedPath(CT)).sort().slice(0, 2);
    for (const name of loose) copyFileSync(sharedPath(CT, name), join(folder, name));
    const report = await importer.importPaths([folder], { zipCopiesInto: copies });
    expect(report.indexed).toBe(5);
    expect(report.failures).toEqual([]);
    expect(db.all('SELECT 1 FROM instances')).toHaveLength(5);
    db.close();
  });

  it('ends a damaged archive with a reason for it, keeping the entries read before the damage', async () => {
    const { dir, db, importer, copies } = library();
    const zip = join(dir, 'good.zip');
    writeZip(zip, entriesOf(LIVER, 'liver'));
    const bytes = readFileSync(zip);

    // Cut in half: the end-of-central-directory record is gone.
    const cut = join(dir, 'cut.zip');
    writeFileSync(cut, bytes.subarray(0, bytes.length >> 1));
    // The second central directory record's signature broken.
    const broken = Buffer.from(bytes);
    const centralStart = broken.readUInt32LE(broken.length - 22 + 16);
    const second = broken.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), centralStart + 4);
    broken.writeUInt32LE(0xdeadbeef, second);
    const damaged = join(dir, 'damaged.zip');
    writeFileSync(damaged, broken);
    // The first entry's deflated data overwritten with junk.
    const junk = Buffer.from(bytes);
    junk.fill(0xff, 30 + 'liver/01.dcm'.length, 30 + 'liver/01.dcm'.length + 64);
    const garbled = join(dir, 'garbled.zip');
    writeFileSync(garbled, junk);
    // Not a ZIP at all.
    const text = join(dir, 'notes.zip');
    writeFileSync(text, 'not an archive');

    const report = await importer.importPaths([cut, damaged, garbled, text], { zipCopiesInto: copies });
    const reasons = Object.fromEntries(report.failures.map((f) => [f.path, `${f.outcome}: ${f.reason}`]));
    expect(reasons[cut]).toMatch(/^unreadable: not a readable ZIP: end of central directory record/i);
    expect(reasons[text]).toMatch(/^unreadable: not a readable ZIP/);
    expect(reasons[damaged]).toMatch(/^unreadable: corrupt ZIP: .*\(after 1 of 3 entries\)$/);
    expect(reasons[`${garbled}/liver/01.dcm`]).toMatch(/^unreadable: cannot read this ZIP entry: /);
    expect(report.failures).toHaveLength(4);
    // damaged.zip gave its first entry; garbled.zip its two sound ones.
    expect(report.indexed).toBe(3);
    expect(db.all('SELECT 1 FROM instances')).toHaveLength(3);
    db.close();
  });

  it('drops big non-DICOM entries mid-read while others are still being read', async () => {
    const { dir, db, importer, copies } = library();
    const zip = join(dir, 'mixed.zip');
    // Entries over one read's worth (64 KiB) are dropped after their first bytes while their next
    // read waits behind the other entries' reads: yauzl's own file reader crashed on that.
    const big = (k: number): ZipEntryInput => ({
      name: `video/${k}.mp4`,
      data: Buffer.alloc(1 << 20, k),
      method: 'store',
    });
    const liver = entriesOf(LIVER, 'liver');
    const entries = Array.from({ length: 8 }, (_, k) => [
      big(k),
      ...liver.map((e) => ({ ...e, name: `${k}/${e.name}` })),
    ]);
    writeZip(zip, entries.flat());
    const report = await importer.importPaths([zip], { zipCopiesInto: copies });
    expect(report.failures.map((f) => f.outcome)).toEqual(Array(8).fill('not-dicom'));
    // Eight copies of the same three instances: three indexed, the other 21 duplicates.
    expect(report.filesRead).toBe(1 + 8 * 4);
    expect(report.indexed + report.duplicates).toBe(8 * 3);
    expect(db.all('SELECT 1 FROM instances')).toHaveLength(3);
    // The archive was closed once its last entry was done with.
    const open = readdirSync('/proc/self/fd').map((fd) => {
      try {
        return readlinkSync(join('/proc/self/fd', fd));
      } catch {
        return '';
      }
    });
    expect(open).not.toContain(zip);
    db.close();
  });

  it('gives each of thousands of entries its outcome', async () => {
    const { dir, db, importer, copies } = library();
    const zip = join(dir, 'many.zip');
    const junk: ZipEntryInput[] = Array.from({ length: 5000 }, (_, k) => ({
      name: `junk/${k}.bin`,
      data: Buffer.from(`entry ${k}`),
      method: 'store',
    }));
    writeZip(zip, [...junk, ...entriesOf(LIVER, 'liver')]);
    const report = await importer.importPaths([zip], { zipCopiesInto: copies });
    expect(report.filesFound).toBe(1 + 5003);
    expect(report.indexed).toBe(3);
    expect(report.failures).toHaveLength(5000);
    expect(report.failures.every((f) => f.outcome === 'not-dicom')).toBe(true);
    db.close();
  });

  it('stops a cancelled ZIP import with whole batches written, and a second import completes it', async () => {
    const { dir, db, importer, copies } = library();
    const zip = join(dir, 'big.zip');
    const slices = entriesOf(CT, 'ct');
    // 29 slices × 12 copies under different names: the same instances, so the set is 29 in the end,
    // but the reading takes long enough to be cancelled.
    writeZip(
      zip,
      Array.from({ length: 12 }, (_, copy) =>
        slices.map((s) => ({ ...s, name: `${copy}/${s.name}` })),
      ).flat(),
    );
    const controller = new AbortController();
    const report = await importer.importPaths([zip], {
      zipCopiesInto: copies,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    expect(report.cancelled).toBe(true);
    expect(report.filesRead).toBeGreaterThanOrEqual(256);
    expect(report.filesRead).toBeLessThan(1 + 12 * 29);
    const after = await importer.importPaths([zip], { zipCopiesInto: copies });
    expect(after.cancelled).toBe(false);
    expect(db.all('SELECT 1 FROM instances')).toHaveLength(29);
    db.close();
  });
});
