/**
 * The library, measured: header indexing of 10,000 uncompressed single-frame CT files (copies of
 * the real 8 mm chest CT slices with new UIDs, written at run time into a temp folder), and the
 * indexing process's memory above idle. The indexing runs in a child process that stands for main,
 * so the memory of writing the copies does not count. Then the 128-slice CT is given to the
 * window in Chromium: time to its series listed and to its first image. Between the two, the same
 * 10,000 files as a ZIP: its import rate.
 */
import { fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImportService } from '../src-main/library/import-service';
import { LibraryDb } from '../src-main/library/library-db';
import { LibraryStore } from '../src-main/library/library-store';
import { withHostPage } from '../test-support/browser-session';
import { writeRenamedCopies } from '../test-support/dicom-copies';
import { hasSharedData, CT_128_SERIES, sharedPath } from '../test-support/shared-data';
import { ZipWriter } from '../test-support/zip-writer';
import { figure } from './report';

const GROUP = 'library';
const FILE_COUNT = 10_000;
const CT_SERIES = 'dicom/ct_series/lung_pet_ct_dx_A0002_chest_8mm';
const CHILD_FLAG = '--index-child';

interface ChildReport {
  readonly indexed: number;
  readonly failures: number;
  readonly elapsedMs: number;
  readonly idleRss: number;
  readonly peakRss: number;
}

/** The child: opens a library, notes idle memory, indexes the folder, samples memory throughout. */
async function indexInChild(filesDir: string, dbDir: string): Promise<void> {
  const db = new LibraryDb(join(dbDir, 'library.sqlite'));
  const importer = new ImportService(db, new LibraryStore(db));
  const idleRss = process.memoryUsage.rss();
  let peakRss = idleRss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 20);
  const report = await importer.importPaths([filesDir]);
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  db.close();
  const result: ChildReport = {
    indexed: report.indexed,
    failures: report.failures.length,
    elapsedMs: report.elapsedMs,
    idleRss,
    peakRss,
  };
  process.send!(result, () => process.exit(0));
}

async function main(): Promise<void> {
  if (!hasSharedData) {
    console.log(`${GROUP}: skipped, the shared DICOM data is absent`);
    return;
  }
  const work = mkdtempSync(join(tmpdir(), 'lumen-bench-library-'));
  try {
    const filesDir = join(work, 'files');
    writeRenamedCopies(sharedPath(CT_SERIES), filesDir, FILE_COUNT);
    // Warm disk: read every file once before timing, as the target says.
    for (const folder of readdirSync(filesDir))
      for (const name of readdirSync(join(filesDir, folder))) readFileSync(join(filesDir, folder, name));
    const child = fork(__filename, [CHILD_FLAG, filesDir, work], { stdio: 'inherit' });
    const report = await new Promise<ChildReport>((resolve, reject) => {
      child.once('message', (message) => resolve(message as ChildReport));
      child.once('exit', (code) => reject(new Error(`the indexing process exited with ${code}`)));
    });
    if (report.indexed !== FILE_COUNT || report.failures > 0) {
      throw new Error(`indexed ${report.indexed} of ${FILE_COUNT} files, ${report.failures} failures`);
    }
    figure(GROUP, 'index_files', FILE_COUNT, 'files', 0);
    figure(GROUP, 'index_time', report.elapsedMs, 'ms', 0);
    figure(GROUP, 'index_rate', (FILE_COUNT / report.elapsedMs) * 1000, 'files/s', 0);
    figure(GROUP, 'index_rss_idle', report.idleRss / 2 ** 20, 'MiB', 0);
    figure(GROUP, 'index_rss_above_idle', (report.peakRss - report.idleRss) / 2 ** 20, 'MiB', 0);
    await measureZipImport(filesDir, work);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  await measureDropInChromium();
}

/**
 * The same 10,000 files as one deflated ZIP (written here, before timing), imported into a new
 * library: every entry streamed, inflated, copied into the library folder and its header read.
 */
async function measureZipImport(filesDir: string, work: string): Promise<void> {
  const zipPath = join(work, 'study.zip');
  const zip = new ZipWriter(zipPath);
  for (const folder of readdirSync(filesDir).sort())
    for (const name of readdirSync(join(filesDir, folder)))
      zip.add({ name: `${folder}/${name}`, data: readFileSync(join(filesDir, folder, name)) });
  zip.close();
  rmSync(filesDir, { recursive: true });
  const libraryDir = join(work, 'zip-library');
  mkdirSync(libraryDir);
  const db = new LibraryDb(join(libraryDir, 'library.sqlite'));
  const report = await new ImportService(db, new LibraryStore(db)).importPaths([zipPath], {
    zipCopiesInto: join(libraryDir, 'copies'),
  });
  db.close();
  if (report.indexed !== FILE_COUNT || report.failures.length > 0) {
    throw new Error(
      `ZIP: indexed ${report.indexed} of ${FILE_COUNT} entries, ${report.failures.length} failures`,
    );
  }
  figure(GROUP, 'zip_import_files', FILE_COUNT, 'files', 0);
  figure(GROUP, 'zip_import_time', report.elapsedMs, 'ms', 0);
  figure(GROUP, 'zip_import_rate', (FILE_COUNT / report.elapsedMs) * 1000, 'files/s', 0);
}

/**
 * The 128-slice CT given to the window in Chromium with the Open files button (browser mode: the
 * files are uploaded to main and indexed, the same path a drop takes): time to its series listed,
 * then from the click on it to its first image.
 */
async function measureDropInChromium(): Promise<void> {
  const files = readdirSync(sharedPath(CT_128_SERIES)).map((name) => sharedPath(CT_128_SERIES, name));
  await withHostPage(mkdtempSync(join(tmpdir(), 'lumen-bench-drop-')), async (page) => {
    const chooser = page.waitForEvent('filechooser');
    await page.getByTestId('open-files-button').click();
    const dropped = Date.now();
    await (await chooser).setFiles(files);
    const row = page.getByTestId('series-row').first();
    await row.waitFor({ timeout: 120_000 });
    figure(GROUP, 'pick_to_first_series', Date.now() - dropped, 'ms', 0);
    const clicked = Date.now();
    await row.click();
    await page
      .getByTestId('slice-indicator')
      .filter({ hasText: /\/128$/ })
      .waitFor({ timeout: 60_000 });
    figure(GROUP, 'open_to_first_image', Date.now() - clicked, 'ms', 0);
    figure(GROUP, 'pick_to_first_image', Date.now() - dropped, 'ms', 0);
  });
}

if (process.argv[2] === CHILD_FLAG) {
  indexInChild(process.argv[3]!, process.argv[4]!).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
