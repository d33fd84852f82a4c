/**
 * Stack prefetch on the real 128-slice JPEG-lossless CT: once the first slice is drawn the whole
 * series is loaded into Cornerstone's cache, the first slice fetched is the one shown, the other
 * files come in batches of several a request, fetched and parsed by a worker, and the last slice
 * then comes from the cache (no new request) with the file's values on screen.
 */
import { readdirSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { parseFile, referenceJpegLosslessValues, sopInstanceUid } from '../test-support/dicom-reference';
import { flatPixel } from '../test-support/flat-pixel';
import { hasSharedData, CT_128_SERIES, sharedPath } from '../test-support/shared-data';
import { instanceBatchIds, instancePath } from '../src-shared/http-protocol';
import { instanceRecordHead, readInstanceRecords } from '../src-shared/instance-batch-records';
import { hostWithFiles, openOnlySeries, probe, seriesRowWith } from './viewer-page';

test.skip(!hasSharedData, 'the shared DICOM data (../shared) is absent');

const SLICES = 128;
/** Another study: a 29-slice chest CT. */
const OTHER_CT_DIR = 'dicom/ct_series/lung_pet_ct_dx_A0002_chest_8mm';

const filesIn = (dir: string): string[] => readdirSync(sharedPath(dir)).map((name) => sharedPath(dir, name));
const url = (imageId: string): string => imageId.slice('wadouri:'.length);

/** The instance files a request asks for: one (`/instances/N`), those of a batch, or none. */
function filesAskedFor(requestUrl: string): string[] {
  const { origin, pathname, searchParams } = new URL(requestUrl);
  if (pathname.startsWith('/instances/')) return [requestUrl];
  if (pathname !== '/instances') return [];
  return (instanceBatchIds(searchParams) ?? []).map((id) => `${origin}${instancePath(id)}`);
}

interface ViewportProbe {
  imageIds: string[];
  currentImageIdIndex: number;
}

test('the CT series is prefetched after its first slice, and its last slice is then drawn from the cache', async ({
  page,
}) => {
  const files = filesIn(CT_128_SERIES);
  expect(files).toHaveLength(SLICES);
  const host = await hostWithFiles(page, files);
  try {
    await page.getByTestId('study-row').first().click();
    const row = page.getByTestId('series-row').first();
    // The thumbnail (the middle slice) is drawn first, so that its request is not counted below.
    await expect(row.locator('img')).toBeVisible({ timeout: 60_000 });
    const fetched: string[] = [];
    let requests = 0;
    page.on('request', (request) => {
      const files = filesAskedFor(request.url());
      fetched.push(...files);
      if (files.length > 0) requests++;
    });
    await row.click();
    const slice = page.getByTestId('slice-indicator');
    await expect(slice).toHaveText(`1/${SLICES}`, { timeout: 60_000 });
    expect(await probe(page, 'renderBackend')).toBe('gpu');

    // The whole series ends in the cache, and the first file fetched was the slice on screen...
    await expect.poll(() => probe<number>(page, 'stackCachedCount'), { timeout: 120_000 }).toBe(SLICES);
    // Then its neighbours, nearest first (slice 1 is shown: those after it).
    const { imageIds, currentImageIdIndex } = (await probe<{
      imageIds: string[];
      currentImageIdIndex: number;
    }>(page, 'viewport', 0))!;
    expect(currentImageIdIndex).toBe(0);
    expect(fetched.slice(0, 4)).toEqual(imageIds.slice(0, 4).map(url));
    expect(new Set(fetched).size).toBeGreaterThanOrEqual(SLICES - 1);
    // In batches: the slice on screen alone, the other 127 files in 32 a request.
    expect(requests).toBe(1 + Math.ceil((SLICES - 1) / 32));
    // Fetched (and parsed) by the batch worker, not by the page: each fetch is in the resource
    // timeline of the context that made it.
    const batchFetches = (urls: string[]) => urls.filter((name) => new URL(name).pathname === '/instances');
    const batchWorker = page.workers().find((worker) => worker.url().includes('instanceBatchWorker'));
    expect(batchWorker).toBeDefined();
    const resources = () => performance.getEntriesByType('resource').map((entry) => entry.name);
    expect(batchFetches(await batchWorker!.evaluate(resources))).toHaveLength(Math.ceil((SLICES - 1) / 32));
    expect(batchFetches(await page.evaluate(resources))).toEqual([]);

    // The last slice: no new request, and the file's values through the window on screen.
    const before = fetched.length;
    await page.getByTestId('viewport').hover();
    await page.keyboard.press('End');
    await expect(slice).toHaveText(`${SLICES}/${SLICES}`);
    await expect(page.getByTestId('viewport-slot')).not.toContainText('Loading');
    expect(fetched.length).toBe(before);
    expect(await probe<number>(page, 'stackCachedCount')).toBe(SLICES);

    const lastImageId = await probe<string>(page, 'currentImageId');
    const uids = await probe<Record<string, string>>(page, 'libraryImageIds');
    const lastFile = files.find((file) => uids[sopInstanceUid(file)!] === lastImageId)!;
    expect(lastFile).toBeDefined();
    const values = referenceJpegLosslessValues(lastFile);
    const columns = parseFile(lastFile).uint16('x00280011')!;
    const wl = (await page.getByTestId('wl-indicator').textContent()) ?? '';
    const [, width, center] = /W: (-?[\d.]+) L: (-?[\d.]+)/.exec(wl)!.map(Number) as [number, number, number];
    // A flat patch of soft tissue inside the window and one of air below it.
    const [tissueColumn, tissueRow, tissue] = flatPixel(
      values,
      columns,
      center - width / 3,
      center + width / 3,
      {
        radius: 1,
        tolerance: 20,
      },
    );
    const [airColumn, airRow] = flatPixel(values, columns, -3000, center - width, {
      radius: 2,
      // Every neighbour still below the window.
      tolerance: width / 2 - 1,
    });
    const expected = (255 * (tissue - (center - width / 2))) / width;
    expect(
      Math.abs((await probe<number>(page, 'displayedGrey', tissueColumn, tissueRow)) - expected),
    ).toBeLessThan((255 * 20) / width + 2);
    expect(await probe<number>(page, 'displayedGrey', airColumn, airRow)).toBeLessThan(2);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: 'test-results/shots/stack-prefetch-last-slice.png' });
  } finally {
    await host.stop();
  }
});

