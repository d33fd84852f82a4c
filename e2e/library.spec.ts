/**
 * The library end to end in Chromium: a DICOMDIR media set picked as a folder (relative paths
 * kept), non-image objects listed but not offered as images, a NIfTI volume listed with its
 * geometry, a multi-frame image shown as its frames, a re-import that adds nothing, delete, and
 * the library after a restart.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { startBrowserHost } from '../test-support/browser-host';
import type { BrowserHost } from '../test-support/browser-host';
import { dropFiles } from './drop-files';
import { probe } from './diagnostics';
import { hasSharedData, repoRoot, sharedPath } from '../test-support/shared-data';
import { writeZip } from '../test-support/zip-writer';
import { parseNifti, type NiftiVolume } from '../src-shared/nifti';
import { writeRenamedCopies } from '../test-support/dicom-copies';
import { parseFile, referenceModalityValues, sopInstanceUid } from '../test-support/dicom-reference';
import { openOnlySeries, thumbnailPixels, type DecodedPixels } from './viewer-page';

const MEDIA_SET = 'dicom/dicomdir/pydicom_dicomdirtests';
const NIFTI = 'dicom/nifti/brainchop_t1_crop.nii.gz';
const ENHANCED_CT = 'dicom/multiframe/dicomparser_CT0012_enhanced_ct_2frames.dcm';

/** Drops a whole folder the way a folder pick gives it: every file with its relative path. */
async function dropFolder(page: Page, folder: string): Promise<void> {
  await page.evaluate(() => {
    const input = document.createElement('input');
    input.type = 'file';
    input.webkitdirectory = true;
    input.id = '__e2e-folder-source';
    input.style.display = 'none';
    document.body.append(input);
  });
  await page.setInputFiles('#__e2e-folder-source', folder);
  const transfer = await page.evaluateHandle(() => {
    const input = document.getElementById('__e2e-folder-source') as HTMLInputElement;
    const dataTransfer = new DataTransfer();
    for (const file of Array.from(input.files ?? [])) dataTransfer.items.add(file);
    input.remove();
    return dataTransfer;
  });
  for (const type of ['dragenter', 'dragover', 'drop']) {
    await page.locator('body').dispatchEvent(type, { dataTransfer: transfer });
  }
}

const listFiles = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));

test.describe.configure({ mode: 'serial' });
test.skip(!hasSharedData, 'the shared DICOM data (../shared) is absent');

