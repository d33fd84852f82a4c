/**
 * Bad input made on purpose: a real CT slice cut at many offsets, empty files, random bytes behind
 * a DICM preamble, an unknown transfer syntax, an image without pixel data. Each file gets its
 * outcome and reason; the good file beside them is indexed and nothing half-written is left.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dicomParser from 'dicom-parser';
import { describe, expect, it } from 'vitest';
import { ImportService } from './import-service';
import { LibraryDb } from './library-db';
import { LibraryStore } from './library-store';
import { minimalImage } from '../../test-support/dicom-writer';
import { hasSharedData, sharedPath } from '../../test-support/shared-data';

const CT_SLICE = 'dicom/ct_series/lung_pet_ct_dx_A0002_chest_8mm/1-01.dcm';

/** A deterministic byte stream (xorshift), so a failure can be replayed. */
function pseudoRandomBytes(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

describe.skipIf(!hasSharedData)('bad files', () => {
  it('classifies each one with its reason and indexes only the good file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lumen-bad-'));
    const original = readFileSync(sharedPath(CT_SLICE));
    const pixelOffset = dicomParser.parseDicom(original).elements.x7fe00010!.dataOffset;
    const write = (name: string, bytes: Uint8Array): string => {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      return path;
    };
    const expected = new Map<string, readonly [string, RegExp]>();
    const expect_ = (name: string, bytes: Uint8Array, outcome: string, reason: RegExp): void => {
      expected.set(write(name, bytes), [outcome, reason]);
    };

    expect_('zero-bytes.dcm', new Uint8Array(0), 'not-dicom', /^empty file$/);
    expect_('cut-in-preamble.dcm', original.subarray(0, 100), 'not-dicom', /no DICM prefix/);
    // Cut inside the file meta group, inside the data set header, and in the middle of an element.
    for (const offset of [140, 200, 1000, 1501, pixelOffset - 20]) {
      expect_(`cut-at-${offset}.dcm`, original.subarray(0, offset), 'unreadable', /truncated|missing/);
    }
    // Cut exactly before the pixel data element: a whole header, but an image without pixels.
    expect_(
      'no-pixel-element.dcm',
      original.subarray(0, pixelOffset - 12),
      'unreadable',
      /^no pixel data where an image needs one$/,
    );
    // A valid header with the pixel data cut short, at several depths.
    for (const kept of [0, 1, 4096, 500_000]) {
      expect_(
        `pixels-cut-${kept}.dcm`,
        original.subarray(0, pixelOffset + kept),
        'unreadable',
        /^truncated: pixel data ends past the end of the file$/,
      );
    }
    const preamble = Buffer.concat([Buffer.alloc(128), Buffer.from('DICM', 'latin1')]);
    for (const seed of [1, 7, 42]) {
      expect_(
        `random-${seed}.dcm`,
        Buffer.concat([preamble, pseudoRandomBytes(8192, seed)]),
        'unreadable',
        /./,
      );
    }
    // The same slice with a transfer syntax UID nobody knows (same length, so offsets stay right).
    const unknownSyntax = Buffer.from(original);
    const at = unknownSyntax.indexOf('1.2.840.10008.1.2.1\0', 0, 'latin1');
    expect(at).toBeGreaterThan(132);
    unknownSyntax.write('1.2.3.4.5.6.7.8.9.1\0', at, 'latin1');
    expect_(
      'unknown-syntax.dcm',
      unknownSyntax,
      'unreadable',
      /^unknown transfer syntax 1\.2\.3\.4\.5\.6\.7\.8\.9\.1$/,
    );
    expect_(
      'no-series-uid.dcm',
      minimalImage('1.2.826.0.1.99.1', [{ tag: '0020000E', vr: 'UI', value: '' }]),
      'unreadable',
      /^missing Series Instance UID$/,
    );
    const good = write('good.dcm', original);

    const db = new LibraryDb(join(mkdtempSync(join(tmpdir(), 'lumen-bad-db-')), 'library.sqlite'));
    const store = new LibraryStore(db);
    const report = await new ImportService(db, store).importPaths([dir]);

    expect(report.filesFound).toBe(expected.size + 1);
    expect(report.indexed).toBe(1);
    const failures = new Map(report.failures.map((f) => [f.path, f]));
    expect([...expected.keys()].filter((p) => !failures.has(p))).toEqual([]);
    for (const [path, [outcome, reason]] of expected) {
      expect(failures.get(path)?.outcome, path).toBe(outcome);
      expect(failures.get(path)?.reason, path).toMatch(reason);
    }
    // One study, one series, one instance: the good file, and no row for any bad one.
    expect(db.all('SELECT path FROM instances')).toEqual([{ path: good }]);
    expect(db.get<{ n: number }>('SELECT count(*) AS n FROM series')!.n).toBe(1);
    expect(db.get<{ n: number }>('SELECT count(*) AS n FROM studies')!.n).toBe(1);
    expect(db.get<{ n: number }>('SELECT count(*) AS n FROM patients')!.n).toBe(1);
    db.close();
  });
});
