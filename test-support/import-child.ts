/**
 * A stand-in for main that imports a folder into a library and reports each written batch to its
 * parent (process.send), so a test can kill it in the middle of an import.
 */
import { ImportService } from '../src-main/library/import-service';
import { LibraryDb } from '../src-main/library/library-db';
import { LibraryStore } from '../src-main/library/library-store';

const [dbPath, folder] = process.argv.slice(2);
if (!dbPath || !folder || !process.send) throw new Error('usage: fork(import-child, [dbPath, folder])');
const db = new LibraryDb(dbPath);
new ImportService(db, new LibraryStore(db))
  .importPaths([folder], { onProgress: (progress) => process.send!({ type: 'progress', progress }) })
  .then((report) => process.send!({ type: 'done', report }, () => process.exit(0)))
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
