/**
 * The reading tools on the MPR views and the layout keys, on a real CT (29 axial 8 mm uncompressed
 * slices, so reference values come straight from the files) imported through a real drop into the
 * real renderer (Chromium, WebGL); and MPR of an enhanced multi-frame CT made from those slices.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { BrowserHost } from '../test-support/browser-host';
import { parseFile } from '../test-support/dicom-reference';
import { writeEnhancedCt } from '../test-support/enhanced-ct-writer';
import { hasSharedData } from '../test-support/shared-data';
import {
  CT_DIR,
  cross,
  dot,
  filesIn,
  nextFrames,
  openMpr,
  sortedSlices,
  waitForVolume,
  type FileSlice,
  type Point3,
  type Slot,
} from './mpr-page';
import { fitMisfit, hostWithFiles, litExtent, openOnlySeries, probe } from './viewer-page';

test.describe.configure({ mode: 'serial' });
test.skip(!hasSharedData, 'the shared DICOM data (../shared) is absent');

const SLOTS: readonly Slot[] = ['large', 'axial', 'sagittal', 'coronal'];
const distance = (a: readonly number[], b: readonly number[]): number =>
  Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!, (a[2] ?? 0) - (b[2] ?? 0));

interface Listed {
  readonly tool: string;
  readonly stats: Record<string, number>;
  readonly text: string;
}

/** The measurements panel as the user sees it. */
async function listed(page: Page): Promise<Listed[]> {
  return page.getByTestId('measurement-item').evaluateAll((items) =>
    items.map((item) => ({
      tool: item.getAttribute('data-tool') ?? '',
      stats: JSON.parse(item.getAttribute('data-stats') ?? '{}') as Record<string, number>,
      text: item.querySelector('.value')?.textContent ?? '',
    })),
  );
}

interface DrawnMeasurement {
  readonly tool: string;
  readonly points: Point3[];
  readonly referencedImageId: string | null;
}

/** A mouse drag between two patient-space points of one MPR view. */
async function dragIn(page: Page, slot: Slot, from: Point3, to: Point3): Promise<number> {
  const start = await probe<[number, number]>(page, 'mprPointOnPage', slot, from);
  const end = await probe<[number, number]>(page, 'mprPointOnPage', slot, to);
  await page.mouse.move(...start);
  await page.mouse.down();
  await page.mouse.move(...end, { steps: 8 });
  await page.mouse.move(...end);
  await page.mouse.up();
  // Millimetres per screen pixel along the drag: the precision a hand (or this test) has.
  return distance(from, to) / distance(start, end);
}