test('a jump re-centres the prefetch on the new slice, and opening another series stops it', async ({
  page,
}) => {
  const host = await hostWithFiles(page, [...filesIn(CT_128_SERIES), ...filesIn(OTHER_CT_DIR)]);
  try {
    // Each file alone served 150 ms late and each batch 1.5 s late, so that the 128 slices take
    // seconds to prefetch: the jump below comes while the first two batches are on their way.
    await page.route(
      (requestUrl) => requestUrl.pathname.startsWith('/instances'),
      async (route) => {
        const batch = new URL(route.request().url()).pathname === '/instances';
        await new Promise((resolve) => setTimeout(resolve, batch ? 1500 : 150));
        await route.continue();
      },
    );
    // The files each request asks for, one request an entry.
    const requests: string[][] = [];
    page.on('request', (request) => {
      const files = filesAskedFor(request.url());
      if (files.length > 0) requests.push(files);
    });
    const slice = page.getByTestId('slice-indicator');
    await (await seriesRowWith(page, SLICES)).click();
    await expect(slice).toHaveText(`1/${SLICES}`, { timeout: 60_000 });
    expect(await probe(page, 'renderBackend')).toBe('gpu');
    const { imageIds } = (await probe<ViewportProbe>(page, 'viewport', 0))!;
    const indexOf = (fetchedUrl: string): number => imageIds.map(url).indexOf(fetchedUrl);

    // To the last slice: it is fetched at once, alone (its batch is not sent yet), and the batch
    // sent next is the one of its neighbours (within the last 32 slices), ahead of those before it.
    await page.getByTestId('viewport').hover();
    const beforeJump = requests.length;
    await page.keyboard.press('End');
    await expect(slice).toHaveText(`${SLICES}/${SLICES}`);
    await expect.poll(() => requests.length - beforeJump, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    const [alone, next] = requests.slice(beforeJump).map((files) => files.map(indexOf));
    expect(alone).toEqual([SLICES - 1]);
    expect(next).toContain(SLICES - 2);
    for (const index of next!) expect(index).toBeGreaterThanOrEqual(SLICES - 32);

    // Another study's series, the first not yet all cached: once the other is shown, nothing more
    // of the first series is fetched.
    expect(await probe<number>(page, 'stackCachedCount')).toBeLessThan(SLICES);
    await (await seriesRowWith(page, 29)).click();
    await expect(slice).toHaveText('1/29', { timeout: 60_000 });
    const afterSwitch = requests.length;
    await expect.poll(() => probe<number>(page, 'stackCachedCount'), { timeout: 120_000 }).toBe(29);
    const fetchedAfterSwitch = requests.slice(afterSwitch).flat();
    expect(fetchedAfterSwitch.filter((fetchedUrl) => indexOf(fetchedUrl) >= 0)).toEqual([]);
    expect(fetchedAfterSwitch.length).toBeGreaterThanOrEqual(27);
  } finally {
    await host.stop();
  }
});

test('a file a batch leaves out is fetched alone, and the series still loads whole', async ({ page }) => {
  const host = await hostWithFiles(page, filesIn(OTHER_CT_DIR));
  try {
    // Every batch reply loses its third record on the way.
    const left: string[] = [];
    await page.route(
      (requestUrl) => requestUrl.pathname === '/instances',
      async (route) => {
        const reply = await route.fetch();
        const parts: Uint8Array[] = [];
        let index = 0;
        for await (const { instanceId, bytes } of readInstanceRecords(
          new Response(new Uint8Array(await reply.body())).body!,
        )) {
          if (index++ === 2) left.push(new URL(instancePath(instanceId), route.request().url()).href);
          else parts.push(instanceRecordHead(instanceId, bytes.byteLength), new Uint8Array(bytes));
        }
        await route.fulfill({ response: reply, body: Buffer.concat(parts) });
      },
    );
    const alone: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/instances/')) alone.push(request.url());
    });
    await openOnlySeries(page);
    await expect(page.getByTestId('slice-indicator')).toHaveText('1/29', { timeout: 60_000 });
    expect(await probe(page, 'renderBackend')).toBe('gpu');
    await expect.poll(() => probe<number>(page, 'stackCachedCount'), { timeout: 120_000 }).toBe(29);
    expect(left).toHaveLength(1);
    expect(alone).toContain(left[0]);
    await expect(page.getByTestId('viewport-error')).toHaveCount(0);
  } finally {
    await host.stop();
  }
});

