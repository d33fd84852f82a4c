/**
 * Crash consistency: a real child process importing 2,000 files is killed (SIGKILL) after its
 * first written batch; the library it leaves is whole, and importing again gives exactly what a
 * clean import gives.
 */
import { fork } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ImportProgress } from '../../src-shared/api';
import { ImportService } from './import-service';
import { LibraryDb } from './library-db';
import { LibraryStore } from './library-store';
import { writeRenamedCopies } from '../../test-support/dicom-copies';
import { hasSharedData, repoRoot, sharedPath, TRIO_STUDY } from '../../test-support/shared-data';

const FILES = 2000;
const BATCH = 256;
const importChild = resolve(repoRoot, 'dist', 'main', 'test-support', 'import-child.js');

if (!existsSync(importChild))
  console.warn(`Skipping the crash test: ${importChild} is not built (npm run build:ts).`);

/** Everything a user sees of a library, without row ids. */
function snapshot(store: LibraryStore): unknown {
  return store.listStudies().map((study) => ({
    study,
    series: store.listSeries(study.studyInstanceUid).map(({ seriesId, ...series }) => ({
      ...series,
      order: store.listInstances(seriesId).map((i) => i.sopInstanceUid),
    })),
  }));
}

describe.skipIf(!hasSharedData || !existsSync(importChild))('an import killed midway', () => {
  it('leaves whole batches only, and a second import completes it exactly', async () => {
    const work = mkdtempSync(join(tmpdir(), 'lumen-crash-'));
    const files = join(work, 'files');
    writeRenamedCopies(sharedPath(TRIO_STUDY, 'gre_field_mapping_2'), files, FILES, 7);
    const dbPath = join(work, 'killed.sqlite');

    const child = fork(importChild, [dbPath, files], { stdio: 'inherit' });
    const seen = await new Promise<ImportProgress>((done, fail) => {
      child.on('message', (message: { type: string; progress?: ImportProgress }) => {
        if (message.type === 'progress' && message.progress!.indexed > 0) {
          child.kill('SIGKILL');
          done(message.progress!);
        } else if (message.type === 'done') fail(new Error('the import ended before it could be killed'));
      });
      child.on('error', fail);
    });
    await new Promise((done) => child.once('exit', done));
    expect(child.signalCode).toBe('SIGKILL');

    const killed = new LibraryDb(dbPath);
    expect(killed.get<{ integrity_check: string }>('PRAGMA integrity_check')!.integrity_check).toBe('ok');
    const kept = killed.get<{ n: number }>('SELECT count(*) AS n FROM instances')!.n;
    // Every batch is one transaction: what survived is whole batches, at least the one reported.
    expect(kept % BATCH).toBe(0);
    expect(kept).toBeGreaterThanOrEqual(seen.indexed);
    expect(kept).toBeLessThan(FILES);
    const store = new LibraryStore(killed);
    const again = await new ImportService(killed, store).importPaths([files]);
    expect(again.duplicates).toBe(kept);
    expect(again.indexed).toBe(FILES - kept);
    expect(again.failures).toEqual([]);

    const clean = new LibraryDb(join(work, 'clean.sqlite'));
    const cleanStore = new LibraryStore(clean);
    await new ImportService(clean, cleanStore).importPaths([files]);
    expect(snapshot(store)).toEqual(snapshot(cleanStore));
    killed.close();
    clean.close();
  });
});
