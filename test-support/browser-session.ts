/** A real browser-mode host on a data folder and a Chromium page opened on it: started, used, closed. */
import type { Page } from '@playwright/test';
import { startBrowserHost, type BrowserHost } from './browser-host';
import { chromiumArgs } from './chromium-args';

/** `initScript` runs in the page before the app's own scripts (a benchmark's instruments). */
export async function withHostPage<T>(
  dataDir: string,
  work: (page: Page, host: BrowserHost) => Promise<T>,
  initScript?: string,
): Promise<T> {
  // Loaded on demand: the library benchmark measures a process that must not load Playwright.
  const { chromium } = await import('@playwright/test');
  const host = await startBrowserHost(dataDir);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: chromiumArgs,
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    if (initScript) await page.addInitScript(initScript);
    await page.goto(host.url);
    return await work(page, host);
  } finally {
    await browser.close();
    await host.stop();
  }
}

/**
 * Opens the first study's first series and waits for the slice indicator to match `slices` (an
 * image drawn); returns the milliseconds from the click on the series row.
 */
export async function openFirstSeries(
  page: Page,
  slices: string | RegExp,
  timeout = 60_000,
): Promise<number> {
  await page.getByTestId('study-row').first().click();
  const row = page.getByTestId('series-row').first();
  await row.waitFor();
  const started = Date.now();
  await row.click();
  await page.getByTestId('slice-indicator').filter({ hasText: slices }).waitFor({ timeout });
  return Date.now() - started;
}
