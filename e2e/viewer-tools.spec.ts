/** The reading tools on a real CT series: presets by key and menu, Home/End, invert, help overlay. */
import { readdirSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import type { BrowserHost } from '../test-support/browser-host';
import { hasSharedData, sharedPath } from '../test-support/shared-data';
import { hostWithFiles, openOnlySeries, probe } from './viewer-page';

test.describe.configure({ mode: 'serial' });
test.skip(!hasSharedData, 'the shared DICOM data (../shared) is absent');

const CT_DIR = 'dicom/ct_series/lung_pet_ct_dx_A0002_chest_8mm';

test.describe('reading tools', () => {
  let host: BrowserHost;
  test.afterAll(async () => {
    await host?.stop();
  });

  test('presets, slice keys, invert and the shortcut help on a CT', async ({ page }) => {
    const files = readdirSync(sharedPath(CT_DIR)).map((name) => sharedPath(CT_DIR, name));
    host = await hostWithFiles(page, files);
    await openOnlySeries(page);
    const slice = page.getByTestId('slice-indicator');
    await expect(slice).toHaveText(`1/${files.length}`, { timeout: 60_000 });
    expect(await probe(page, 'renderBackend')).toBe('gpu');
    const wl = page.getByTestId('wl-indicator');

    await page.getByTestId('viewport').hover();
    await page.keyboard.press('4');
    await expect(wl).toHaveText('W: 1500 L: -600');
    await page.keyboard.press('8');
    await expect(wl).toHaveText('W: 1800 L: 400');
    await page.getByTestId('wl-preset-menu').selectOption('mediastinum');
    await expect(wl).toHaveText('W: 350 L: 50');
    await page.getByTestId('wl-preset-menu').selectOption('brain');
    await expect(wl).toHaveText('W: 80 L: 40');

    await page.keyboard.press('End');
    await expect(slice).toHaveText(`${files.length}/${files.length}`);
    await page.keyboard.press('PageUp');
    await expect(slice).toHaveText(`${files.length - 1}/${files.length}`);
    await page.keyboard.press('Home');
    await expect(slice).toHaveText(`1/${files.length}`);

    expect(await probe(page, 'displayInverted')).toBe(false);
    await page.keyboard.press('i');
    await expect.poll(() => probe(page, 'displayInverted')).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => probe(page, 'displayInverted')).toBe(false);

    // Orientation from the DICOM geometry (an axial CT), following flips and rotation.
    const marker = (edge: string) => page.getByTestId(`orientation-${edge}`);
    const markers = async (): Promise<string> =>
      (await Promise.all(['top', 'bottom', 'left', 'right'].map((edge) => marker(edge).textContent()))).join(
        ' ',
      );
    await expect.poll(markers).toBe('A P R L');
    await page.keyboard.press('h');
    await expect.poll(markers).toBe('A P L R');
    await page.keyboard.press('Escape');
    await page.keyboard.press('r');
    await expect.poll(markers).toBe('R L P A');
    await page.keyboard.press('Escape');
    await expect.poll(markers).toBe('A P R L');
    await expect(page.getByTestId('slice-thickness')).toHaveText('Thick 8.0 mm');
    await expect(page.getByTestId('slice-position')).toHaveText(/^Pos -?\d+\.\d mm$/);
    await page.keyboard.press('z');
    await expect(page.getByTestId('zoom-indicator')).toHaveText('Zoom 100%');
    await page.keyboard.press('f');
    await expect(page.getByTestId('zoom-indicator')).not.toHaveText('Zoom 100%');
    await expect(page.getByTestId('scale-bar')).toContainText('cm');

    await page.keyboard.press('?');
    const help = page.getByTestId('shortcut-help');
    await expect(help).toBeVisible();
    await expect(help).toContainText('Lung — W 1500 / L -600');
    await expect(help).toContainText('Home / End');
    await page.screenshot({ path: 'test-results/shots/tools-help.png' });
    await page.keyboard.press('?');
    await expect(help).toHaveCount(0);

    await page.keyboard.press('4');
    await expect(wl).toHaveText('W: 1500 L: -600');
    await page.keyboard.press('End');
    await page.screenshot({ path: 'test-results/shots/tools-ct-lung.png' });
  });
});
