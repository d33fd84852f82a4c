/**
 * JPEG extended 12-bit in the viewer: Cornerstone's decoder puts every sample 15 too high, and the
 * viewer takes that off as frames load. Each file is imported through the real host and decoded by
 * the real loader in Chromium (WebGL); its values are held to IJG libjpeg's decode (within 1: two
 * IDCTs that round differently) and to the analysis path's decode of the same file (the same
 * decoder and correction in the main process: equal), in the stack, the Probe readout and MPR.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { readImageValues } from '../src-main/analysis/series-volume';
import { sopInstanceUid, writeWithValues } from '../test-support/dicom-reference';
import { withElements } from '../test-support/dicom-writer';
import { flatPixel } from '../test-support/flat-pixel';
import { IJG_REFERENCE, valueStats } from '../test-support/ijg-jpeg-extended';
import { hasSharedData, sharedPath } from '../test-support/shared-data';
import { storedInstance } from '../test-support/stored-instance';
import { openMpr } from './mpr-page';
import { decodeFileDirectly, hostWithFiles, openOnlySeries, probe, type DecodedPixels } from './viewer-page';

test.describe.configure({ mode: 'serial' });
test.skip(!hasSharedData, 'the shared DICOM data (../shared) is absent');

const TS_DIR = 'dicom/transfer_syntax';
/** What Cornerstone dicom-image-loader 5.14's JavaScript decoder adds to each 12-bit sample. */
const DECODER_BIAS = 15;

/** The analysis path's values of a file's (first) frame. */
async function analysisValues(path: string): Promise<Float32Array> {
  return readImageValues(await storedInstance(path));
}

/** How many of the viewer's values differ from the analysis path's. */
async function pixelsUnlikeAnalysis(path: string, decoded: DecodedPixels): Promise<number> {
  const analysis = await analysisValues(path);
  expect(decoded.values.length).toBe(analysis.length);
  let differing = 0;
  for (let i = 0; i < analysis.length; i++) if (decoded.values[i] !== analysis[i]) differing++;
  return differing;
}

async function imageIdOf(page: Page, path: string): Promise<string> {
  const imageId = (await probe<Record<string, string>>(page, 'libraryImageIds'))[sopInstanceUid(path)!];
  if (!imageId) throw new Error(`${path} is not in the library`);
  return imageId;
}

for (const reference of IJG_REFERENCE) {
  test(`${reference.file}: the viewer's values are IJG's (within 1) and the analysis path's`, async ({
    page,
  }) => {
    const file = sharedPath(TS_DIR, reference.file);
    const host = await hostWithFiles(page, [file]);
    try {
      expect(await probe(page, 'renderBackend')).toBe('gpu');
      expect(await probe(page, 'jpeg12Bias')).toBe(DECODER_BIAS);
      const decoded = await probe<DecodedPixels>(page, 'decodedPixels', await imageIdOf(page, file));
      const found = valueStats(decoded.values);
      expect(Math.abs(found.mean - reference.mean)).toBeLessThan(0.2);
      expect(Math.abs(found.min - reference.min)).toBeLessThanOrEqual(1);
      expect(Math.abs(found.max - reference.max)).toBeLessThanOrEqual(1);
      for (const [column, row, value] of reference.samples) {
        const at = row * decoded.width + column;
        expect(Math.abs(decoded.values[at]! - value), `${column},${row}`).toBeLessThanOrEqual(1);
      }
      expect(await pixelsUnlikeAnalysis(file, decoded)).toBe(0);
      // A file handed over directly (the 'dicomfile:' loader, no library) is corrected the same way.
      const direct = await decodeFileDirectly(page, file);
      expect('values' in direct ? await pixelsUnlikeAnalysis(file, direct) : direct).toBe(0);
    } finally {
      await host.stop();
    }
  });
}

test('a rescaled copy: the error is taken off in modality units, and values below 0 fit', async ({
  page,
}) => {
  const reference = IJG_REFERENCE.find((item) => item.file.startsWith('pydicom_small'))!;
  // Slope 2, intercept -10: the loader pre-scales the decoded values, whose smallest (the decoder's
  // +15 included) stays at or above 0, so it picks an unsigned array that corrected values below 0
  // would not fit.
  const file = join(mkdtempSync(join(tmpdir(), 'lumen-jpeg12-rescale-')), 'nm_rescaled.dcm');
  writeFileSync(
    file,
    withElements(readFileSync(sharedPath(TS_DIR, reference.file)), [
      { tag: '00281052', vr: 'DS', value: '-10' },
      { tag: '00281053', vr: 'DS', value: '2' },
    ]),
  );
  const host = await hostWithFiles(page, [file]);
  try {
    expect(await probe(page, 'renderBackend')).toBe('gpu');
    const decoded = await probe<DecodedPixels>(page, 'decodedPixels', await imageIdOf(page, file));
    for (const [column, row, value] of reference.samples) {
      const at = row * decoded.width + column;
      expect(Math.abs(decoded.values[at]! - (2 * value - 10)), `${column},${row}`).toBeLessThanOrEqual(2);
    }
    expect(valueStats(decoded.values).min).toBe(2 * reference.min - 10);
    expect(await pixelsUnlikeAnalysis(file, decoded)).toBe(0);
  } finally {
    await host.stop();
  }
});

