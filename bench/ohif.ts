/**
 * OHIF's own viewer (the prebuilt @ohif/app, pinned below), measured on the 128-slice
 * JPEG-lossless chest CT in the same Chromium, with the same flags, as this viewer's figures.
 *
 * The app is fetched with `npm pack` into .cache/ohif (once; its sha512 checked against the
 * registry's integrity) and served by a small static server here, cross-origin isolated as OHIF's
 * deployment docs ask (its volume loader uses SharedArrayBuffer). Its local-files data source is
 * switched on by appending to its shipped app-config.js; the files are given to the file input of
 * its `/localbasic` route, which opens them in its viewer (`/local` lists them in the worklist).
 *
 * Each figure on a page of a fresh Chromium, at 1440 × 900 as this viewer's:
 * - pick_to_first_image: from setting the input's files to the first Cornerstone IMAGE_RENDERED
 *   of a stack viewport holding an image (OHIF exposes `window.cornerstone`); the canvas is then
 *   checked for drawn pixels. OHIF shows the middle slice first. Comparable with
 *   library.pick_to_first_image (which includes a click on the listed series).
 * - mpr_volume_complete: on that page, as soon as the first image is drawn, from the click on the
 *   layout menu's MPR entry to the volume's `loadStatus.loaded` in Cornerstone's cache, plus one
 *   animation frame. Comparable with viewer.mpr_volume_complete.
 * - scroll_*: once the first image is drawn, the stack taken to its first slice (Home), then
 *   scrolled to the last with the down arrow, one slice drawn at a time (`_every_slice`) or one key
 *   per frame (bench/scroll.ts). Comparable with viewer.scroll_*_every_slice and viewer.scroll_*.
 * OHIF_SCREENSHOTS=<folder> keeps screenshots of its MPR layout and of its stack view.
 * Not measured: memory. A page driven by Playwright keeps a copy of every response for DevTools
 * (bench/direct-chromium.ts), and this viewer's memory figure is taken on a 1,000-slice series.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  createReadStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve, sep } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { contentTypeFor } from '../src-main/host/security-headers';
import { launchChromium } from '../test-support/browser-session';
import { CT_128_SERIES, hasSharedData, repoRoot, sharedPath } from '../test-support/shared-data';
import { figure } from './report';
import { reportScroll, scrollThrough, type ScrollRun } from './scroll';

const GROUP = 'ohif';
const SLICES = 128;
const OHIF_PACKAGE = '@ohif/app@3.13.2';
const OHIF_TARBALL = 'ohif-app-3.13.2.tgz';
/** The registry's `dist.integrity` of that version. */
const OHIF_INTEGRITY =
  'sha512-WZdxmpmG7rqFgW9ZJLcbgr3XCtLi1KDNPoMaeY5PPe6j4G4fjEjjkycZM6C6Zk2F87BKxFfpq+jd5xXZB9E8EA==';
const CACHE_DIR = join(repoRoot, '.cache', 'ohif');
const APP_DIR = join(CACHE_DIR, '3.13.2');

/**
 * Appended to OHIF's app-config.js: its shipped default leaves the local-files data source off
 * (and points at a public DICOMweb server); every other setting stays as shipped.
 */
const LOCAL_FILES_CONFIG = `
window.config.dataSources = [
  {
    namespace: '@ohif/extension-default.dataSourcesModule.dicomlocal',
    sourceName: 'dicomlocal',
    configuration: { friendlyName: 'dicom local' },
  },
];
window.config.defaultDataSourceName = 'dicomlocal';
`;

/** The few browser globals the page scripts use (this project's Node build has no DOM types). */
interface OhifViewport {
  readonly type: string;
  readonly canvas: {
    readonly width: number;
    readonly height: number;
    getContext(
      kind: '2d',
    ): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
  };
  getCornerstoneImage?(): unknown;
  getImageIds?(): string[];
  getCurrentImageIdIndex?(): number;
}

