/** A real browser-mode host on a data folder and a Chromium page opened on it: started, used, closed. */
import type { Page } from '@playwright/test';
import { startBrowserHost } from './browser-host';
import { chromiumArgs } from './chromium-args';

export async function withHostPage<T>(dataDir: string, work: (page: Page) => Promise<T>): Promise<T> {
  // Loaded on demand: the library benchmark measures a process that must not load Playwright.
  const { chromium } = await import('@playwright/test');
  const host = await startBrowserHost(dataDir);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: chromiumArgs,
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(host.url);
    return await work(page);
  } finally {
    await browser.close();
    await host.stop();
  }
}