test.describe('the library', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'lumen-e2e-library-'));
  let host: BrowserHost;
  let studiesBefore = 0;

  test.afterAll(async () => {
    await host?.stop();
  });

  test('a DICOMDIR set, non-image objects, a multi-frame image, a re-import', async ({ page }) => {
    host = await startBrowserHost(dataDir);
    await page.goto(host.url);

    // The media set: 31 images in 6 studies of 2 patients; 7 DICOMDIRs (one unreadable) read as
    // directories whose files were dropped too, so nothing is missing.
    await dropFolder(page, sharedPath(MEDIA_SET));
    const report = page.getByTestId('import-report');
    await expect(report).toBeVisible({ timeout: 60_000 });
    await expect(report).toContainText('31 indexed');
    await expect(page.getByTestId('import-failure').filter({ hasText: 'file not found' })).toHaveCount(0);
    await expect(page.getByTestId('import-failure').filter({ hasText: 'DICOMDIR-nooffset' })).toHaveCount(1);
    await expect(page.getByTestId('study-row')).toHaveCount(6);
    await expect(page.getByTestId('study-row').filter({ hasText: 'Doe, Peter' })).toHaveCount(4);

    // Its 7-image localizer series is split into its 7 orientations (with other split series of that
    // study, 10 stacks in all), each naming its plane.
    await page.getByTestId('study-row').filter({ hasText: 'Brain-MRA' }).click();
    const split = page.getByTestId('series-geometry').filter({ hasText: 'Split stack' });
    await expect(split).toHaveCount(10);
    for (const row of await split.all())
      await expect(row).toHaveText(/Split stack: (axial|coronal|sagittal|oblique)/);
    await page.screenshot({ path: 'test-results/shots/library-01-dicomdir.png' });

    // Re-import of the same files adds nothing.
    await page.getByRole('button', { name: 'Close import report' }).click();
    await dropFolder(page, sharedPath(MEDIA_SET));
    await expect(report).toContainText('0 indexed', { timeout: 60_000 });
    await expect(report).toContainText('31 duplicates');
    await expect(page.getByTestId('study-row')).toHaveCount(6);

    // Structured reports, an RT structure set, a waveform and SEGs: listed, marked, not openable.
    await page.getByRole('button', { name: 'Close import report' }).click();
    await dropFolder(page, sharedPath('dicom/non_image'));
    await expect(report).toContainText('4 indexed', { timeout: 60_000 });
    for (const [patient, kind, label] of [
      ['Phantom30sep', 'rtstruct', 'RT structure set'],
      ['Last Name', 'sr', 'Structured report'],
      ['QIN-HEADNECK', 'sr', 'Structured report'],
    ] as const) {
      await page.getByTestId('study-row').filter({ hasText: patient }).click();
      const row = page.locator(`[data-testid="series-row"][data-kind="${kind}"]`);
      await expect(row).toHaveCount(1);
      await expect(row).toContainText(label);
      await expect(row).toBeDisabled();
    }
    await page.screenshot({ path: 'test-results/shots/library-02-non-image.png' });

    // A NIfTI volume: listed as one series with its geometry, and offered to the viewer.
    await page.getByRole('button', { name: 'Close import report' }).click();
    await dropFiles(page, page.locator('body'), [sharedPath(NIFTI)]);
    await expect(report).toContainText('1 indexed', { timeout: 60_000 });
    await page.getByTestId('study-row').filter({ hasText: 'brainchop_t1_crop' }).click();
    const volume = page.locator('[data-testid="series-row"][data-kind="nifti"]');
    await expect(volume).toContainText('256×256×256 · NIfTI volume');
    await expect(volume).toBeEnabled();

    // The enhanced CT: one instance, shown as its two frames.
    await page.getByRole('button', { name: 'Close import report' }).click();
    await dropFiles(page, page.locator('body'), [sharedPath(ENHANCED_CT)]);
    await expect(report).toContainText('1 indexed', { timeout: 60_000 });
    await page.getByTestId('study-row').filter({ hasText: 'Perfusion' }).click();
    const enhanced = page.getByTestId('series-row').first();
    await expect(enhanced).toContainText('1 images (2 frames)');
    await enhanced.click();
    await expect(page.getByTestId('slice-indicator')).toHaveText(/^\d\/2$/, { timeout: 60_000 });
    expect(await probe(page, 'renderBackend')).toBe('gpu');
    expect(await probe(page, 'imageCount')).toBe(2);
    await page.screenshot({ path: 'test-results/shots/library-03-multiframe.png' });

    // Delete: the NIfTI study goes, and with it the copy its upload made; the rest stays.
    page.on('dialog', (dialog) => void dialog.accept());
    const uploadsBefore = listFiles(join(dataDir, 'uploads'));
    const studyCount = await page.getByTestId('study-row').count();
    await page.getByTestId('study-row').filter({ hasText: 'brainchop_t1_crop' }).click();
    await page.getByTestId('delete-study').click();
    await expect(page.getByTestId('study-row')).toHaveCount(studyCount - 1);
    await expect(page.getByTestId('study-row').filter({ hasText: 'brainchop_t1_crop' })).toHaveCount(0);
    expect(listFiles(join(dataDir, 'uploads'))).toHaveLength(uploadsBefore.length - 1);
    await page.screenshot({ path: 'test-results/shots/library-04-deleted.png' });

    // Search by name, filter by modality and date range, sort.
    await page.getByTestId('study-search').fill('archibald');
    await expect(page.getByTestId('study-row')).toHaveCount(2);
    await page.getByTestId('study-modality').selectOption('CR');
    await expect(page.getByTestId('study-row')).toHaveCount(1);
    await expect(page.getByTestId('study-row')).toContainText('XR C Spine');
    await page.getByTestId('study-modality').selectOption('');
    await page.getByTestId('study-from').fill('2000-01-01');
    await expect(page.getByTestId('study-row')).toHaveCount(1);
    await page.screenshot({ path: 'test-results/shots/library-05-search.png' });
    await page.getByTestId('study-from').fill('');
    await page.getByTestId('study-search').fill('');
    await page.getByTestId('study-sort').selectOption('patientName');
    await page.getByTestId('study-sort-direction').click();
    await expect(page.getByTestId('study-row').first()).toContainText('Anonymous');
    studiesBefore = await page.getByTestId('study-row').count();
  });

  test('the library is still there after a restart', async ({ page }) => {
    await host.stop();
    host = await startBrowserHost(dataDir);
    await page.goto(host.url);
    expect(studiesBefore).toBeGreaterThan(6);
    await expect(page.getByTestId('study-row')).toHaveCount(studiesBefore, { timeout: 30_000 });
    await page.getByTestId('study-row').filter({ hasText: 'Perfusion' }).click();
    await expect(page.getByTestId('series-row').first()).toContainText('1 images (2 frames)');
  });
});

