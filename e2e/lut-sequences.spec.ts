/**
 * The Modality LUT Sequence gives the pixel values (probes and ROIs read its output), and the VOI
 * LUT Sequence is what the user sees until the window is changed: checked against values computed
 * here from the files.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { hasSharedData, sharedPath } from '../test-support/shared-data';
import {
  lookUpReference,
  referenceLut,
  referenceModalityValues,
  writeWithVoiLut,
} from '../test-support/dicom-reference';
import { flatPixel } from '../test-support/flat-pixel';
import { decodeFileDirectly, hostWithFiles, openOnlySeries, probe, type DecodedPixels } from './viewer-page';

test.skip(!hasSharedData, 'the shared DICOM data (../shared) is absent');

const MODALITY_LUT = 'dicom/odd_malformed/mlut_18.dcm';
const VOI_LUT = 'dicom/odd_malformed/vlut_04.dcm';

test('the Modality LUT Sequence maps stored values to the values probes and ROIs read', async ({ page }) => {
  const file = sharedPath(MODALITY_LUT);
  const host = await hostWithFiles(page, [file]);
  try {
    expect(await probe(page, 'renderBackend')).toBe('gpu');
    await openOnlySeries(page);
    await expect(page.getByTestId('slice-indicator')).toHaveText('1/1');
    const [imageId] = Object.values(await probe<Record<string, string>>(page, 'libraryImageIds'));
    const decoded = await probe<DecodedPixels>(page, 'decodedPixels', imageId);
    const stored = referenceModalityValues(file); // no rescale in the file: the stored values
    const lut = referenceLut(file, 'x00283000');
    expect(lut.first).toBe(-2048);
    const expected = Array.from(stored, (value) => lookUpReference(lut, value));
    // The LUT moves every value: a loader that ignored it would fail here.
    expect(expected.filter((value, i) => value !== stored[i]).length).toBeGreaterThan(stored.length / 2);
    const differing = (values: readonly number[]): number =>
      expected.filter((value, i) => values[i] !== value).length;
    expect(differing(decoded.values)).toBe(0);
    // A file handed over directly (the 'dicomfile:' loader, no library) goes through the same LUT.
    const direct = await decodeFileDirectly(page, file);
    expect('values' in direct ? differing(direct.values) : direct).toBe(0);
  } finally {
    await host.stop();
  }
});

test('the VOI LUT Sequence is the display until the window changes; the file preset brings it back', async ({
  page,
}) => {
  // The file's own VOI LUT is a straight ramp, which a linear window would also draw: square it.
  const file = join(mkdtempSync(join(tmpdir(), 'lumen-voilut-')), 'vlut_squared.dcm');
  writeWithVoiLut(sharedPath(VOI_LUT), file, (k, count) => Math.round(65535 * (k / (count - 1)) ** 2));
  const lut = referenceLut(file, 'x00283010');
  const stored = referenceModalityValues(file);
  const host = await hostWithFiles(page, [file]);
  try {
    expect(await probe(page, 'renderBackend')).toBe('gpu');
    await openOnlySeries(page);
    const indicator = page.getByTestId('wl-indicator');
    await expect(indicator).toHaveText(/^VOI LUT/);
    const pixels = [flatPixel(stored, 512, 90, 170), flatPixel(stored, 512, 180, 240)];
    const throughLut = (value: number): number => (255 * lookUpReference(lut, value)) / 65535;
    const grey = (column: number, row: number): Promise<number> =>
      probe<number>(page, 'displayedGrey', column, row);
    for (const [column, row, value] of pixels) {
      // Squared: clearly darker than the linear grey (value) it would have without the LUT.
      expect(value - throughLut(value)).toBeGreaterThan(20);
      await expect.poll(() => grey(column, row)).toBeCloseTo(throughLut(value), -0.5);
    }

    // The automatic window (key 2 for this modality): linear over the stored range.
    await page.getByTestId('viewport').hover();
    await page.keyboard.press('2');
    await expect(indicator).toHaveText(/^W: \d+ L: \d+$/);
    const min = stored.reduce((a, b) => Math.min(a, b));
    const max = stored.reduce((a, b) => Math.max(a, b));
    for (const [column, row, value] of pixels) {
      await expect.poll(() => grey(column, row)).toBeCloseTo((255 * (value - min)) / (max - min), -0.5);
    }

    // The file's display (key 1): the VOI LUT again.
    await page.keyboard.press('1');
    await expect(indicator).toHaveText(/^VOI LUT/);
    for (const [column, row, value] of pixels) {
      await expect.poll(() => grey(column, row)).toBeCloseTo(throughLut(value), -0.5);
    }

    // A window dragged with the mouse replaces it too.
    const box = (await page.getByTestId('viewport').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2 + 30, { steps: 6 });
    await page.mouse.up();
    await expect(indicator).toHaveText(/^W: \d+ L: \d+$/);
  } finally {
    await host.stop();
  }
});
