/**
 * Measurement units from the file's Rescale Type (0028,1054): a CT whose values are stated
 * unspecified ('US') is not labelled HU, another stated type is shown as given, and a CT without
 * one reads HU (viewer-tools.spec.ts). Checked in the measurements panel and on the image.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { parseFile } from '../test-support/dicom-reference';
import { withElements } from '../test-support/dicom-writer';
import { hasSharedData, sharedPath } from '../test-support/shared-data';
import { CT_DIR, filesIn } from './mpr-page';
import { hostWithFiles, openOnlySeries, probe } from './viewer-page';

test.skip(!hasSharedData, 'the shared DICOM data (../shared) is absent');

/** A real enhanced CT whose Pixel Value Transformation says Rescale Type US. */
const ENHANCED_CT_US = 'dicom/multiframe/dicomparser_CT0012_enhanced_ct_2frames.dcm';

/**
 * Imports one file, opens it, draws a rectangle ROI and places a probe in the middle of the viewport;
 * returns what the user reads in the panel and on the image.
 */
async function measureMiddle(
  page: Page,
  file: string,
  frames: number,
  shot: string,
): Promise<{ panel: string[]; onImage: string }> {
  const host = await hostWithFiles(page, [file]);
  try {
    await openOnlySeries(page);
    await expect(page.getByTestId('slice-indicator')).toHaveText(`1/${frames}`, { timeout: 60_000 });
    expect(await probe(page, 'renderBackend')).toBe('gpu');
    return await measure(page, shot);
  } finally {
    await host.stop();
  }
}

async function measure(page: Page, shot: string): Promise<{ panel: string[]; onImage: string }> {
  const viewport = page.getByTestId('viewport');
  const box = (await viewport.boundingBox())!;
  const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
  await page.keyboard.press('b');
  await page.mouse.move(x - 40, y - 30);
  await page.mouse.down();
  await page.mouse.move(x + 40, y + 30, { steps: 6 });
  await page.mouse.up();
  await page.keyboard.press('p');
  await page.mouse.click(x + 60, y + 50);
  const items = page.getByTestId('measurement-item');
  await expect(items).toHaveCount(2);
  await expect(items.nth(0)).toContainText('mean');
  await expect(items.nth(1).locator('.value')).toHaveText(/\d/);
  await page.mouse.move(0, 0);
  await expect(viewport.locator('svg text').filter({ hasText: 'Mean' })).toHaveCount(1);
  await page.screenshot({ path: `test-results/shots/${shot}.png` });
  return {
    panel: await items.locator('.value').allTextContents(),
    onImage: (await viewport.locator('svg text').allTextContents()).join(' | '),
  };
}

test('a CT whose Rescale Type is US (unspecified) is not labelled HU', async ({ page }) => {
  const file = sharedPath(ENHANCED_CT_US);
  expect(parseFile(file).string('x00080060')).toBe('CT');
  const { panel, onImage } = await measureMiddle(page, file, 2, 'rescale-type-us');
  expect(panel[0]).toMatch(/^mean -?[\d.]+, SD [\d.]+, min -?[\d.]+, max -?[\d.]+, area [\d.]+ mm²$/);
  expect(panel[1]).toMatch(/^-?[\d.]+$/);
  expect(onImage).toContain('Mean:');
  expect(onImage).not.toContain('HU');
});

test('a CT slice whose Rescale Type names another unit shows that unit', async ({ page }) => {
  const source = filesIn(CT_DIR)[0]!;
  expect(parseFile(source).string('x00281054')).toBeUndefined();
  const file = join(mkdtempSync(join(tmpdir(), 'lumen-rescale-type-')), 'ct_mgml.dcm');
  writeFileSync(file, withElements(readFileSync(source), [{ tag: '00281054', vr: 'LO', value: 'MGML' }]));
  const { panel, onImage } = await measureMiddle(page, file, 1, 'rescale-type-mgml');
  expect(panel[0]).toMatch(/^mean -?[\d.]+ MGML, SD/);
  expect(panel[1]).toMatch(/^-?[\d.]+ MGML$/);
  expect(onImage).toContain('MGML');
  expect(onImage).not.toContain('HU');
});