const CT_8MM = 'dicom/ct_series/lung_pet_ct_dx_A0002_chest_8mm';
const LIVER = 'dicom/ct_series/dcmqi_ct_3slice_liver';
const TINY_MR = 'dicom/dicomdir/pydicom_dicomdirtests/98892003/MR700';

function zipOfFolder(folder: string, zipPath: string): string {
  writeZip(
    zipPath,
    listFiles(folder).map((path) => ({ name: relative(folder, path), data: readFileSync(path) })),
  );
  return zipPath;
}

function libraryRows(dataDir: string): { instances: Array<{ path: string }>; integrity: string } {
  const db = new DatabaseSync(join(dataDir, 'library.sqlite'), { readOnly: true });
  try {
    const instances = db.prepare('SELECT path FROM instances').all() as Array<{ path: string }>;
    const [check] = db.prepare('PRAGMA integrity_check').all() as Array<{ integrity_check: string }>;
    return { instances, integrity: check!.integrity_check };
  } finally {
    db.close();
  }
}

async function pickFiles(page: Page, files: readonly string[]): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId('open-files-button').click();
  await (await chooser).setFiles([...files]);
}

function reportCount(text: string, label: string): number {
  const match = new RegExp(`(\\d+) ${label}`).exec(text);
  if (!match) throw new Error(`no "${label}" count in the report: ${text}`);
  return Number(match[1]);
}