test.describe('reading tools on the MPR views of a chest CT (29 axial 8 mm slices)', () => {
  let page: Page;
  let host: BrowserHost;
  let slices: FileSlice[] = [];
  const voxel = (i: number, j: number, k: number): number => slices[k]!.values[j * slices[k]!.columns + i]!;
  const world = (i: number, j: number, k: number): Promise<Point3> =>
    probe<Point3>(page, 'mprVoxelWorld', i, j, k);

  test.beforeAll(async ({ browser }) => {
    slices = sortedSlices(CT_DIR);
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    host = await hostWithFiles(page, filesIn(CT_DIR));
  });
  test.afterAll(async () => {
    await page?.close();
    await host?.stop();
  });

  test('preset digits and menu, invert, the active view’s slice keys, and the help list what applies', async () => {
    await openMpr(page, 29);
    const wl = (slot: Slot) => page.getByTestId(`mpr-wl-${slot}`);
    const sagittal = page.getByTestId('mpr-viewport-sagittal');
    await sagittal.click();
    await expect(sagittal).toHaveAttribute('data-active', 'true');
    await expect(page.getByTestId('mpr-viewport-large')).toHaveAttribute('data-active', 'false');

    const opening = await wl('large').textContent();
    await page.keyboard.press('4');
    for (const slot of SLOTS) await expect(wl(slot)).toHaveText('W: 1500 L: -600');
    await page.keyboard.press('8');
    for (const slot of SLOTS) await expect(wl(slot)).toHaveText('W: 1800 L: 400');
    await page.getByTestId('mpr-wl-preset').selectOption('mediastinum');
    for (const slot of SLOTS) await expect(wl(slot)).toHaveText('W: 350 L: 50');
    await page.keyboard.press('9'); // the file's own window, as the volume opened
    for (const slot of SLOTS) await expect(wl(slot)).toHaveText(opening!);

    // Invert: the grey at a soft-tissue voxel becomes its complement (this volume is drawn about
    // 3 % darker than its window alone would make it, see mpr.spec.ts: hence the tolerance).
    await page.keyboard.press('5');
    const centre = await world(256, 300, 14);
    await probe(page, 'mprSetCrosshairCenter', centre);
    await nextFrames(page);
    const before = await probe<number>(page, 'mprDisplayedGrey', 'coronal', centre);
    expect(before, 'a grey between black and white').toBeGreaterThan(20);
    expect(before).toBeLessThan(235);
    await page.keyboard.press('i');
    await nextFrames(page);
    expect(
      Math.abs((await probe<number>(page, 'mprDisplayedGrey', 'coronal', centre)) - (255 - before)),
    ).toBeLessThanOrEqual(12);
    await page.keyboard.press('i');
    await nextFrames(page);
    expect(
      Math.abs((await probe<number>(page, 'mprDisplayedGrey', 'coronal', centre)) - before),
    ).toBeLessThanOrEqual(3);

    // Slice keys move the active (sagittal) view only.
    const slice = (slot: Slot) => page.getByTestId(`mpr-slice-${slot}`);
    const index = async (slot: Slot): Promise<[number, number]> => {
      const [n, count] = ((await slice(slot).textContent()) ?? '').split('/').map(Number);
      return [n!, count!];
    };
    const [start, count] = await index('sagittal');
    expect(count).toBe(512);
    const large = await slice('large').textContent();
    await page.keyboard.press('ArrowDown');
    await expect.poll(async () => Math.abs((await index('sagittal'))[0] - start)).toBe(1);
    await page.keyboard.press('PageUp');
    await expect.poll(async () => (await index('sagittal'))[0]).toBe(start);
    await page.keyboard.press('End');
    await expect(slice('sagittal')).toHaveText(`${count}/${count}`);
    await page.keyboard.press('Home');
    await expect(slice('sagittal')).toHaveText(`1/${count}`);
    await expect(slice('large')).toHaveText(large!);

    await page.keyboard.press('?');
    const help = page.getByTestId('shortcut-help');
    await expect(help).toBeVisible();
    await expect(help).toContainText('Next slice in the active view');
    await expect(help).toContainText('Left button: Crosshairs');
    await expect(help).toContainText('Left button: Ellipse ROI');
    await expect(help).toContainText('Lung — W 1500 / L -600');
    await expect(help).toContainText('Layout 1×1 / 1×2 / 2×2');
    await expect(help).toContainText('Rotate 90° clockwise (active view)');
    await expect(help).toContainText('Play / pause cine through the active view’s slices');
    await page.screenshot({ path: 'test-results/shots/mpr-help.png' });
    await page.keyboard.press('?');
    await expect(help).toHaveCount(0);
    await page.keyboard.press('Escape');
  });

  test('a length drawn in the sagittal view reports the millimetres between its voxels', async () => {
    await probe(page, 'mprSetCrosshairCenter', await world(256, 256, 14));
    const [from, to] = [await world(256, 150, 6), await world(256, 350, 22)];
    // From the files: 200 rows of the row spacing, and 16 slices of their spacing along the normal.
    const normal = cross(slices[0]!.orientation.slice(0, 3), slices[0]!.orientation.slice(3, 6));
    const expected = Math.hypot(
      200 * slices[0]!.pixelSpacing[0]!,
      dot(slices[22]!.position, normal) - dot(slices[6]!.position, normal),
    );
    await page.keyboard.press('l');
    await expect(page.getByTestId('mpr-tool-menu')).toHaveValue('Length');
    const mmPerPixel = await dragIn(page, 'sagittal', from, to);
    await expect(page.getByTestId('measurement-item')).toHaveCount(1);
    const drawn = (await probe<DrawnMeasurement[]>(page, 'measurementWorldPoints')).at(-1)!;
    expect(drawn.tool).toBe('Length');
    // Drawn in the sagittal plane, where the view is.
    for (const point of drawn.points) expect(Math.abs(point[0] - from[0])).toBeLessThan(0.01);
    const handles = distance(drawn.points[0]!, drawn.points[1]!);
    await expect
      .poll(async () => Math.abs((await listed(page))[0]!.stats.length! - handles))
      .toBeLessThan(0.01);
    expect(Math.abs(handles - expected)).toBeLessThan(2 * mmPerPixel);
    expect((await listed(page))[0]!.text).toMatch(/^\d+ mm$/);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: 'test-results/shots/mpr-length-sagittal.png' });
  });

  test('Save PNG saves the active MPR view (the sagittal one), as drawn, with or without its length', async () => {
    await expect(page.getByTestId('mpr-viewport-sagittal')).toHaveAttribute('data-active', 'true');
    const slice = await page.getByTestId('mpr-slice-sagittal').textContent();
    const save = async (which: 'plain' | 'annotated'): Promise<{ name: string; png: string }> => {
      await page.getByTestId('save-png').click();
      const download = page.waitForEvent('download');
      await page.getByTestId(`save-png-${which}`).click();
      const done = await download;
      return { name: done.suggestedFilename(), png: readFileSync(await done.path()).toString('base64') };
    };
    await page.mouse.move(0, 0);
    const plain = await save('plain');
    const annotated = await save('annotated');
    expect(plain.name).toBe(`mpr-sagittal-slice${slice!.split('/')[0]}.png`);
    expect(annotated.name).toBe(plain.name.replace('.png', '-annotated.png'));
    // Each PNG against the sagittal view's canvas, pixel by pixel.
    const against = await page.evaluate(
      async (pngs) => {
        const canvas = document.querySelector<HTMLCanvasElement>(
          '[data-testid=mpr-viewport-sagittal] canvas.cornerstone-canvas',
        )!;
        const shown = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        const compare = async (base64: string) => {
          const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
          const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
          const context = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d')!;
          context.drawImage(bitmap, 0, 0);
          const saved = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
          let differing = 0;
          for (let i = 0; i < saved.length && saved.length === shown.length; i += 4)
            if (Math.max(...[0, 1, 2].map((c) => Math.abs(saved[i + c]! - shown[i + c]!))) > 2) differing++;
          return { size: [bitmap.width, bitmap.height], differing };
        };
        return {
          canvas: [canvas.width, canvas.height],
          plain: await compare(pngs[0]),
          annotated: await compare(pngs[1]),
        };
      },
      [plain.png, annotated.png] as const,
    );
    expect(against.plain.size).toEqual(against.canvas);
    expect(against.annotated.size).toEqual(against.canvas);
    expect(against.plain.differing, 'the plain PNG is the view as drawn').toBe(0);
    // The SVG layer drawn over it: the length, its text and the crosshair lines.
    expect(against.annotated.differing).toBeGreaterThan(100);
  });

  test('corner text: patient and series on the large view; each view’s position, zoom and scale bar', async () => {
    const centre = await world(256, 256, 14);
    await probe(page, 'mprSetCrosshairCenter', centre);
    const large = page.getByTestId('mpr-overlay-large');
    await expect(large).toContainText('Lung_Dx-A0002');
    await expect(large).toContainText('ID Lung_Dx-A0002');
    await expect(large).toContainText('ThoraxRoutine');
    await expect(large).toContainText('CT #3');
    await expect(page.getByTestId('mpr-plane-large')).toHaveText('Axial');
    // The small views have no room for them.
    await expect(page.getByTestId('mpr-overlay-sagittal')).not.toContainText('Lung_Dx-A0002');
    // Each view's slice position along the axis it looks down (z for axial, x sagittal, y coronal).
    const position = (slot: Slot) => page.getByTestId(`mpr-position-${slot}`);
    await expect(position('large')).toHaveText(`Pos ${slices[14]!.position[2].toFixed(1)} mm`);
    await expect(position('axial')).toHaveText(`Pos ${centre[2].toFixed(1)} mm`);
    await expect(position('sagittal')).toHaveText(`Pos ${centre[0].toFixed(1)} mm`);
    await expect(position('coronal')).toHaveText(`Pos ${centre[1].toFixed(1)} mm`);
    // 1:1 in the active (sagittal) view: 100 %, and a 5 cm bar as long as 5 cm of 0.646 mm pixels
    // (in the small views' corner, at most 80 pixels).
    await expect(page.getByTestId('mpr-viewport-sagittal')).toHaveAttribute('data-active', 'true');
    await page.keyboard.press('z');
    await expect(page.getByTestId('mpr-zoom-sagittal')).toHaveText('Zoom 100%');
    const bar = page.getByTestId('mpr-scale-bar-sagittal');
    await expect(bar).toHaveText('5 cm');
    const width = (await bar.boundingBox())!.width;
    expect(Math.abs(width - 50 / slices[0]!.pixelSpacing[1]!)).toBeLessThan(1.5);
    await page.keyboard.press('f');
    await expect(page.getByTestId('mpr-zoom-sagittal')).not.toHaveText('Zoom 100%');
    await page.mouse.move(0, 0);
    await page.screenshot({ path: 'test-results/shots/mpr-corner-text.png' });
  });

  test('a rectangle ROI in the sagittal view: mean, SD, min and max of the file’s voxels inside it', async () => {
    await page.getByTestId('mpr-large-plane').selectOption('sagittal');
    await expect(page.getByTestId('mpr-overlay-large')).toContainText('Sagittal');
    const i = 256;
    await probe(page, 'mprSetCrosshairCenter', await world(i, 250, 14));
    await probe(page, 'mprZoomLargeOn', await world(i, 250, 14), 0.1);
    // Corners on voxel boundaries: the voxels inside are rows 240-259 of slices 12-16, each centre
    // half a voxel (3 or 40 screen pixels) from the edges.
    const [from, to] = [await world(i, 239.5, 11.5), await world(i, 259.5, 16.5)];
    await page.keyboard.press('b');
    await dragIn(page, 'large', from, to);
    await expect(page.getByTestId('measurement-item')).toHaveCount(2);
    const inside: number[] = [];
    for (let k = 12; k <= 16; k++) for (let j = 240; j <= 259; j++) inside.push(voxel(i, j, k));
    const mean = inside.reduce((sum, v) => sum + v, 0) / inside.length;
    const sd = Math.sqrt(inside.reduce((sum, v) => sum + (v - mean) ** 2, 0) / inside.length);
    expect(Math.max(...inside) - Math.min(...inside), 'a region with structure').toBeGreaterThan(50);
    await expect
      .poll(async () => Math.abs(((await listed(page))[1]!.stats.mean ?? NaN) - mean))
      .toBeLessThan(0.01);
    const roi = (await listed(page))[1]!;
    expect(roi.tool).toBe('RectangleROI');
    expect(roi.stats.min).toBe(Math.min(...inside));
    expect(roi.stats.max).toBe(Math.max(...inside));
    expect(Math.abs(roi.stats.stdDev! - sd)).toBeLessThan(0.05);
    expect(roi.text).toContain('HU');
    await page.mouse.move(0, 0);
    await page.screenshot({ path: 'test-results/shots/mpr-roi-sagittal.png' });
  });

  test('a length on the acquisition (axial) plane is saved with its image; reformatted ones are cleared', async () => {
    await expect(page.getByTestId('measurement-note')).toContainText('reformatted planes are not saved');
    await page.getByTestId('mpr-large-plane').selectOption('axial');
    await probe(page, 'mprSetCrosshairCenter', await world(256, 256, 14));
    await page.keyboard.press('l');
    const [from, to] = [await world(150, 256, 14), await world(350, 256, 14)];
    const mmPerPixel = await dragIn(page, 'axial', from, to);
    await expect(page.getByTestId('measurement-item')).toHaveCount(3);
    // Cornerstone lists annotations by tool, not by age: find the one on the axial plane.
    const axial = (await probe<DrawnMeasurement[]>(page, 'measurementWorldPoints')).find(
      (m) => m.tool === 'Length' && Math.abs(m.points[0]![2] - from[2]) < 0.01,
    )!;
    expect(axial.referencedImageId, 'tied to the slice’s image').toBeTruthy();
    const byUid = await probe<Record<string, string>>(page, 'libraryImageIds');
    expect(axial.referencedImageId).toBe(byUid[slices[14]!.sopInstanceUid]);
    const expected = 200 * slices[14]!.pixelSpacing[1]!;
    await expect
      .poll(async () =>
        Math.min(...(await listed(page)).map((m) => Math.abs((m.stats.length ?? Infinity) - expected))),
      )
      .toBeLessThan(2 * mmPerPixel);

    await page.keyboard.press('m');
    await expect(page.getByTestId('mpr')).toHaveCount(0);
    await expect(page.getByTestId('measurement-note')).toHaveCount(0);
    // The two drawn on the sagittal plane are gone; the axial one stays, and comes back from the
    // library after a reload.
    await expect(page.getByTestId('measurement-item')).toHaveCount(1);
    expect((await listed(page))[0]!.tool).toBe('Length');
    await page.reload();
    await openOnlySeries(page);
    await expect(page.getByTestId('slice-indicator')).toHaveText('1/29', { timeout: 60_000 });
    expect(await probe(page, 'renderBackend')).toBe('gpu');
    await expect(page.getByTestId('measurement-item')).toHaveCount(1);
    const restored = (await probe<DrawnMeasurement[]>(page, 'measurementWorldPoints'))[0]!;
    for (let n = 0; n < 2; n++)
      expect(distance(restored.points[n]!, axial.points[n]!), 'the same points').toBeLessThan(1e-3);
  });

  test('layout keys switch the grid, and M opens and closes MPR', async () => {
    const grid = page.getByTestId('viewport-grid');
    await page.keyboard.press('Shift+Digit2');
    await expect(grid).toHaveAttribute('data-layout', '1x2');
    await expect(page.getByTestId('viewport-slot')).toHaveCount(2);
    await page.keyboard.press('Shift+Digit3');
    await expect(grid).toHaveAttribute('data-layout', '2x2');
    await expect(page.getByTestId('viewport-slot')).toHaveCount(4);
    await page.keyboard.press('Shift+Digit1');
    await expect(grid).toHaveAttribute('data-layout', '1x1');
    await expect(page.getByTestId('viewport-slot')).toHaveCount(1);
    await page.keyboard.press('m');
    await expect(page.getByTestId('mpr')).toBeVisible();
    await waitForVolume(page);
    expect(await probe(page, 'renderBackend')).toBe('gpu');
    await page.keyboard.press('Shift+Digit2');
    await expect(page.getByTestId('mpr')).toHaveCount(0);
    await expect(grid).toHaveAttribute('data-layout', '1x2');
    await expect(grid).toBeVisible();
    await page.keyboard.press('?');
    await expect(page.getByTestId('shortcut-help')).toContainText('MPR 1+3 on or off');
    await page.keyboard.press('?');
    await page.keyboard.press('Shift+Digit1');
  });
});

