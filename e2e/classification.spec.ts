/**
 * Classification end to end: job → inference process → stored result → shown in Chromium, with the
 * DenseNet stand-in (RANDOM weights) registered only in a test models folder; and "Install model…"
 * in browser mode, refusing a manifest that does not match its model and installing one that does.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import type { AnalysisResult, EngineStatus, JobRecord, ModelInfo } from '../src-shared/api';
import { startBrowserHost } from '../test-support/browser-host';
import type { BrowserHost } from '../test-support/browser-host';
import { hasSharedData, MESHNET_MODEL, repoRoot, sharedPath } from '../test-support/shared-data';
import { hasStandIn, STAND_IN_ID, STAND_IN_ONNX, standInModelsDir } from '../test-support/standin-models';
import { dropFiles } from './drop-files';
import { probe } from './diagnostics';

/** Calls a backend method the way the renderer does (same origin: the auth cookie rides along). */
const rpc = <T>(page: Page, method: string, args: object = {}): Promise<T> =>
  page.evaluate(
    async ([name, body]) => {
      const response = await fetch(`/api/rpc/${name}`, { method: 'POST', body: JSON.stringify(body) });
      return (await response.json()) as unknown;
    },
    [method, args] as const,
  ) as Promise<T>;

/** Pixels of the heat-map canvas with any opacity. */
const heatMapPixels = (page: Page): Promise<number> =>
  page.evaluate(() => {
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="heat-map"]');
    if (!canvas || canvas.width === 0 || canvas.height === 0) return 0;
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let count = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) count++;
    return count;
  });

/**
 * Where the heat map is hottest on its canvas (the mean position of its most opaque pixels: the
 * hottest cell's centre), and the centre of everything it covers (the image's centre square).
 */
const heatMapHotSpot = (page: Page): Promise<{ hot: [number, number]; centre: [number, number] }> =>
  page.evaluate(() => {
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="heat-map"]')!;
    const { data, width, height } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let top = 0;
    for (let i = 3; i < data.length; i += 4) top = Math.max(top, data[i]!);
    let [hx, hy, hn] = [0, 0, 0];
    let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const alpha = data[(y * width + x) * 4 + 3]!;
        if (alpha === 0) continue;
        [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
        if (alpha >= top - 2) [hx, hy, hn] = [hx + x, hy + y, hn + 1];
      }
    }
    return { hot: [hx / hn, hy / hn], centre: [(x0 + x1) / 2, (y0 + y1) / 2] };
  });

test.skip(!hasSharedData, 'the shared DICOM data (../shared) is absent');

