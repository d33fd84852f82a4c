import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { startBrowserHost } from '../test-support/browser-host';
import { dropFiles } from './drop-files';
import { hasSharedData, repoRoot, sharedPath, T1_SERIES } from '../test-support/shared-data';
import { readdirSync } from 'node:fs';

test.skip(!hasSharedData, 'the shared DICOM data (../shared) is absent');

test('without the model weights the app opens and Analyze explains how to install them', async ({ page }) => {
  const models = mkdtempSync(join(tmpdir(), 'lumen-no-weights-'));
  cpSync(
    join(repoRoot, 'models', 'meshnet-gwm', 'manifest.json'),
    join(models, 'meshnet-gwm', 'manifest.json'),
  );
  const host = await startBrowserHost(mkdtempSync(join(tmpdir(), 'lumen-e2e-nomodel-')), [
    '--models-dir',
    models,
  ]);
  try {
    await page.goto(host.url);
    const files = readdirSync(sharedPath(T1_SERIES)).map((name) => sharedPath(T1_SERIES, name));
    await dropFiles(page, page.locator('body'), files);
    await expect(page.getByTestId('import-report')).toContainText('176');
    await page.getByTestId('study-row').click();
    await page.getByTestId('series-row').first().click();
    await expect(page.getByTestId('slice-indicator')).toHaveText(/^\d+\/176$/, { timeout: 60_000 });
    await expect(page.getByTestId('analyze-button')).toHaveCount(0);
    await expect(page.getByTestId('model-missing')).toContainText('npm run models:install');
    await page.screenshot({ path: 'test-results/shots/05-model-missing.png' });
  } finally {
    await host.stop();
  }
});