test.describe('importing from the command line and from ZIPs', () => {
  const work = mkdtempSync(join(tmpdir(), 'lumen-e2e-zip-'));

  test('paths given on the browser-mode command line are imported, a ZIP among them', async ({ page }) => {
    const dataDir = join(work, 'cli-library');
    const liverZip = zipOfFolder(sharedPath(LIVER), join(work, 'liver.zip'));
    // A relative path is taken from the host's working folder (the checkout).
    const host = await startBrowserHost(dataDir, [relative(repoRoot, sharedPath(CT_8MM)), liverZip]);
    try {
      await page.goto(host.url);
      await expect(page.getByTestId('study-row')).toHaveCount(2, { timeout: 60_000 });
      const liverPatient = parseFile(listFiles(sharedPath(LIVER))[0]!).string('x00100020')!;
      await page.getByTestId('study-row').filter({ hasText: liverPatient.trim() }).click();
      await page.getByTestId('series-row').first().click();
      await expect(page.getByTestId('slice-indicator')).toHaveText(/\/3$/, { timeout: 60_000 });
      expect(await probe(page, 'renderBackend')).toBe('gpu');
    } finally {
      await host.stop();
    }
    const { instances, integrity } = libraryRows(dataDir);
    expect(integrity).toBe('ok');
    expect(instances).toHaveLength(29 + 3);
    const copies = instances.filter(({ path }) => path.startsWith(join(dataDir, 'copies')));
    expect(copies).toHaveLength(3);
  });

  test('a ZIP picked in the window: its series listed, its pixels equal the file it holds', async ({
    page,
  }) => {
    const dataDir = join(work, 'zip-library');
    const host = await startBrowserHost(dataDir);
    try {
      await page.goto(host.url);
      await pickFiles(page, [join(work, 'liver.zip')]);
      const report = page.getByTestId('import-report');
      await expect(report).toContainText('3 indexed', { timeout: 60_000 });
      await expect(report).toContainText('0 failed');
      // The uploaded archive is not kept: its entries were copied into the library.
      expect(listFiles(join(dataDir, 'uploads'))).toEqual([]);
      expect(listFiles(join(dataDir, 'copies')).filter((path) => path.endsWith('.dcm'))).toHaveLength(3);
      await openOnlySeries(page);
      await expect(page.getByTestId('slice-indicator')).toHaveText(/\/3$/, { timeout: 60_000 });
      expect(await probe(page, 'renderBackend')).toBe('gpu');
      const file = listFiles(sharedPath(LIVER))[0]!;
      const imageIds = await probe<Record<string, string>>(page, 'libraryImageIds');
      const decoded = await probe<DecodedPixels>(page, 'decodedPixels', imageIds[sopInstanceUid(file)!]);
      const reference = referenceModalityValues(file);
      expect(decoded.values).toHaveLength(reference.length);
      expect(decoded.values.every((value, k) => value === reference[k])).toBe(true);
    } finally {
      await host.stop();
    }
  });

  test('a large ZIP import cancelled from the window keeps whole batches; importing again completes it', async ({
    page,
  }) => {
    const total = 10_000;
    const copies = join(work, 'many');
    writeRenamedCopies(sharedPath(TINY_MR), copies, total, 7);
    const zip = zipOfFolder(copies, join(work, 'many.zip'));
    const dataDir = join(work, 'cancel-library');
    const host = await startBrowserHost(dataDir);
    try {
      await page.goto(host.url);
      await pickFiles(page, [zip]);
      // Cancel once the first batch has been written (progress is pushed after each batch).
      await expect(page.getByTestId('import-progress')).toBeVisible({ timeout: 60_000 });
      await page.getByTestId('import-cancel').click();
      const report = page.getByTestId('import-report');
      await expect(report).toContainText('Cancelled after', { timeout: 60_000 });
      const first = reportCount((await report.textContent()) ?? '', 'indexed');
      expect(first).toBeGreaterThan(0);
      expect(first).toBeLessThan(total);
      let rows = libraryRows(dataDir);
      expect(rows.integrity).toBe('ok');
      // Exactly what the report says was written, each row with its copy on disk.
      expect(rows.instances).toHaveLength(first);
      expect(rows.instances.every(({ path }) => existsSync(path))).toBe(true);

      await page.getByRole('button', { name: 'Close import report' }).click();
      await pickFiles(page, [zip]);
      await expect(report).toContainText(`${total - first} indexed`, { timeout: 120_000 });
      await expect(report).toContainText(`${first} duplicates`);
      await expect(report).not.toContainText('Cancelled');
      rows = libraryRows(dataDir);
      expect(rows.instances).toHaveLength(total);
    } finally {
      await host.stop();
    }
  });

  test('an upload cancelled before the import starts leaves nothing behind; a later import works', async ({
    page,
  }) => {
    const total = 3_000;
    const copies = join(work, 'upload-many');
    writeRenamedCopies(sharedPath(TINY_MR), copies, total, 11);
    const dataDir = join(work, 'upload-cancel-library');
    const host = await startBrowserHost(dataDir);
    try {
      await page.goto(host.url);
      await pickFiles(page, listFiles(copies));
      // Cancelled while the files are still being uploaded: no progress from the import yet.
      await expect(page.getByTestId('import-busy')).toBeVisible();
      await expect(page.getByTestId('import-progress')).toHaveCount(0);
      await page.getByTestId('import-cancel').click();
      const report = page.getByTestId('import-report');
      await expect(report).toContainText('Cancelled after 0 files', { timeout: 60_000 });
      await expect(report).toContainText('0 indexed');
      expect(libraryRows(dataDir).instances).toHaveLength(0);
      // Uploads still in flight when Cancel came are dropped too.
      const uploads = join(dataDir, 'uploads');
      await expect.poll(() => (existsSync(uploads) ? listFiles(uploads) : [])).toEqual([]);

      await page.getByRole('button', { name: 'Close import report' }).click();
      await pickFiles(page, listFiles(copies).slice(0, 20));
      await expect(report).toContainText('20 indexed', { timeout: 60_000 });
      expect(libraryRows(dataDir).instances).toHaveLength(20);
    } finally {
      await host.stop();
    }
  });
});

