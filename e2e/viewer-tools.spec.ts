/** The reading tools on a real CT series: presets by key and menu, Home/End, invert, help overlay. */
import { readdirSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import type { BrowserHost } from '../test-support/browser-host';
import { referenceModalityValues, sopInstanceUid } from '../test-support/dicom-reference';
import { hasSharedData, sharedPath } from '../test-support/shared-data';
import { hostWithFiles, openOnlySeries, probe } from './viewer-page';
import type { Page } from '@playwright/test';

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
    // The file carries two windows (WINDOW1 40/350, WINDOW2 -600/1200): the second from the menu,
    // the first by the file's key.
    await expect(page.getByTestId('wl-preset-menu').locator('option[value="file-2"]')).toHaveText(
      'File: WINDOW2 (1200/-600)',
    );
    await page.getByTestId('wl-preset-menu').selectOption('file-2');
    await expect(wl).toHaveText('W: 1200 L: -600');
    await page.keyboard.press('9');
    await expect(wl).toHaveText('W: 350 L: 40');

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
    // Flipped, the slice key and the wheel still count up (a stack steps through its images).
    await page.keyboard.press('ArrowDown');
    await expect(slice).toHaveText(`2/${files.length}`);
    await page.getByTestId('viewport').hover();
    await page.mouse.wheel(0, 120);
    await expect(slice).toHaveText(`3/${files.length}`);
    await page.keyboard.press('Home');
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

  test('a length over a known number of pixels and a rectangle ROI mean agree with the file', async ({
    page,
  }) => {
    await page.goto(host.url);
    await openOnlySeries(page);
    await expect(page.getByTestId('slice-indicator')).toHaveText(/^1\//, { timeout: 60_000 });
    expect(await probe(page, 'renderBackend')).toBe('gpu');
    const imageId = await probe<string>(page, 'currentImageId');
    const byUid = await probe<Record<string, string>>(page, 'libraryImageIds');
    const uid = Object.keys(byUid).find((key) => byUid[key] === imageId)!;
    const file = readdirSync(sharedPath(CT_DIR))
      .map((name) => sharedPath(CT_DIR, name))
      .find((path) => sopInstanceUid(path) === uid)!;
    const spacing = 0.646484375; // Pixel Spacing of this series (both directions)
    const drag = async (from: [number, number], to: [number, number]): Promise<void> => {
      const start = await pagePoint(page, from);
      const end = await pagePoint(page, to);
      await page.mouse.move(...start);
      await page.mouse.down();
      await page.mouse.move(...end, { steps: 8 });
      await page.mouse.move(...end);
      await page.mouse.up();
    };

    await page.keyboard.press('l');
    await drag([100, 256], [400, 256]); // 300 pixels along a row
    const items = page.getByTestId('measurement-item');
    await expect(items).toHaveCount(1);
    // The pixels it spans, from its stored end points in image coordinates, times the pixel spacing.
    // The tool recomputes its figures throttled after the last move: poll until they are current.
    const lengthError = async (): Promise<number> => {
      const length = (await statsOf(page, 0)).length ?? 0;
      const [p0, p1] = (await probe<Array<Array<[number, number]>>>(page, 'annotationImagePoints'))[0]!;
      const pixels = Math.hypot(p1![0] - p0![0], p1![1] - p0![1]);
      expect(pixels).toBeGreaterThan(150);
      return Math.abs(length - pixels * spacing);
    };
    await expect.poll(lengthError).toBeLessThan(0.01);
    await expect(items.first()).toContainText('mm');

    await page.keyboard.press('b');
    await drag([200, 300], [260, 340]);
    await expect(items).toHaveCount(2);
    await expect.poll(async () => statsOf(page, 1).then((stats) => stats.mean ?? null)).not.toBeNull();
    // Wait for the figures of the final rectangle (recomputed throttled after the last move).
    const areaError = async (): Promise<number> => {
      const area = (await statsOf(page, 1)).area ?? 0;
      const points = (await probe<Array<Array<[number, number]>>>(page, 'annotationImagePoints'))[1]!;
      const span = (axis: 0 | 1): number =>
        Math.max(...points.map((point) => point[axis])) - Math.min(...points.map((point) => point[axis]));
      const expected = span(0) * span(1) * spacing * spacing;
      return Math.abs(area - expected) / expected;
    };
    await expect.poll(areaError).toBeLessThan(0.1);
    const roi = await statsOf(page, 1);
    // The region as the tool stored it (its corner handles, in image pixels), and the mean over it
    // computed here from the file. Which border pixels the tool counts is its own choice: its mean
    // must lie between the means of the region shrunk and grown by one pixel.
    const corners = (await probe<Array<Array<[number, number]>>>(page, 'annotationImagePoints'))[1]!;
    const columns = corners.map(([column]) => column);
    const rows = corners.map(([, row]) => row);
    const [c0, c1] = [Math.round(Math.min(...columns)), Math.round(Math.max(...columns)) - 1];
    const [r0, r1] = [Math.round(Math.min(...rows)), Math.round(Math.max(...rows)) - 1];
    expect(c1 - c0).toBeGreaterThan(20);
    expect(r1 - r0).toBeGreaterThan(20);
    const values = referenceModalityValues(file);
    const meanOf = (a: number, b: number, c: number, d: number): number => {
      let sum = 0;
      for (let row = b; row <= d; row++)
        for (let column = a; column <= c; column++) sum += values[row * 512 + column]!;
      return sum / ((c - a + 1) * (d - b + 1));
    };
    const inner = meanOf(c0 + 1, r0 + 1, c1 - 1, r1 - 1);
    const outer = meanOf(c0 - 1, r0 - 1, c1 + 1, r1 + 1);
    expect(roi.mean!).toBeGreaterThanOrEqual(Math.min(inner, outer) - 0.5);
    expect(roi.mean!).toBeLessThanOrEqual(Math.max(inner, outer) + 0.5);
    // Area in mm² from the same region and the pixel spacing, within one pixel's border.
    expect(Math.abs(roi.area! - (c1 - c0 + 1) * (r1 - r0 + 1) * spacing * spacing)).toBeLessThan(
      2 * (c1 - c0 + 1 + (r1 - r0 + 1)) * spacing * spacing,
    );
    await expect(items.nth(1)).toContainText('HU');
    await page.screenshot({ path: 'test-results/shots/tools-measurements.png' });

    await page.getByTestId('measurement-delete').first().click();
    await expect(items).toHaveCount(1);
  });
});

async function pagePoint(page: Page, [column, row]: [number, number]): Promise<[number, number]> {
  return probe<[number, number]>(page, 'imagePointOnPage', column, row);
}

async function statsOf(page: Page, index: number): Promise<Record<string, number | undefined>> {
  const text = await page.getByTestId('measurement-item').nth(index).getAttribute('data-stats');
  return JSON.parse(text ?? '{}') as Record<string, number | undefined>;
}
