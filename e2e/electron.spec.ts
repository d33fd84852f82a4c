/**
 * The same first slice through the real Electron window (Playwright's _electron). Runs wherever the
 * Electron binary is installed; skipped, saying why, where it is not (these build machines).
 */
import { existsSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { hasSharedData, repoRoot, sharedPath, T1_SERIES } from '../test-support/shared-data';

function electronBinary(): string | null {
  try {
    const path = createRequire(__filename)('electron') as unknown;
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
const reason = 'the Electron binary is not installed on this machine (its download is blocked here)';
if (!binary) console.log(`Skipping Electron tests: ${reason}.`);

test.skip(!binary, reason);
test.skip(!hasSharedData, 'the shared DICOM data (../shared) is absent');

test('Electron: hardened window, import from the command line, view and analyse', async () => {
  const app = await electron.launch({
    executablePath: binary!,
    args: [
      repoRoot,
      `--user-data-dir=${mkdtempSync(join(tmpdir(), 'lumen-electron-'))}`,
      sharedPath(T1_SERIES),
    ],
  });
  const window = await app.firstWindow();
  expect(window.url()).toMatch(/^app:\/\/workstation\//);
  // Context isolation and no Node: the page sees the API object and nothing of Node or Electron.
  const globals = await window.evaluate(() => {
    const g = globalThis as { require?: unknown; process?: unknown; workstation?: { host?: string } };
    return { require: typeof g.require, process: typeof g.process, host: g.workstation?.host };
  });
  expect(globals).toEqual({ require: 'undefined', process: 'undefined', host: 'electron' });
  await expect(window.getByTestId('study-row')).toHaveCount(1, { timeout: 60_000 });
  await window.getByTestId('study-row').click();
  await window.getByTestId('series-row').first().click();
  await expect(window.getByTestId('slice-indicator')).toHaveText(/^\d+\/176$/, { timeout: 60_000 });
  await window.getByTestId('analyze-button').click();
  await expect(window.getByTestId('legend-item')).toHaveCount(2, { timeout: 180_000 });
  await expect(window.getByTestId('investigational-notice')).toBeVisible();
  await app.close();
});
