import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import type { EngineStatus } from '../src-shared/api';
import { startBrowserHost } from '../test-support/browser-host';
import type { BrowserHost } from '../test-support/browser-host';
import { dropFiles } from './drop-files';
import { probe } from './diagnostics';
import { hasSharedData, sharedPath, T1_SERIES, TRIO_STUDY } from '../test-support/shared-data';

/** The engine status as the renderer's own API returns it (same origin, so the auth cookie rides along). */
const engineStatus = (page: Page): Promise<EngineStatus> =>
  page.evaluate(async () => {
    const response = await fetch('/api/rpc/engineStatus', { method: 'POST', body: '{}' });
    return (await response.json()) as EngineStatus;
  });

/** A host on a fresh library; the caller keeps it, so that it is stopped even if a later step fails. */
const freshHost = (): Promise<BrowserHost> =>
  startBrowserHost(mkdtempSync(join(tmpdir(), 'lumen-e2e-engine-')));

/** The T1 dropped onto the host's window and opened in the viewer. */
async function openT1(page: Page, on: BrowserHost): Promise<void> {
  await page.goto(on.url);
  await dropFiles(
    page,
    page.locator('body'),
    readdirSync(sharedPath(T1_SERIES)).map((name) => sharedPath(T1_SERIES, name)),
  );
  await expect(page.getByTestId('import-report')).toContainText('176', { timeout: 120_000 });
  await page.getByTestId('study-row').click();
  await page.getByTestId('series-row').first().click();
  await expect(page.getByTestId('slice-indicator')).toHaveText(/^\d+\/176$/, { timeout: 60_000 });
}

test.skip(!hasSharedData, 'the shared DICOM data (../shared) is absent');

test.describe.configure({ mode: 'serial' });

test.describe('inference engine: a killed inference process loses nothing and the UI keeps responding', () => {
  let host: BrowserHost;

  test.afterAll(async () => {
    await host?.stop();
  });

  test('SIGKILL of the inference process mid-segmentation: scrolling goes on, the job is retried, the overlay appears', async ({
    page,
  }) => {
    host = await freshHost();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await openT1(page, host);
    expect(await probe(page, 'renderBackend')).toBe('gpu');

    await page.getByTestId('analyze-button').click();
    await expect(page.getByTestId('job-progress')).toContainText('running-model', { timeout: 120_000 });
    const before = await engineStatus(page);
    expect(before.process.state).toBe('busy');
    expect(before.process.pid).toBeGreaterThan(0);
    process.kill(before.process.pid!, 'SIGKILL');

    // While the job is retried on a fresh process, every scroll still moves the slice indicator.
    await page.getByTestId('viewport').hover();
    let slice = await probe(page, 'currentImageIdIndex');
    for (let i = 0; i < 8; i++) {
      await page.mouse.wheel(0, i < 4 ? 120 : -120);
      await expect.poll(() => probe(page, 'currentImageIdIndex')).not.toBe(slice);
      slice = await probe(page, 'currentImageIdIndex');
      await expect(page.getByTestId('slice-indicator')).toHaveText(`${Number(slice) + 1}/176`);
    }
    await expect(page.getByTestId('job-progress')).toBeVisible();

    await expect(page.getByTestId('legend-item')).toHaveCount(2, { timeout: 180_000 });
    await expect.poll(() => probe(page, 'labelmapShown')).toBe(true);
    await expect(page.getByTestId('investigational-notice')).toBeVisible();

    const after = await engineStatus(page);
    expect(after.process.pid).not.toBe(before.process.pid);
    expect(after.process.restarts).toBe(1);
    expect(after.process.lastExit).toBe('killed by SIGKILL');
    expect(after.queue).toEqual({ queued: 0, running: 0, failed: 0 });
    expect(after.overall).toEqual([
      expect.objectContaining({ modelId: 'meshnet-gwm', finished: 1, failed: 0 }),
    ]);
    await expect(page.getByTestId('engine-status')).toContainText('1 restarts');
    await expect(page.getByTestId('failed-jobs')).toHaveCount(0);
    await page.getByTestId('engine-status').getByText('more').click();
    // The provider in use, and why each one tried before it was not used.
    const panel = page.getByTestId('engine-status');
    const inUse = after.provider.inUse;
    await expect(panel).toContainText(`Provider: ${inUse}`);
    for (const skipped of after.provider.skipped)
      await expect(panel).toContainText(`${skipped.provider} not used: ${skipped.reason}`);
    // On a machine with no GPU adapter (this one, CI) WebGPU says so, without onnxruntime's internals.
    if (inUse === 'cpu') await expect(panel).toContainText('webgpu not used: Failed to get a WebGPU adapter');
    await page.screenshot({ path: 'test-results/shots/engine-01-after-kill.png' });
    expect(pageErrors).toEqual([]);
  });

  test('a cancelled job is listed with its reason, and its retry button runs it to the end', async ({
    page,
  }) => {
    // A fresh library: the T1 analysed above would be answered from the result cache.
    await host.stop();
    host = await freshHost();
    await openT1(page, host);

    await page.getByTestId('analyze-button').click();
    await expect(page.getByTestId('job-progress')).toBeVisible();
    await page.getByTestId('cancel-job').click();
    const failed = page.getByTestId('failed-job');
    await expect(failed).toHaveCount(1);
    await expect(failed).toContainText('cancelled');
    await expect(failed).toContainText('cancelled by the user');
    await page.screenshot({ path: 'test-results/shots/engine-02-cancelled.png' });

    await failed.getByTestId('retry-job').click();
    await expect(page.getByTestId('failed-jobs')).toHaveCount(0);
    await expect(page.getByTestId('legend-item')).toHaveCount(2, { timeout: 180_000 });
    await expect(page.getByTestId('investigational-notice')).toBeVisible();
    const status = await engineStatus(page);
    expect(status.queue).toEqual({ queued: 0, running: 0, failed: 0 });
    expect(status.overall[0]!.finished).toBe(1);
  });

  test('a 64x64 field map is not offered to MeshNet, and the reason is shown', async ({ page }) => {
    const series = `${TRIO_STUDY}/gre_field_mapping_2`;
    await page.goto(host.url);
    await dropFiles(
      page,
      page.locator('body'),
      readdirSync(sharedPath(series)).map((name) => sharedPath(series, name)),
    );
    await expect(page.getByTestId('import-report')).toContainText('36 indexed', { timeout: 60_000 });
    await page.getByTestId('study-row').click();
    await page.getByTestId('series-row').filter({ hasText: 'gre_field' }).click();
    await expect(page.getByTestId('slice-indicator')).toHaveText(/^\d+\/36$/, { timeout: 60_000 });
    await expect(page.getByTestId('analysis-ineligible')).toContainText(
      'is not offered for this series: 36 images, at least 64 needed; 64×64 images, at least 128×128 needed',
    );
    await expect(page.getByTestId('analyze-button')).toHaveCount(0);
    await expect(page.getByTestId('analyze-not-offered')).toBeDisabled();
    const jobs = await page.evaluate(async () => {
      const response = await fetch('/api/rpc/listJobs', {
        method: 'POST',
        body: JSON.stringify({ states: ['queued', 'running', 'completed', 'failed', 'cancelled'] }),
      });
      return (await response.json()) as unknown[];
    });
    expect(jobs).toHaveLength(1);
    await page.screenshot({ path: 'test-results/shots/engine-03-not-offered.png' });
  });
});