interface CachedVolume {
  readonly dimensions: readonly number[];
  readonly loadStatus?: { readonly loaded: boolean };
}

interface WebGl2 {
  getExtension(name: 'WEBGL_debug_renderer_info'): { UNMASKED_RENDERER_WEBGL: number } | null;
  getParameter(name: number): unknown;
}

interface PageGlobals {
  requestAnimationFrame(callback: (now: number) => void): number;
  document: {
    addEventListener(type: string, listener: (event: { target: unknown }) => void, capture: boolean): void;
    createElement(tag: 'canvas'): { getContext(kind: 'webgl2'): WebGl2 | null };
  };
  cornerstone?: {
    getEnabledElement(element: unknown): { viewport: OhifViewport } | undefined;
    getRenderingEngines(): { getViewports(): OhifViewport[] }[];
    getShouldUseCPURendering(): boolean;
    cache: { getVolumes(): CachedVolume[]; getImage(imageId: string): unknown };
  };
  __ohifBench?: { firstImageDrawnAt: number | null };
}

/** The SRI string of a file: `sha512-<base64>`. */
function integrityOf(path: string): string {
  return `sha512-${createHash('sha512').update(readFileSync(path)).digest('base64')}`;
}

/**
 * OHIF's built app (its dist folder), fetched and unpacked into .cache/ohif on first use; null,
 * having said why, where npm cannot fetch it (offline).
 */
function ohifApp(): string | null {
  const dist = join(APP_DIR, 'dist');
  if (existsSync(join(dist, 'index.html'))) return dist;
  mkdirSync(CACHE_DIR, { recursive: true });
  const tarball = join(CACHE_DIR, OHIF_TARBALL);
  if (!existsSync(tarball)) {
    console.log(`${GROUP}: fetching ${OHIF_PACKAGE} (about 50 MB) into ${CACHE_DIR}`);
    const pack = spawnSync(
      'npm',
      ['pack', OHIF_PACKAGE, '--pack-destination', CACHE_DIR, '--ignore-scripts'],
      { encoding: 'utf8', timeout: 600_000 },
    );
    if (pack.status !== 0 || !existsSync(tarball)) {
      // npm's own error lines (its warnings, about the user's config for one, are left out).
      const errors = (pack.stderr ?? '').split('\n').filter((line) => line.startsWith('npm error'));
      const reason = errors.slice(0, 2).join(' / ') || pack.error?.message || `exit status ${pack.status}`;
      console.log(`${GROUP}: skipped, could not fetch ${OHIF_PACKAGE} with npm pack: ${reason}`);
      return null;
    }
  }
  const integrity = integrityOf(tarball);
  if (integrity !== OHIF_INTEGRITY) {
    rmSync(tarball);
    throw new Error(`${tarball} is not ${OHIF_PACKAGE} (its integrity is ${integrity}); removed it`);
  }
  // Unpacked beside the final place and renamed, so that a half-unpacked app is never taken as whole.
  const unpacking = mkdtempSync(join(CACHE_DIR, 'unpacking-'));
  try {
    const tar = spawnSync('tar', ['-xzf', tarball, '-C', unpacking, 'package/dist'], { encoding: 'utf8' });
    if (tar.status !== 0) throw new Error(`could not unpack ${tarball}: ${tar.stderr}`);
    rmSync(APP_DIR, { recursive: true, force: true });
    mkdirSync(APP_DIR);
    renameSync(join(unpacking, 'package', 'dist'), dist);
  } finally {
    rmSync(unpacking, { recursive: true, force: true });
  }
  rmSync(tarball);
  return dist;
}

/**
 * Serves the app on 127.0.0.1 (an ephemeral port): files as they are, any other path as
 * index.html (OHIF routes in the page), cross-origin isolated.
 */
