import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { startBrowserHost } from '../test-support/browser-host';
import type { BrowserHost } from '../test-support/browser-host';
import { dropFiles } from './drop-files';
import { probe } from './diagnostics';
import { hasSharedData, sharedPath, TRIO_STUDY } from '../test-support/shared-data';

interface Diagnostics {
  renderBackend(): 'gpu' | 'cpu';
  currentImageIdIndex(): number;
  imageCount(): number;
  labelmapShown(): boolean;
  labelmapNonZeroCount(): number;
}
/** Calls one of the renderer's test diagnostics by name. */
const diagnostics = <K extends keyof Diagnostics>(page: Page, name: K): Promise<ReturnType<Diagnostics[K]>> =>
  probe(page, name);

function trioFiles(): string[] {
  const files: string[] = [];
  for (const series of readdirSync(sharedPath(TRIO_STUDY))) {
    for (const name of readdirSync(sharedPath(TRIO_STUDY, series)))
      files.push(sharedPath(TRIO_STUDY, series, name));
  }
  return files;
}

test.describe.configure({ mode: 'serial' });
test.skip(!hasSharedData, 'the shared DICOM data (../shared) is absent');

test.describe('first slice: drop DICOM, view, analyse, restart', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'lumen-e2e-'));
  let host: BrowserHost;

  test.afterAll(async () => {
    await host?.stop();
  });

  test('drop the trio study, open the T1, scroll, analyse, see the overlay', async ({ page }) => {
    host = await startBrowserHost(dataDir);
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(host.url);
    await expect(page.getByTestId('open-files-button')).toBeVisible();
    await page.screenshot({ path: 'test-results/shots/01-empty.png' });

    const junk = join(dataDir, 'notes.txt');
    writeFileSync(junk, 'this is not DICOM');
    await dropFiles(page, page.locator('body'), [...trioFiles(), junk]);
    await expect(page.getByTestId('import-report')).toBeVisible({ timeout: 120_000 });
    await expect(page.getByTestId('import-report')).toContainText('248');
    await expect(page.getByTestId('import-failure')).toHaveCount(1);
    await expect(page.getByTestId('import-failure')).toContainText('notes.txt');

    await expect(page.getByTestId('study-row')).toHaveCount(1);
    await page.getByTestId('study-row').click();
    await expect(page.getByTestId('series-row')).toHaveCount(3);
    const t1 = page.getByTestId('series-row').filter({ hasText: 'MPRAGE' });
    await expect(t1).toContainText('176');
    await page.screenshot({ path: 'test-results/shots/02-library.png' });

    await t1.click();
    await expect(page.getByTestId('slice-indicator')).toHaveText(/^\d+\/176$/, { timeout: 60_000 });
    expect(await diagnostics(page, 'renderBackend')).toBe('gpu');
    expect(await diagnostics(page, 'imageCount')).toBe(176);
    await expect(page.getByTestId('wl-indicator')).toHaveText(/W: \d+(\.\d+)? L: -?\d+(\.\d+)?/);

    const before = await diagnostics(page, 'currentImageIdIndex');
    const viewport = page.getByTestId('viewport');
    await viewport.hover();
    for (let i = 0; i < 5; i++) await page.mouse.wheel(0, 120);
    await expect.poll(() => diagnostics(page, 'currentImageIdIndex')).not.toBe(before);
    const after = await diagnostics(page, 'currentImageIdIndex');
    await expect(page.getByTestId('slice-indicator')).toHaveText(`${after + 1}/176`);
    // Go to the middle of the head, where the overlay has most to show.
    for (let i = 0; i < 60; i++) await page.keyboard.press(after < 88 ? 'ArrowDown' : 'ArrowUp');
    await page.screenshot({ path: 'test-results/shots/03-viewer.png' });

    await page.getByTestId('analyze-button').click();
    await expect(page.getByTestId('job-progress')).toBeVisible();
    // The UI keeps answering while the model runs in the other process.
    await expect(page.getByTestId('slice-indicator')).toBeVisible();
    await expect(page.getByTestId('legend-item')).toHaveCount(2, { timeout: 180_000 });
    const legend = page.getByTestId('legend-item');
    await expect(legend.filter({ hasText: 'White matter' })).toBeVisible();
    await expect(legend.filter({ hasText: 'Grey matter' })).toBeVisible();
    for (const value of ['1', '2']) {
      const ml = Number(
        await page
          .locator(`[data-testid="legend-item"][data-label-value="${value}"]`)
          .getAttribute('data-ml'),
      );
      expect(ml).toBeGreaterThan(300);
      expect(ml).toBeLessThan(1000);
    }
    await expect(page.getByTestId('investigational-notice')).toBeVisible();
    await expect(page.getByTestId('model-info')).toContainText('MeshNet');
    await expect(page.getByTestId('model-info')).toContainText('cpu');
    await expect(page.getByTestId('model-info')).toContainText('02850fb0');
    await expect.poll(() => diagnostics(page, 'labelmapShown')).toBe(true);
    expect(await diagnostics(page, 'labelmapNonZeroCount')).toBeGreaterThan(500_000);
    await page.screenshot({ path: 'test-results/shots/04-overlay.png' });

    await page.getByTestId('toggle-overlay').uncheck();
    await expect.poll(() => diagnostics(page, 'labelmapShown')).toBe(false);
    await page.getByTestId('toggle-overlay').check();
    expect(pageErrors).toEqual([]);
  });

  test('after a restart the library and the result are still there', async ({ page }) => {
    await host.stop();
    host = await startBrowserHost(dataDir);
    await page.goto(host.url);
    await expect(page.getByTestId('study-row')).toHaveCount(1);
    await page.getByTestId('study-row').click();
    await page.getByTestId('series-row').filter({ hasText: 'MPRAGE' }).click();
    await expect(page.getByTestId('slice-indicator')).toHaveText(/^\d+\/176$/, { timeout: 60_000 });
    await expect(page.getByTestId('legend-item')).toHaveCount(2, { timeout: 60_000 });
    await expect(page.getByTestId('investigational-notice')).toBeVisible();
    await expect(page.getByTestId('job-progress')).toHaveCount(0);
    await expect.poll(() => diagnostics(page, 'labelmapShown')).toBe(true);
  });

  test('a dropped non-DICOM file is reported and nothing else changes', async ({ page }) => {
    await page.goto(host.url);
    const bogus = join(dataDir, 'report.pdf');
    writeFileSync(bogus, '%PDF-1.4 not an image');
    await dropFiles(page, page.locator('body'), [bogus]);
    await expect(page.getByTestId('import-failure')).toHaveCount(1);
    await expect(page.getByTestId('import-failure')).toContainText('report.pdf');
    await expect(page.getByTestId('import-failure')).toContainText(/not.?dicom|DICM/i);
    await expect(page.getByTestId('study-row')).toHaveCount(1);
  });
});