test.describe('classification results and model installation', () => {
  let host: BrowserHost | undefined;

  test.afterEach(async () => {
    await host?.stop();
    host = undefined;
  });

  test('a chest X-ray job runs the stand-in and shows its scores against thresholds, labelled as a test model', async ({
    page,
  }) => {
    test.skip(!hasStandIn, 'the DenseNet stand-in is absent from ../shared/models/standins');
    host = await startBrowserHost(mkdtempSync(join(tmpdir(), 'lumen-e2e-classify-')), [
      '--models-dir',
      standInModelsDir(),
    ]);
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(host.url);
    await dropFiles(page, page.locator('body'), [sharedPath('dicom', 'chest_xray', 'nih_cxr14_dx_1024.dcm')]);
    await expect(page.getByTestId('import-report')).toContainText('1 indexed', { timeout: 60_000 });
    await page.getByTestId('study-row').click();
    await page.getByTestId('series-row').first().click();
    await expect(page.getByTestId('slice-indicator')).toHaveText('1/1', { timeout: 60_000 });
    expect(await probe(page, 'renderBackend')).toBe('gpu');

    await expect(page.getByTestId('analyze-button')).toContainText('(test model)');
    await page.getByTestId('analyze-button').click();
    const rows = page.getByTestId('finding-row');
    await expect(rows).toHaveCount(18, { timeout: 120_000 });

    // The job and its stored result, as main holds them.
    const jobs = await rpc<JobRecord[]>(page, 'listJobs', {
      states: ['completed', 'failed', 'queued', 'running'],
    });
    expect(jobs).toEqual([
      expect.objectContaining({
        modelId: STAND_IN_ID,
        state: 'completed',
        executionProvider: 'cpu',
        attempts: 1,
      }),
    ]);
    const [result] = await rpc<AnalysisResult[]>(page, 'listResults', { seriesId: jobs[0]!.seriesId });
    expect(result).toMatchObject({ task: 'classification', testOnly: true, camSize: [7, 7] });

    // What the user sees: the stored scores and thresholds, never a finding, with provenance and the notice.
    const shown = await rows.evaluateAll((trs) =>
      trs.map((tr) => ({ score: Number(tr.dataset.score), threshold: Number(tr.dataset.threshold) })),
    );
    expect(shown).toEqual(result!.findings.map((f) => ({ score: f.score, threshold: f.threshold })));
    await expect(rows.first()).toContainText('Atelectasis');
    await expect(page.getByTestId('finding-flag')).toHaveText(new Array(18).fill('not a finding'));
    await expect(page.locator('.findings tr.above')).toHaveCount(0);
    await expect(page.getByTestId('test-model-notice')).toContainText('Test model with random weights');
    await expect(page.getByTestId('investigational-notice')).toBeVisible();
    // A greyscale image went in as it is: no note about its input.
    await expect(page.getByTestId('input-note')).toHaveCount(0);
    const sha256 = createHash('sha256').update(readFileSync(STAND_IN_ONNX)).digest('hex');
    await expect(page.getByTestId('model-sha256')).toHaveAttribute('data-sha256', sha256);
    await expect(page.getByTestId('model-info')).toContainText('DenseNet-121 stand-in (RANDOM weights)');
    await expect(page.getByTestId('model-info')).toContainText('random-1');
    await expect(page.getByTestId('model-provider')).toHaveText('cpu');
    // The status panel says why each provider tried before the CPU was not used, as for segmentation.
    const status = await rpc<EngineStatus>(page, 'engineStatus');
    expect(status.provider.inUse).toBe('cpu');
    expect(status.provider.skipped.length).toBeGreaterThan(0);
    await page.getByTestId('engine-status').getByText('more').click();
    for (const skipped of status.provider.skipped)
      await expect(page.getByTestId('engine-status')).toContainText(
        `${skipped.provider} not used: ${skipped.reason}`,
      );
    // This machine has no GPU adapter: WebGPU says so, without onnxruntime's internals.
    await expect(page.getByTestId('engine-status')).toContainText(
      'webgpu not used: Failed to get a WebGPU adapter',
    );
    await page.screenshot({ path: 'test-results/shots/classification-00-provider-reasons.png' });

    // The activation map: nothing drawn until asked, drawn over the image when toggled, gone again after.
    expect(await heatMapPixels(page)).toBe(0);
    await page.getByTestId('toggle-heat-map').check();
    await expect.poll(() => heatMapPixels(page)).toBeGreaterThan(10_000);
    await page.screenshot({ path: 'test-results/shots/classification-01-heat-map.png' });
    await rows.nth(3).click();
    await expect(page.getByTestId('analysis-panel')).toContainText('Heat map: Pneumothorax');

    // The map turns and flips with the image: its hottest cell stays on the same anatomy. A
    // finding whose hottest cell is well off the centre makes the movement measurable.
    const offCentre = result!.findings.findIndex((f) => {
      const hottest = f.cam!.indexOf(Math.max(...f.cam!));
      return Math.abs((hottest % 7) - 3) + Math.abs(Math.floor(hottest / 7) - 3) >= 3;
    });
    expect(offCentre).toBeGreaterThanOrEqual(0);
    await rows.nth(offCentre).click();
    await expect(page.getByTestId('analysis-panel')).toContainText(
      `Heat map: ${result!.findings[offCentre]!.name}`,
    );
    const before = await heatMapHotSpot(page);
    const [cx, cy] = before.centre;
    const [dx, dy] = [before.hot[0] - cx, before.hot[1] - cy];
    // At least two 7x7 cells' worth off the centre on a ~700 px image.
    expect(Math.hypot(dx, dy)).toBeGreaterThan(100);
    const expectHotAt = async (x: number, y: number): Promise<void> => {
      await expect
        .poll(async () => {
          const { hot } = await heatMapHotSpot(page);
          return Math.hypot(hot[0] - x, hot[1] - y);
        })
        .toBeLessThan(8);
    };
    await page.getByTitle('Flip horizontally (H)').click();
    await expectHotAt(cx - dx, cy + dy);
    await page.screenshot({ path: 'test-results/shots/classification-02-heat-map-flipped.png' });
    await page.getByTitle('Flip horizontally (H)').click();
    await expectHotAt(cx + dx, cy + dy);
    // Clockwise on screen (y down): right goes to below, top goes to right.
    await page.getByTitle('Rotate 90° (R)').click();
    await expectHotAt(cx - dy, cy + dx);
    await page.screenshot({ path: 'test-results/shots/classification-03-heat-map-rotated.png' });
    await page.getByTestId('toggle-heat-map').uncheck();
    await expect.poll(() => heatMapPixels(page)).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  test('a colour image is classified as its luminance, and the result says so', async ({ page }) => {
    test.skip(!hasStandIn, 'the DenseNet stand-in is absent from ../shared/models/standins');
    // The stand-in registered for secondary captures (OT) too, so that it takes a colour image.
    host = await startBrowserHost(mkdtempSync(join(tmpdir(), 'lumen-e2e-colour-')), [
      '--models-dir',
      standInModelsDir(['OT']),
    ]);
    await page.goto(host.url);
    const file = sharedPath('dicom', 'transfer_syntax', 'pydicom_small', 'SC_rgb_jpeg_dcmtk.dcm');
    await dropFiles(page, page.locator('body'), [file]);
    await expect(page.getByTestId('import-report')).toContainText('1 indexed', { timeout: 60_000 });
    await page.getByTestId('study-row').click();
    await page.getByTestId('series-row').first().click();
    await expect(page.getByTestId('slice-indicator')).toHaveText('1/1', { timeout: 60_000 });
    expect(await probe(page, 'renderBackend')).toBe('gpu');

    await page.getByTestId('analyze-button').click();
    await expect(page.getByTestId('finding-row')).toHaveCount(18, { timeout: 120_000 });
    const note = page.getByTestId('input-note');
    await expect(note).toHaveText(
      'The input was a colour image (YBR_FULL); the model read its luminance, 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601).',
    );
    await expect(page.getByTestId('investigational-notice')).toBeVisible();
    const jobs = await rpc<JobRecord[]>(page, 'listJobs', { states: ['completed', 'failed'] });
    expect(jobs).toEqual([expect.objectContaining({ state: 'completed' })]);
    const [result] = await rpc<AnalysisResult[]>(page, 'listResults', { seriesId: jobs[0]!.seriesId });
    expect(result!.inputNote).toBe(await note.textContent());
    await page.screenshot({ path: 'test-results/shots/classification-03-colour-input.png' });
  });

  test('"Install model…" refuses a manifest that does not match the model, with the reason, and installs a matching one', async ({
    page,
  }) => {
    host = await startBrowserHost(mkdtempSync(join(tmpdir(), 'lumen-e2e-install-')));
    await page.goto(host.url);
    // MeshNet's real weights under a user's own manifest (a legitimately usable model).
    const project = JSON.parse(
      readFileSync(join(repoRoot, 'models', 'meshnet-gwm', 'manifest.json'), 'utf8'),
    ) as {
      output: { shape: unknown[] };
    };
    const dir = mkdtempSync(join(tmpdir(), 'lumen-e2e-manifests-'));
    const manifest = { ...project, id: 'my-tissue-model', name: 'My tissue model', version: 'user-1' };
    const wrong = join(dir, 'wrong.json');
    writeFileSync(
      wrong,
      JSON.stringify({ ...manifest, output: { ...project.output, shape: ['batch', 4, 256, 256, 256] } }),
    );
    const right = join(dir, 'right.json');
    writeFileSync(right, JSON.stringify(manifest));

    await page.getByTestId('install-model-open').click();
    await page.getByTestId('install-model-onnx').setInputFiles(sharedPath(MESHNET_MODEL));
    await page.getByTestId('install-model-manifest').setInputFiles(wrong);
    await page.getByTestId('install-model-submit').click();
    const message = page.getByTestId('install-model-message');
    await expect(message).toHaveAttribute('data-ok', 'false', { timeout: 60_000 });
    await expect(message).toContainText(
      'does not match its manifest: output "output" has shape [batch_size, 3, 256, 256, 256] in the model, the manifest says [batch, 4, 256, 256, 256]',
    );
    await page.screenshot({ path: 'test-results/shots/install-01-refused.png' });
    expect((await rpc<ModelInfo[]>(page, 'listModels')).map((m) => m.id)).not.toContain('my-tissue-model');

    await page.getByTestId('install-model-manifest').setInputFiles(right);
    await page.getByTestId('install-model-submit').click();
    await expect(message).toHaveAttribute('data-ok', 'true', { timeout: 60_000 });
    const sha256 = createHash('sha256')
      .update(readFileSync(sharedPath(MESHNET_MODEL)))
      .digest('hex');
    await expect(message).toContainText(`Installed My tissue model user-1 (sha256 ${sha256})`);
    const installed = (await rpc<ModelInfo[]>(page, 'listModels')).find((m) => m.id === 'my-tissue-model');
    expect(installed).toMatchObject({
      installed: true,
      weightsSha256: sha256,
      testOnly: false,
      task: 'segmentation',
    });
    await page.screenshot({ path: 'test-results/shots/install-02-installed.png' });
  });
});