test('the Probe readout and the default window show the corrected values', async ({ page }) => {
  // The NM image has no window in its file: the default spans its values.
  const reference = IJG_REFERENCE.find((item) => item.file.startsWith('pydicom_small'))!;
  const file = sharedPath(TS_DIR, reference.file);
  const host = await hostWithFiles(page, [file]);
  try {
    await openOnlySeries(page);
    await expect(page.getByTestId('slice-indicator')).toHaveText('1/1', { timeout: 60_000 });
    expect(await probe(page, 'renderBackend')).toBe('gpu');
    const decoded = await probe<DecodedPixels>(page, 'decodedPixels', await imageIdOf(page, file));
    // Cornerstone's default window over [min, max] (width max - min + 1, centre (min + max + 1) / 2),
    // over the corrected values: IJG's extremes, within 1.
    await expect(page.getByTestId('wl-indicator')).toHaveText(/^W: \d+ L: \d+$/);
    const shown = (await page.getByTestId('wl-indicator').textContent())?.match(/^W: (\d+) L: (\d+)$/);
    expect(shown).toBeTruthy();
    const [width, level] = [Number(shown![1]), Number(shown![2])];
    expect(Math.abs(width - (reference.max - reference.min + 1))).toBeLessThanOrEqual(2);
    expect(Math.abs(level - (reference.min + reference.max + 1) / 2)).toBeLessThanOrEqual(1.5);

    // A pixel in a flat patch inside the body (20 is the highest band that has one): whichever
    // neighbour the click lands on has its value.
    const [column, row, expected] = flatPixel(await analysisValues(file), decoded.width, 20, 4095);
    await page.getByTestId('viewport').hover();
    await page.keyboard.press('p');
    await page.mouse.click(...(await probe<[number, number]>(page, 'imagePointOnPage', column, row)));
    const item = page.getByTestId('measurement-item');
    await expect(item).toHaveCount(1);
    const probed = async (): Promise<number | undefined> =>
      (JSON.parse((await item.getAttribute('data-stats')) ?? '{}') as { value?: number }).value;
    await expect.poll(probed).toBe(expected);
    // What the user reads: the value as the panel rounds it (one decimal below 100).
    await expect(item.locator('.value')).toHaveText(expected.toFixed(1));
    await page.screenshot({ path: 'test-results/shots/jpeg-extended-probe.png' });
  } finally {
    await host.stop();
  }
});

test('MPR: a stack of 12-bit JPEG slices has the corrected values in its volume', async ({ page }) => {
  const reference = IJG_REFERENCE.find((item) => item.file.startsWith('nema_mr1'))!;
  const source = sharedPath(TS_DIR, reference.file);
  // Three copies one slice thickness (0.8 mm) apart along the slice normal (z): new instance UIDs
  // and positions of the same length, the compressed pixels untouched.
  const dir = mkdtempSync(join(tmpdir(), 'lumen-jpeg12-mpr-'));
  const uid = sopInstanceUid(source)!;
  const files = ['6.6406', '7.4406', '8.2406'].map((z, k) => {
    const path = join(dir, `slice-${k}.dcm`);
    writeWithValues(source, path, {
      x00080018: `${uid.slice(0, -1)}${k}`,
      x00200032: `-83.9063\\-91.2000\\${z}`,
    });
    return path;
  });
  const host = await hostWithFiles(page, files);
  try {
    const info = await openMpr(page, 3);
    expect(info.dimensions).toEqual([512, 512, 3]);
    const analysis = await analysisValues(source);
    for (const [column, row, value] of reference.samples) {
      for (const k of [0, 2]) {
        const voxel = await probe<number>(page, 'mprVoxelValue', column, row, k);
        expect(Math.abs(voxel - value), `${column},${row},${k}`).toBeLessThanOrEqual(1);
        expect(voxel).toBe(analysis[row * 512 + column]);
      }
    }
    await page.screenshot({ path: 'test-results/shots/jpeg-extended-mpr.png' });
  } finally {
    await host.stop();
  }
});
