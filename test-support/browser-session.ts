/** A real browser-mode host on a data folder and a Chromium page opened on it: started, used, closed. */
import type { Browser, Page } from '@playwright/test';
import { startBrowserHost, type BrowserHost } from './browser-host';
import { chromiumArgs } from './chromium-args';
import { startChromium } from './chromium-process';

export interface HostPageOptions {
  /** Runs in the page before the app's own scripts (a benchmark's instruments). */
  readonly initScript?: string;
  /**
   * Chromium in this process's session (as Electron's processes are), driven over CDP, instead of
   * Playwright's launch, which starts it in a session of its own and so in another scheduler
   * autogroup than the host and its inference process.
   */
  readonly sameSession?: boolean;
}

/** Chromium as the tests and benchmarks run it (the project's flags), launched by Playwright. */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('@playwright/test');
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: chromiumArgs,
  });
}

export async function withHostPage<T>(
  dataDir: string,
  work: (page: Page, host: BrowserHost) => Promise<T>,
  options: HostPageOptions = {},
): Promise<T> {
  // Loaded on demand: the library benchmark measures a process that must not load Playwright.
  const { chromium } = await import('@playwright/test');
  const host = await startBrowserHost(dataDir);
  const own = options.sameSession ? await startChromium() : null;
  const browser = own
    ? await chromium.connectOverCDP(`http://127.0.0.1:${own.port}`)
    : await launchChromium();
  try {
    // A browser connected over CDP opens pages in its default context.
    const page = await (own ? browser.contexts()[0]!.newPage() : browser.newPage());
    await page.setViewportSize({ width: 1440, height: 900 });
    if (options.initScript) await page.addInitScript(options.initScript);
    await page.goto(host.url);
    return await work(page, host);
  } finally {
    // Chromium of our own is ended first, while its helpers are still its descendants to wait for.
    await own?.stop();
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