test.describe('rotation, flips, cine and resizing of the active MPR view of a chest CT', () => {
  let page: Page;
  let host: BrowserHost;

  test.beforeAll(async ({ browser }) => {
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    host = await hostWithFiles(page, filesIn(CT_DIR));
  });
  test.afterAll(async () => {
    await page?.close();
    await host?.stop();
  });

  /** A view's orientation markers as the user sees them: top, bottom, left, right. */
  const markers = (slot: Slot): Promise<string[]> =>
    page.getByTestId(`mpr-overlay-${slot}`).locator('.orientation').allTextContents();
  const sliceShown = (slot: Slot) => page.getByTestId(`mpr-slice-${slot}`);
  const sliceNumber = async (slot: Slot): Promise<number> =>
    Number(((await sliceShown(slot).textContent()) ?? '').split('/')[0]);
  const focalPoints = (): Promise<Record<Slot, Point3>> => probe(page, 'mprFocalPoints');
  const normals = (): Promise<Record<Slot, Point3>> => probe(page, 'mprViewPlaneNormals');
  const button = (name: string) => page.getByTestId('mpr').getByRole('button', { name, exact: true });

  test('Rotate turns the active view’s markers 90° clockwise, Flip H and V swap them, Reset restores; nothing else moves', async () => {
    await openMpr(page, 29);
    await expect(page.getByTestId('mpr-viewport-large')).toHaveAttribute('data-active', 'true');
    // Off the middle slice, where a recentring would show.
    for (let n = 0; n < 6; n++) await page.keyboard.press('ArrowDown');
    // All six steps taken before the slice is noted.
    await expect(sliceShown('large')).toHaveText('21/29');
    const upright = ['A', 'P', 'R', 'L'];
    await expect.poll(() => markers('large')).toEqual(upright);
    const slice = await sliceShown('large').textContent();
    const [points, normal] = [await focalPoints(), (await normals()).large];
    const others = ['axial', 'sagittal', 'coronal'] as const;
    const othersMarkers = await Promise.all(others.map(markers));
    /** The other views, and the large view's slice (its focal point along its plane's normal), stayed. */
    const nothingElseMoved = async (): Promise<void> => {
      const now = await focalPoints();
      for (const slot of others) expect(distance(now[slot], points[slot]), slot).toBeLessThan(1e-3);
      expect(Math.abs(dot(now.large, normal) - dot(points.large, normal))).toBeLessThan(1e-3);
      expect(await Promise.all(others.map(markers))).toEqual(othersMarkers);
      expect(await sliceShown('large').textContent()).toBe(slice);
    };

    // Clockwise: what was on the left (the patient's right) comes to the top.
    await button('Rotate').click();
    await expect.poll(() => markers('large')).toEqual(['R', 'L', 'P', 'A']);
    await nothingElseMoved();
    await page.mouse.move(0, 0);
    await page.screenshot({ path: 'test-results/shots/mpr-rotated.png' });
    await button('Rotate').click();
    await expect.poll(() => markers('large')).toEqual(['P', 'A', 'L', 'R']);
    await page.keyboard.press('r');
    await page.keyboard.press('r');
    await expect.poll(() => markers('large')).toEqual(upright);
    await nothingElseMoved();

    await button('Flip H').click();
    await expect.poll(() => markers('large')).toEqual(['A', 'P', 'L', 'R']);
    await nothingElseMoved();
    // Flipped, the slice keeps its number and the keys still step the same way through the volume.
    const number = await sliceNumber('large');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => sliceNumber('large')).toBe(number + 1);
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => sliceNumber('large')).toBe(number);
    await nothingElseMoved();
    await button('Flip V').click();
    await expect.poll(() => markers('large')).toEqual(['P', 'A', 'L', 'R']);
    await nothingElseMoved();
    await page.screenshot({ path: 'test-results/shots/mpr-flipped.png' });
    await page.keyboard.press('h');
    await expect.poll(() => markers('large')).toEqual(['P', 'A', 'R', 'L']);
    await page.keyboard.press('r');
    await expect.poll(() => markers('large')).toEqual(['R', 'L', 'A', 'P']);

    await button('Reset').click();
    await expect.poll(() => markers('large')).toEqual(upright);
    await expect(sliceShown('large')).toHaveText('15/29');
    expect(await probe(page, 'renderBackend')).toBe('gpu');
  });

  test('Play steps the active view through its slices at the set rate, looping; Pause stops it', async () => {
    await page.getByTestId('mpr-cine-fps').fill('10');
    // The keys go to the views once the rate field lets go of them.
    await page.getByTestId('mpr-cine-fps').blur();
    await page.keyboard.press('End');
    await expect(sliceShown('large')).toHaveText('29/29');
    const toggle = page.getByTestId('mpr-cine-toggle');
    await toggle.click();
    await expect(toggle).toHaveText('Pause');
    // Past the last slice it starts again from the first, as the stack's cine does.
    await expect.poll(() => sliceNumber('large')).toBeLessThan(29);
    const passed = await sliceNumber('large');
    await expect.poll(() => sliceNumber('large')).toBeGreaterThan(passed);
    await toggle.click();
    await expect(toggle).toHaveText('Play');
    const stopped = await sliceNumber('large');
    await page.waitForTimeout(600);
    expect(await sliceNumber('large'), 'stopped').toBe(stopped);

    // The C key plays the active view: here the sagittal one, clicked first.
    const sagittal = await sliceNumber('sagittal');
    await page.getByTestId('mpr-viewport-sagittal').click();
    const clicked = await sliceNumber('sagittal');
    await page.keyboard.press('c');
    await expect(toggle).toHaveText('Pause');
    await expect.poll(() => sliceNumber('sagittal')).not.toBe(clicked);
    await page.keyboard.press('c');
    await expect(toggle).toHaveText('Play');
    expect(sagittal).toBeGreaterThan(0);
    expect(await probe(page, 'renderBackend')).toBe('gpu');
  });

  test('after the window is resized the large view is fitted to its new size on the same slice', async () => {
    await page.keyboard.press('Escape');
    // Inverted, the whole square of the CT's field of view is bright against the black around it.
    await page.keyboard.press('i');
    await page.getByTestId('mpr-viewport-large').click();
    await page.keyboard.press('Home');
    for (let n = 0; n < 4; n++) await page.keyboard.press('ArrowDown');
    await expect(sliceShown('large')).toHaveText('5/29');
    const info = (await probe<{ dimensions: Point3; spacing: Point3 } | null>(page, 'mprVolumeInfo'))!;
    const [widthMm, heightMm] = [info.dimensions[0] * info.spacing[0], info.dimensions[1] * info.spacing[1]];
    /** How far the large view's image is from fitted and centred in its canvas, in canvas pixels. */
    const misfit = async (): Promise<string> => {
      const lit = await litExtent(page.getByTestId('mpr-viewport-large'));
      const off = fitMisfit(lit, widthMm, heightMm);
      return off < 3 ? 'under 3 px' : `${off} px (lit ${JSON.stringify(lit)})`;
    };
    await page.mouse.move(0, 0);
    await expect.poll(misfit).toBe('under 3 px');
    const canvasBefore = (await litExtent(page.getByTestId('mpr-viewport-large'))).canvas;

    await page.setViewportSize({ width: 1200, height: 680 });
    await expect
      .poll(async () => (await litExtent(page.getByTestId('mpr-viewport-large'))).canvas)
      .not.toEqual(canvasBefore);
    await expect.poll(misfit).toBe('under 3 px');
    await expect(sliceShown('large')).toHaveText('5/29');
    await page.screenshot({ path: 'test-results/shots/mpr-resized.png' });
    // Rotated and flipped, the view keeps both through a resize (the square image still fits).
    await page.keyboard.press('r');
    await page.keyboard.press('h');
    await expect.poll(() => markers('large')).toEqual(['R', 'L', 'A', 'P']);
    await page.setViewportSize({ width: 1440, height: 900 });
    await expect.poll(misfit).toBe('under 3 px');
    await expect(sliceShown('large')).toHaveText('5/29');
    expect(await markers('large')).toEqual(['R', 'L', 'A', 'P']);
    expect(await probe(page, 'renderBackend')).toBe('gpu');
  });

  test('flipped or not, the wheel, the slice keys and cine all count the slice number up', async () => {
    // Slow enough that a clip running the wrong way (down through 1, round from 29) cannot pass for one
    // that went up a few slices before it was paused.
    await page.getByTestId('mpr-cine-fps').fill('2');
    await page.getByTestId('mpr-cine-fps').blur();
    const large = page.getByTestId('mpr-viewport-large');
    const box = (await large.boundingBox())!;
    const toggle = page.getByTestId('mpr-cine-toggle');
    /** Plays until the number changes, pauses, and returns the number it moved to. */
    const cineStep = async (from: number): Promise<number> => {
      await page.keyboard.press('c');
      await expect.poll(() => sliceNumber('large'), { intervals: [50] }).not.toBe(from);
      await page.keyboard.press('c');
      await expect(toggle).toHaveText('Play');
      return sliceNumber('large');
    };
    for (const presses of [[], ['h'], ['v'], ['h', 'v'], ['r', 'h'], ['r', 'v']]) {
      const state = presses.join('+') || 'upright';
      await page.keyboard.press('Escape');
      await expect(sliceShown('large')).toHaveText('15/29');
      for (const key of presses) await page.keyboard.press(key);
      await expect(sliceShown('large'), state).toHaveText('15/29');
      await page.keyboard.press('ArrowDown');
      await expect.poll(() => sliceNumber('large'), `${state}: next key`).toBe(16);
      await page.keyboard.press('PageUp');
      await expect.poll(() => sliceNumber('large'), `${state}: previous key`).toBe(15);
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.wheel(0, 120);
      await expect.poll(() => sliceNumber('large'), `${state}: wheel down`).toBe(16);
      await page.mouse.wheel(0, -120);
      await expect.poll(() => sliceNumber('large'), `${state}: wheel up`).toBe(15);
      const played = await cineStep(15);
      expect(played, `${state}: cine`).toBeGreaterThan(15);
      expect(played, `${state}: cine`).toBeLessThan(25);
    }
    // Flipped while playing, the cine keeps counting up.
    await page.keyboard.press('Escape');
    await page.keyboard.press('c');
    await expect.poll(() => sliceNumber('large'), { intervals: [50] }).toBeGreaterThan(15);
    await page.keyboard.press('h');
    const flipped = await sliceNumber('large');
    await expect.poll(() => sliceNumber('large'), { intervals: [50] }).not.toBe(flipped);
    await page.keyboard.press('c');
    await expect(toggle).toHaveText('Play');
    const after = await sliceNumber('large');
    expect(after, 'flipped while playing').toBeGreaterThan(flipped);
    expect(after).toBeLessThan(flipped + 10);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: 'test-results/shots/mpr-flipped-stepping.png' });
    expect(await probe(page, 'renderBackend')).toBe('gpu');
  });
});