test('where the batch worker cannot start, every file is fetched alone and the series still loads whole', async ({
  page,
}) => {
  // The batch worker's script replaced by one that fails as it starts (Playwright's routes do not
  // see a worker's script).
  await page.addInitScript(() => {
    const PageWorker = globalThis.Worker;
    globalThis.Worker = class extends PageWorker {
      constructor(url: string | URL, options?: WorkerOptions) {
        const failing = String(url).includes('instanceBatchWorker');
        super(failing ? URL.createObjectURL(new Blob(['throw new Error("no batch worker")'])) : url, options);
      }
    };
  });
  // Every request from the start: the series row's thumbnail may fetch the middle slice early.
  const requests: string[][] = [];
  page.on('request', (request) => {
    const files = filesAskedFor(request.url());
    if (files.length > 0) requests.push(files);
  });
  const host = await hostWithFiles(page, filesIn(OTHER_CT_DIR));
  try {
    await openOnlySeries(page);
    await expect(page.getByTestId('slice-indicator')).toHaveText('1/29', { timeout: 60_000 });
    expect(await probe(page, 'renderBackend')).toBe('gpu');
    await expect.poll(() => probe<number>(page, 'stackCachedCount'), { timeout: 120_000 }).toBe(29);
    // No batch was asked for once the worker had failed: the 29 files came one a request.
    expect(requests.filter((files) => files.length > 1)).toEqual([]);
    expect(new Set(requests.flat()).size).toBe(29);
    await expect(page.getByTestId('viewport-error')).toHaveCount(0);
  } finally {
    await host.stop();
  }
});