const T1 = 'dicom/mr_series/trio_b17_brain_study/t1_MPRAGEcr_noGRAPPA_19';
const CR_MONO2 = 'dicom/chest_xray/siim_cr_pa_jpeg_baseline.dcm';
const CR_MONO1 = 'dicom/chest_xray/siim_cr_pa_retagged_MONOCHROME1.dcm';

/** The SOP Instance UID of the middle slice of a folder, in order along the slice normal. */
function middleSliceUid(folder: string): string {
  const slices = listFiles(folder).map((path) => {
    const ds = parseFile(path);
    const [rx, ry, rz, cx, cy, cz] = ds.string('x00200037')!.split('\\').map(Number) as number[];
    const normal = [ry! * cz! - rz! * cy!, rz! * cx! - rx! * cz!, rx! * cy! - ry! * cx!];
    const position = ds.string('x00200032')!.split('\\').map(Number);
    const along = position.reduce((sum, value, k) => sum + value * normal[k]!, 0);
    return { uid: ds.string('x00080018')!, along };
  });
  slices.sort((a, b) => a.along - b.along);
  return slices[Math.floor(slices.length / 2)]!.uid;
}

/** Mean grey of a thumbnail's central half, and the share of its pixels that are not black. */
async function thumbnailGrey(page: Page, index = 0): Promise<{ centreMean: number; lit: number }> {
  const { data, width, height } = await thumbnailPixels(page, index);
  let lit = 0;
  let centre = 0;
  let centreCount = 0;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const grey = data[(y * width + x) * 4]!;
      if (grey > 16) lit++;
      if (x >= width / 4 && x < (3 * width) / 4 && y >= height / 4 && y < (3 * height) / 4) {
        centre += grey;
        centreCount++;
      }
    }
  return { centreMean: centre / centreCount, lit: lit / (width * height) };
}

test.describe('series thumbnails', () => {
  const work = mkdtempSync(join(tmpdir(), 'lumen-e2e-thumbnails-'));

  test('each image series shows its middle image; MONOCHROME1 is drawn inverted', async ({ page }) => {
    const host = await startBrowserHost(join(work, 'a'), [sharedPath(T1), sharedPath(CR_MONO2)]);
    let mono2: { centreMean: number; lit: number };
    try {
      await page.goto(host.url);
      await expect(page.getByTestId('study-row')).toHaveCount(2, { timeout: 60_000 });
      await page.getByTestId('study-row').filter({ hasNotText: 'CR' }).click();
      const thumbnail = page.getByTestId('series-thumbnail');
      await expect(thumbnail).toHaveCount(1, { timeout: 60_000 });
      await expect(thumbnail).toHaveAttribute('data-sop-instance-uid', middleSliceUid(sharedPath(T1)));
      const t1 = await thumbnailGrey(page);
      // A sagittal head: a good part of the square lit, not a blank or a flat grey.
      expect(t1.lit).toBeGreaterThan(0.2);
      expect(t1.lit).toBeLessThan(0.95);
      await page.screenshot({ path: join('test-results', 'series-thumbnail-t1.png') });

      await page.getByTestId('study-row').filter({ hasText: 'CR' }).click();
      await expect(thumbnail).toHaveAttribute('data-sop-instance-uid', sopInstanceUid(sharedPath(CR_MONO2))!);
      mono2 = await thumbnailGrey(page);
    } finally {
      await host.stop();
    }
    // The same pixels tagged MONOCHROME1 (same UIDs, so in a library of its own): drawn inverted.
    const second = await startBrowserHost(join(work, 'b'), [sharedPath(CR_MONO1)]);
    try {
      await page.goto(second.url);
      await page.getByTestId('study-row').first().click({ timeout: 60_000 });
      await expect(page.getByTestId('series-thumbnail')).toHaveCount(1, { timeout: 60_000 });
      const mono1 = await thumbnailGrey(page);
      expect(Math.abs(mono1.centreMean + mono2.centreMean - 255)).toBeLessThan(12);
      expect(Math.abs(mono1.centreMean - mono2.centreMean)).toBeGreaterThan(30);
    } finally {
      await second.stop();
    }
  });
});