test('an enhanced multi-frame CT opens in MPR with the file’s voxel values', async ({ page }) => {
  // Ten of the chest CT's slices as the frames of one enhanced CT file, in reverse order along z.
  const sources = sortedSlices(CT_DIR);
  const paths = filesIn(CT_DIR);
  const chosen = sources.slice(8, 18).reverse();
  const pathOf = (slice: FileSlice): string =>
    paths.find((path) => parseFile(path).string('x00080018') === slice.sopInstanceUid)!;
  const file = join(mkdtempSync(join(tmpdir(), 'lumen-enhanced-')), 'enhanced-ct.dcm');
  writeEnhancedCt(chosen.map(pathOf), file, '1.2.826.0.1.3680043.10.1392.7');

  // The file's own frames, sorted along the normal as the volume must store them.
  const dataSet = parseFile(file);
  const rows = dataSet.uint16('x00280010')!;
  const columns = dataSet.uint16('x00280011')!;
  const orientation = (
    dataSet.elements['x52009229']!.items![0]!.dataSet!.elements['x00209116']!.items![0]!.dataSet!.string(
      'x00200037',
    ) ?? ''
  )
    .split('\\')
    .map(Number);
  const normal = cross(orientation.slice(0, 3), orientation.slice(3, 6));
  const frames = dataSet.elements['x52009230']!.items!.map((item, frame) => {
    const position = (item.dataSet!.elements['x00209113']!.items![0]!.dataSet!.string('x00200032') ?? '')
      .split('\\')
      .map(Number);
    return { frame, along: dot(position, normal) };
  });
  frames.sort((a, b) => a.along - b.along);
  const slope = Number(dataSet.string('x00281053'));
  const intercept = Number(dataSet.string('x00281052'));
  const pixels = dataSet.elements['x7fe00010']!;
  const view = new DataView(dataSet.byteArray.buffer, dataSet.byteArray.byteOffset + pixels.dataOffset);
  const bitsStored = dataSet.uint16('x00280101')!;
  const signed = dataSet.uint16('x00280103') === 1;
  const fileValue = (i: number, j: number, k: number): number => {
    let stored = view.getUint16((frames[k]!.frame * rows * columns + j * columns + i) * 2, true);
    stored &= 2 ** bitsStored - 1;
    if (signed && stored >= 2 ** (bitsStored - 1)) stored -= 2 ** bitsStored;
    return stored * slope + intercept;
  };

  const host = await hostWithFiles(page, [file]);
  try {
    await openOnlySeries(page);
    await expect(page.getByTestId('slice-indicator')).toHaveText('1/10', { timeout: 60_000 });
    expect(await probe(page, 'renderBackend')).toBe('gpu');
    await expect(page.getByTestId('mpr-toggle')).toHaveAttribute('aria-disabled', 'false');
    await page.getByTestId('mpr-toggle').click();
    const info = await waitForVolume(page);
    expect(await probe(page, 'renderBackend')).toBe('gpu');
    expect(info.dimensions).toEqual([columns, rows, 10]);
    expect(info.spacing[2]).toBeCloseTo(8, 3);
    expect(info.imageIds.every((imageId) => /[?&]frame=\d+$/.test(imageId))).toBe(true);
    for (const [i, j, k] of [
      [256, 300, 0],
      [200, 250, 4],
      [300, 200, 9],
      [120, 380, 6],
    ] as const)
      expect(await probe<number>(page, 'mprVoxelValue', i, j, k), `voxel ${i},${j},${k}`).toBe(
        fileValue(i, j, k),
      );
    await page.mouse.move(0, 0);
    await nextFrames(page);
    await page.screenshot({ path: 'test-results/shots/mpr-enhanced-ct.png' });
  } finally {
    await host.stop();
  }
});