async function serveApp(dist: string): Promise<{ url: string; server: Server }> {
  const config = Buffer.concat([readFileSync(join(dist, 'app-config.js')), Buffer.from(LOCAL_FILES_CONFIG)]);
  const server = createServer((request, response) => {
    let path = join(dist, 'index.html');
    try {
      const wanted = resolve(
        dist,
        `.${decodeURIComponent(new URL(request.url ?? '/', 'http://host').pathname)}`,
      );
      if (wanted.startsWith(dist + sep) && statSync(wanted, { throwIfNoEntry: false })?.isFile())
        path = wanted;
    } catch {
      // A malformed path: the app's page, as for any unknown one.
    }
    response.writeHead(200, {
      'Content-Type': contentTypeFor(path),
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
    });
    if (path === join(dist, 'app-config.js')) response.end(config);
    else
      createReadStream(path)
        .on('error', () => response.destroy())
        .pipe(response);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** In the page, before OHIF's scripts: notes when a stack viewport first draws an image. */
function watchFirstImage(): void {
  const page = globalThis as unknown as PageGlobals;
  const state: NonNullable<PageGlobals['__ohifBench']> = { firstImageDrawnAt: null };
  page.__ohifBench = state;
  // Cornerstone dispatches its events on the viewport's element, without bubbling: caught on the way down.
  page.document.addEventListener(
    'CORNERSTONE_IMAGE_RENDERED',
    (event) => {
      if (state.firstImageDrawnAt !== null) return;
      const viewport = page.cornerstone?.getEnabledElement(event.target)?.viewport;
      if (viewport?.type === 'stack' && viewport.getCornerstoneImage?.())
        state.firstImageDrawnAt = Date.now();
    },
    true,
  );
}

/**
 * A fresh page of OHIF given the CT's files; resolves once the first image is drawn, with the
 * milliseconds from giving the files (the same clock: the page's Date.now is the system's).
 */
async function openCt(browser: Browser, url: string): Promise<{ page: Page; pickToFirstImage: number }> {
  const files = readdirSync(sharedPath(CT_128_SERIES)).map((name) => sharedPath(CT_128_SERIES, name));
  const page = await browser.newPage();
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.addInitScript(watchFirstImage);
  await page.goto(`${url}/localbasic`);
  const input = page.locator('input[type=file]:not([webkitdirectory])');
  await input.waitFor({ state: 'attached', timeout: 60_000 });
  const picked = Date.now();
  await input.setInputFiles(files);
  const drawn = await page.waitForFunction(
    () => (globalThis as unknown as PageGlobals).__ohifBench?.firstImageDrawnAt,
    null,
    { polling: 50, timeout: 120_000 },
  );
  const pickToFirstImage = ((await drawn.jsonValue()) as number) - picked;
  // The event says an image was drawn; the canvas confirms it is on screen (not black).
  const lit = await page.evaluate(() => {
    const page = globalThis as unknown as PageGlobals;
    const viewport = page.cornerstone!.getRenderingEngines()[0]!.getViewports()[0]!;
    const { width, height } = viewport.canvas;
    const pixels = viewport.canvas.getContext('2d')?.getImageData(0, 0, width, height).data;
    let count = 0;
    for (let i = 0; pixels && i < pixels.length; i += 4) if (pixels[i]! > 32) count++;
    return count / (width * height);
  });
  if (lit < 0.05) throw new Error(`OHIF's viewport shows almost nothing (${(lit * 100).toFixed(1)} % lit)`);
  return { page, pickToFirstImage };
}

/** Clicks MPR in the layout menu; resolves, once the whole volume is loaded and drawn, with the ms. */
async function timeMpr(page: Page): Promise<number> {
  await page.locator('[data-cy="Layout"]').click();
  const entry = page.getByText('MPR', { exact: true });
  await entry.waitFor();
  // Clicked in the page, so that the clock starts at the click itself (as this viewer's MPR figure).
  return entry.evaluate(
    (element: { click(): void }, slices) =>
      new Promise<number>((resolve) => {
        const page = globalThis as unknown as PageGlobals;
        const started = performance.now();
        element.click();
        const frame = (): void => {
          const volumes = page.cornerstone!.cache.getVolumes();
          if (volumes.some((volume) => volume.dimensions[2] === slices && volume.loadStatus?.loaded))
            page.requestAnimationFrame(() => resolve(performance.now() - started));
          else page.requestAnimationFrame(frame);
        };
        page.requestAnimationFrame(frame);
      }),
    SLICES,
  );
}

/** In the page: the CT's slices in Cornerstone's image cache (decoded), and how it renders. */
function cacheAndRenderer(): { cached: number; cpu: boolean; webgl: string } {
  const page = globalThis as unknown as PageGlobals;
  const cornerstone = page.cornerstone!;
  const imageIds = cornerstone.getRenderingEngines()[0]!.getViewports()[0]!.getImageIds?.() ?? [];
  const gl = page.document.createElement('canvas').getContext('webgl2');
  const info = gl?.getExtension('WEBGL_debug_renderer_info');
  return {
    cached: imageIds.filter((imageId) => cornerstone.cache.getImage(imageId) !== undefined).length,
    cpu: cornerstone.getShouldUseCPURendering(),
    webgl: gl && info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : 'no WebGL2',
  };
}

/** In the page: whether the stack viewport shows its first slice. */
function atFirstSlice(): boolean {
  const page = globalThis as unknown as PageGlobals;
  return page.cornerstone!.getRenderingEngines()[0]!.getViewports()[0]!.getCurrentImageIdIndex?.() === 0;
}

/**
 * On a fresh page, once the first image is drawn: the stack taken to its first slice (OHIF opens
 * it at its middle one; this viewer at its first) with Home, then scrolled to the last.
 */
async function timeScroll(browser: Browser, url: string, paced: boolean): Promise<ScrollRun> {
  const { page } = await openCt(browser, url);
  await page.locator('[data-cy="viewport-pane"]').first().hover();
  await page.keyboard.press('Home');
  await page.waitForFunction(atFirstSlice, null, { polling: 'raf', timeout: 60_000 });
  return scrollThrough(page, { slices: SLICES, paced, keysOn: 'document' });
}

/** Takes a screenshot into $OHIF_SCREENSHOTS, where it is set (to see what OHIF showed). */
async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.OHIF_SCREENSHOTS;
  if (dir) await page.screenshot({ path: join(dir, `${name}.png`) });
}

async function main(): Promise<void> {
  if (!hasSharedData) {
    console.log(`${GROUP}: skipped, the shared DICOM data is absent`);
    return;
  }
  const dist = ohifApp();
  if (!dist) return;
  const { url, server } = await serveApp(dist);
  // A fresh Chromium for each page, as this viewer's figures are taken.
  const withBrowser = async <T>(work: (browser: Browser) => Promise<T>): Promise<T> => {
    const browser = await launchChromium();
    try {
      return await work(browser);
    } finally {
      await browser.close();
    }
  };
  try {
    await withBrowser(async (browser) => {
      const { page, pickToFirstImage } = await openCt(browser, url);
      // MPR is clicked at once (nothing else first), as in this viewer's figure.
      const before = await page.evaluate(cacheAndRenderer);
      const mpr = await timeMpr(page);
      figure(GROUP, 'pick_to_first_image', pickToFirstImage, 'ms', 0);
      figure(GROUP, 'mpr_volume_complete', mpr, 'ms', 0);
      console.log(
        `${GROUP}: Cornerstone renders with ${before.cpu ? 'its CPU fallback' : 'WebGL'} (${before.webgl}); ` +
          `${before.cached} of ${SLICES} slices were decoded when MPR was clicked`,
      );
      await screenshot(page, 'ohif-mpr');
    });
    if (process.env.OHIF_SCREENSHOTS)
      await withBrowser(async (browser) => screenshot((await openCt(browser, url)).page, 'ohif-stack'));
    const paced = await withBrowser((browser) => timeScroll(browser, url, true));
    reportScroll(GROUP, SLICES, paced, '_every_slice');
    reportScroll(GROUP, SLICES, await withBrowser((browser) => timeScroll(browser, url, false)), '');
  } finally {
    server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