const NIFTI_BIG_ENDIAN = 'dicom/nifti/nibabel_anatomical_bigendian.nii';

/** The volume as the test reads it itself: inflated here, parsed by the shared reader. */
function niftiFromFile(path: string): NiftiVolume {
  const bytes = readFileSync(path);
  return parseNifti(path.endsWith('.gz') ? gunzipSync(bytes) : bytes);
}

test.describe('NIfTI volumes in the viewer', () => {
  test("the brainchop T1 and a big-endian file open as stacks with the file's voxel values", async ({
    page,
  }) => {
    const host = await startBrowserHost(mkdtempSync(join(tmpdir(), 'lumen-e2e-nifti-')), [
      sharedPath(NIFTI),
      sharedPath(NIFTI_BIG_ENDIAN),
    ]);
    try {
      await page.goto(host.url);
      await expect(page.getByTestId('study-row')).toHaveCount(2, { timeout: 60_000 });
      for (const [file, name] of [
        [NIFTI, 'brainchop_t1_crop'],
        [NIFTI_BIG_ENDIAN, 'nibabel_anatomical_bigendian'],
      ] as const) {
        const volume = niftiFromFile(sharedPath(file));
        const [nx, ny, nz] = volume.dims;
        await page.getByTestId('study-row').filter({ hasText: name }).click();
        await page.locator('[data-testid="series-row"][data-kind="nifti"]').click();
        await expect(page.getByTestId('slice-indicator')).toHaveText(new RegExp(`/${nz}$`), {
          timeout: 60_000,
        });
        expect(await probe(page, 'renderBackend')).toBe('gpu');
        expect(await probe(page, 'imageCount')).toBe(nz);
        if (file === NIFTI) expect(nz).toBe(256);
        // The last slice with the keyboard, as a reader would: it is the file's last.
        await page.getByTestId('viewport').hover();
        await page.keyboard.press('End');
        await expect(page.getByTestId('slice-indicator')).toHaveText(`${nz}/${nz}`);
        const last = await probe<string>(page, 'currentImageId');
        expect(last).toMatch(new RegExp(`#${nz - 1}$`));
        // The middle slice through the same loader: every voxel equal to the file's, and not blank.
        const middle = Math.floor(nz / 2);
        const decoded = await probe<DecodedPixels>(
          page,
          'decodedPixels',
          last.replace(/#\d+$/, `#${middle}`),
        );
        expect([decoded.width, decoded.height]).toEqual([nx, ny]);
        const expected = Array.from(volume.data.subarray(middle * nx * ny, (middle + 1) * nx * ny));
        expect(expected.some((value) => value !== 0)).toBe(true);
        expect(decoded.values).toEqual(expected);
        await page.keyboard.press('Home');
        for (let n = 0; n < middle; n++) await page.keyboard.press('PageDown');
        await expect(page.getByTestId('slice-indicator')).toHaveText(`${middle + 1}/${nz}`);
        await page.screenshot({ path: `test-results/shots/nifti-${name}.png` });
      }
    } finally {
      await host.stop();
    }
  });
});
