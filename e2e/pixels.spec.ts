/**
 * Pixels right: every file is imported through the real host, decoded by Cornerstone's
 * dicom-image-loader in the real renderer (Chromium, WebGL), and its modality values are compared
 * across encodings of the same image and with values computed here straight from the file.
 */
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { expect, test } from '@playwright/test';
import { hasSharedData, sharedPath } from '../test-support/shared-data';
import {
  parseFile,
  referenceModalityValues,
  sopInstanceUid,
  writeUndecodable,
  writeWithRescale,
} from '../test-support/dicom-reference';
import {
  decodeFileDirectly,
  hostWithFiles,
  openOnlySeries,
  probe,
  type DecodedPixels,
  type DecodeFailure,
} from './viewer-page';

test.describe.configure({ mode: 'serial' });
test.skip(!hasSharedData, 'the shared DICOM data (../shared) is absent');

const TS_DIR = 'dicom/transfer_syntax';
/** Files in the transfer-syntax folder that hold no image (a structured report and a waveform). */
const NOT_IMAGES = new Set(['deflate/report_dfl.dcm', 'deflate/wave_dfl.dcm']);
/** One two-frame enhanced CT in six encodings, five with frames split over fragments and no offset table. */
const CT0012 = 'enhanced_ct_CT0012_2frames';

function listDicom(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listDicom(path) : name.endsWith('.dcm') ? [path] : [];
  });
}

/**
 * Splits files into rounds whose SOP Instance UIDs are distinct: the library keeps one file per UID.
 * A file without a UID gets a round of its own, where it is the only instance.
 */
function roundsByUid(files: readonly string[]): string[][] {
  const rounds: Array<{ uids: Set<string>; files: string[] }> = [];
  for (const file of files) {
    const uid = sopInstanceUid(file);
    if (uid === null) {
      rounds.push({ uids: new Set(), files: [file] });
      continue;
    }
    let round = rounds.find((candidate) => candidate.uids.size > 0 && !candidate.uids.has(uid));
    if (!round) rounds.push((round = { uids: new Set(), files: [] }));
    round.uids.add(uid);
    round.files.push(file);
  }
  return rounds.map((round) => round.files);
}

const name = (path: string): string => relative(sharedPath(TS_DIR), path);

const framesIn = (path: string): number => parseFile(path).intString('x00280008') ?? 1;

function isDecoded(result: DecodedPixels | DecodeFailure | undefined): result is DecodedPixels {
  return result !== undefined && 'values' in result;
}

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

function meanAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

function valueRange(values: ArrayLike<number>): number {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    min = Math.min(min, values[i]!);
    max = Math.max(max, values[i]!);
  }
  return max - min;
}

/** The NEMA CT slice rewritten at run time with a non-integer slope and intercept. */
const DECIMAL_CT = join(mkdtempSync(join(tmpdir(), 'lumen-rescale-')), 'ct1_decimal_rescale.dcm');

test.describe('decoded pixels', () => {
  test.beforeAll(() => {
    writeWithRescale(
      sharedPath(TS_DIR, 'nema_ct1/CT1_UNC.explicit_little_endian.dcm'),
      DECIMAL_CT,
      '.5',
      '-10.25',
    );
  });
  const decoded = new Map<string, DecodedPixels | DecodeFailure>();
  /** The last frame of each multi-frame file (the first is in `decoded`). */
  const lastFrames = new Map<string, DecodedPixels | DecodeFailure>();
  const notIndexed: string[] = [];
  const pixels = (file: string): DecodedPixels => {
    const result = decoded.get(file);
    if (!isDecoded(result)) throw new Error(`${file} was not decoded: ${JSON.stringify(result)}`);
    return result;
  };

  test('every image in the transfer-syntax corpus decodes through the real loader', async ({ page }) => {
    // Many files over a dozen host starts: about 1.5 min on a quiet two-core machine, more when busy.
    test.setTimeout(480_000);
    const files = listDicom(sharedPath(TS_DIR)).filter((file) => !NOT_IMAGES.has(name(file)));
    files.push(sharedPath('dicom/odd_malformed/decimal_rescale.dcm'), DECIMAL_CT);
    for (const round of roundsByUid(files)) {
      const host = await hostWithFiles(page, round);
      try {
        expect(await probe(page, 'renderBackend')).toBe('gpu');
        const imageIds = await probe<Record<string, string>>(page, 'libraryImageIds');
        for (const file of round) {
          const uid = sopInstanceUid(file);
          const imageId = uid === null ? Object.values(imageIds)[0] : imageIds[uid];
          if (!imageId) {
            // The library refused the file (its reason is in the import report): decode it directly.
            notIndexed.push(name(file));
            decoded.set(file, await decodeFileDirectly(page, file));
            continue;
          }
          decoded.set(file, await probe<DecodedPixels | DecodeFailure>(page, 'decodedPixels', imageId));
          const frames = framesIn(file);
          if (frames > 1)
            lastFrames.set(file, await probe(page, 'decodedPixels', `${imageId}?frame=${frames}`));
        }
      } finally {
        await host.stop();
      }
    }
    console.log(`decoded outside the library (refused by the import): ${notIndexed.join(', ')}`);
    const failures = [...decoded, ...lastFrames].filter(([, result]) => !isDecoded(result));
    for (const [file, result] of failures)
      console.log(`cannot decode ${name(file)}: ${(result as DecodeFailure).error}`);
    expect(failures.map(([file]) => name(file))).toEqual([]);
    // The CT0012 files and the 10-frame MR's four encodings.
    expect(lastFrames.size).toBe(10);
    for (const [file, result] of [...decoded, ...lastFrames]) {
      if (!isDecoded(result)) continue;
      const frame = result;
      expect(frame.values.length, name(file)).toBe(frame.width * frame.height * frame.components);
      // decimal_rescale.dcm really is one flat value (-4096); every other image has contrast.
      if (!file.endsWith('decimal_rescale.dcm'))
        expect(valueRange(frame.values), `${name(file)} is not a flat image`).toBeGreaterThan(0);
    }
  });

  test('lossless encodings of one MR slice give identical values, equal to the file', () => {
    const dir = sharedPath(TS_DIR, 'dcm_qa_ts_brain_slice');
    const reference = referenceModalityValues(join(dir, '1_explicit_le.dcm'));
    for (const file of listDicom(dir)) expect(maxAbsDifference(pixels(file).values, reference), file).toBe(0);
  });

  test('signed CT in five encodings gives identical Hounsfield units, equal to the file', () => {
    const dir = sharedPath(TS_DIR, 'nema_ct1');
    const reference = referenceModalityValues(join(dir, 'CT1_UNC.explicit_little_endian.dcm'));
    expect(reference.reduce((a, b) => Math.min(a, b))).toBeLessThan(-900); // air, from signed stored values and intercept
    for (const file of listDicom(dir)) expect(maxAbsDifference(pixels(file).values, reference), file).toBe(0);
  });

  test('signed 16-bit MR in six encodings gives identical values', () => {
    const dir = sharedPath(TS_DIR, 'pydicom_small');
    const reference = referenceModalityValues(join(dir, 'MR_small.dcm'));
    for (const suffix of ['', '_RLE', '_bigendian', '_implicit', '_jp2klossless', '_jpeg_ls_lossless']) {
      expect(maxAbsDifference(pixels(join(dir, `MR_small${suffix}.dcm`)).values, reference), suffix).toBe(0);
    }
  });

  test('a deflated image (inflated by the library before the loader reads it) equals the file', () => {
    const file = sharedPath(TS_DIR, 'deflate/image_dfl.dcm');
    expect(notIndexed).not.toContain(name(file));
    const reference = referenceModalityValues(file);
    expect(valueRange(reference)).toBeGreaterThan(0);
    expect(maxAbsDifference(pixels(file).values, reference)).toBe(0);
  });

  test('other lossless pairs agree exactly', () => {
    const data = (file: string): number[] => pixels(sharedPath(TS_DIR, file)).values;
    const pairs: Array<[string, string]> = [
      ['pydicom_data/emri_small_big_endian.dcm', 'pydicom_data/emri_small_RLE.dcm'],
      ['pydicom_data/emri_small_big_endian.dcm', 'pydicom_data/emri_small_jpeg_2k_lossless.dcm'],
      ['pydicom_data/emri_small_big_endian.dcm', 'pydicom_data/emri_small_jpeg_ls_lossless.dcm'],
      ['pydicom_small/SC_rgb_rle.dcm', 'pydicom_small/SC_rgb_jpeg_gdcm.dcm'],
    ];
    const differing = pairs
      .map(([a, b]) => `${a} vs ${b}: ${maxAbsDifference(data(a), data(b))}`)
      .filter((line) => !line.endsWith(': 0'));
    expect(differing).toEqual([]);
  });

  test('both frames of the two-frame CT, split over fragments without an offset table, equal its RLE copy', () => {
    const path = (file: string): string => sharedPath(TS_DIR, CT0012, file);
    const bothFrames = (file: string): [number[], number[]] => {
      const last = lastFrames.get(path(file));
      if (!isDecoded(last)) throw new Error(`${file} frame 2 was not decoded: ${JSON.stringify(last)}`);
      return [pixels(path(file)).values, last.values];
    };
    const rle = bothFrames('CT0012.not_fragmented_bot_rle.dcm');
    // The RLE copy (one fragment per frame, with a table) is the uncompressed file's frames in HU:
    // its stored values and the intercept of its shared functional groups (slope 1).
    const uncompressed = sharedPath('dicom/multiframe/dicomparser_CT0012_enhanced_ct_2frames.dcm');
    const transformation =
      parseFile(uncompressed).elements['x52009229']?.items?.[0]?.dataSet?.elements['x00289145']?.items?.[0]
        ?.dataSet;
    const intercept = Number(transformation?.string('x00281052'));
    expect(intercept).toBe(-1024);
    expect(Number(transformation?.string('x00281053'))).toBe(1);
    rle.forEach((values, k) => {
      const hu = Array.from(referenceModalityValues(uncompressed, k), (stored) => stored + intercept);
      expect(maxAbsDifference(values, hu), `RLE frame ${k + 1}`).toBe(0);
    });
    // Two different slices: a loader that gave one frame twice would not pass.
    expect(maxAbsDifference(rle[0], rle[1])).toBeGreaterThan(100);

    for (const file of [
      'CT0012.fragmented_no_bot_jpeg_lossless.57.dcm',
      'CT0012.fragmented_no_bot_jpeg_lossless.70.dcm',
      'CT0012.fragmented_no_bot_jpeg_ls.80.dcm',
    ]) {
      bothFrames(file).forEach((values, k) =>
        expect(maxAbsDifference(values, rle[k]!), `${file} ${k + 1}`).toBe(0),
      );
    }
    // JPEG-LS near-lossless with NEAR = 2 (its scan header): no sample more than 2 off.
    bothFrames('CT0012.fragmented_no_bot_jpeg_ls.81.dcm').forEach((values, k) =>
      expect(maxAbsDifference(values, rle[k]!), `.81 frame ${k + 1}`).toBeLessThanOrEqual(2),
    );
    // JPEG extended, 12 bits: its encoder stored every value 1023 higher (IJG libjpeg decodes the
    // same; src-main/analysis/extended-codecs.test.ts), so that offset is what the viewer shows;
    // what is left is the lossy error: root mean square under 1.5, no sample more than 16 off.
    bothFrames('CT0012.fragmented_no_bot_jpeg_baseline.51.dcm').forEach((values, k) => {
      const errors = values.map((value, p) => value - rle[k]![p]! - 1023);
      const rms = Math.sqrt(errors.reduce((sum, e) => sum + e * e, 0) / errors.length);
      const worst = errors.reduce((max, e) => Math.max(max, Math.abs(e)), 0);
      console.log(`CT0012 .51 frame ${k + 1}: rms error ${rms.toFixed(3)}, largest ${worst}`);
      expect(rms, `.51 frame ${k + 1}`).toBeLessThan(1.5);
      expect(worst, `.51 frame ${k + 1}`).toBeLessThanOrEqual(16);
    });
  });

  // Lossy encodings: the mean absolute error stays under 2% of the image's value range.
  const LOSSY_MEAN_ERROR = 0.02;
  test(`lossy encodings stay within ${LOSSY_MEAN_ERROR * 100}% mean error of the lossless one`, () => {
    const data = (file: string): number[] => pixels(sharedPath(TS_DIR, file)).values;
    const pairs: Array<[string, string]> = [
      ['pydicom_data/MR2_J2KR.dcm', 'pydicom_data/MR2_J2KI.dcm'],
      ['pydicom_data/US1_J2KR.dcm', 'pydicom_data/US1_J2KI.dcm'],
      ['pydicom_data/HTJ2KLossless_08_RGB.dcm', 'pydicom_data/HTJ2K_08_RGB.dcm'],
      ['pydicom_small/SC_rgb_rle.dcm', 'pydicom_small/SC_rgb_jpeg_dcmtk.dcm'],
    ];
    const errors = pairs.map(([lossless, lossy]) => {
      const reference = data(lossless);
      return { lossy, error: meanAbsDifference(data(lossy), reference) / valueRange(reference) };
    });
    console.log(errors.map(({ lossy, error }) => `${lossy}: ${(error * 100).toFixed(2)}%`).join('\n'));
    expect(errors.filter(({ error }) => !(error < LOSSY_MEAN_ERROR))).toEqual([]);
  });

  test('a non-integer rescale slope and intercept are applied exactly', () => {
    const flat = sharedPath('dicom/odd_malformed/decimal_rescale.dcm');
    expect(maxAbsDifference(pixels(flat).values, referenceModalityValues(flat))).toBeLessThan(1e-3);
    const reference = referenceModalityValues(DECIMAL_CT);
    expect(reference.some((value) => !Number.isInteger(value))).toBe(true);
    expect(maxAbsDifference(pixels(DECIMAL_CT).values, reference)).toBeLessThan(1e-3);
  });

  test('RGB and YBR images decode to three colour components', () => {
    for (const file of [
      'pydicom_small/SC_rgb_rle.dcm',
      'pydicom_small/SC_rgb_jpeg_dcmtk.dcm',
      'pydicom_data/US1_J2KR.dcm',
    ]) {
      expect(pixels(sharedPath(TS_DIR, file)).components, file).toBeGreaterThanOrEqual(3);
    }
  });
});

test.describe('what the user sees', () => {
  test('a MONOCHROME1 radiograph is shown inverted: high values dark, like an X-ray', async ({ page }) => {
    for (const [file, inverted] of [
      ['dicom/chest_xray/gdcm_CR-MONO1-10-chest.dcm', true],
      ['dicom/chest_xray/nih_cxr14_dx_1024.dcm', false],
    ] as const) {
      const host = await hostWithFiles(page, [sharedPath(file)]);
      try {
        await openOnlySeries(page);
        await expect(page.getByTestId('slice-indicator')).toHaveText('1/1', { timeout: 60_000 });
        expect(await probe(page, 'renderBackend')).toBe('gpu');
        expect(await probe(page, 'displayInverted')).toBe(inverted);
        const imageId = Object.values(await probe<Record<string, string>>(page, 'libraryImageIds'))[0]!;
        const frame = await probe<DecodedPixels>(page, 'decodedPixels', imageId);
        // The darkest and brightest stored pixels, away from the border.
        let low = -1;
        let high = -1;
        for (let row = 20; row < frame.height - 20; row++) {
          for (let column = 20; column < frame.width - 20; column++) {
            const index = row * frame.width + column;
            if (low < 0 || frame.values[index]! < frame.values[low]!) low = index;
            if (high < 0 || frame.values[index]! > frame.values[high]!) high = index;
          }
        }
        const shown = async (index: number): Promise<number> =>
          probe<number>(page, 'displayedGrey', index % frame.width, Math.floor(index / frame.width));
        const [lowGrey, highGrey] = [await shown(low), await shown(high)];
        if (inverted) expect(highGrey).toBeLessThan(lowGrey);
        else expect(highGrey).toBeGreaterThan(lowGrey);
        await page.screenshot({ path: `test-results/shots/pixels-${inverted ? 'mono1' : 'mono2'}.png` });
      } finally {
        await host.stop();
      }
    }
  });

  for (const file of [
    'CT0012.fragmented_no_bot_jpeg_ls.80.dcm',
    'CT0012.fragmented_no_bot_jpeg_baseline.51.dcm',
  ]) {
    test(`frame 2 of the two-frame CT ${file} is on screen`, async ({ page }) => {
      const host = await hostWithFiles(page, [sharedPath(TS_DIR, CT0012, file)]);
      try {
        await openOnlySeries(page);
        await expect(page.getByTestId('slice-indicator')).toHaveText('1/2', { timeout: 60_000 });
        expect(await probe(page, 'renderBackend')).toBe('gpu');
        await page.getByTestId('viewport').hover();
        await page.keyboard.press('End');
        await expect(page.getByTestId('slice-indicator')).toHaveText('2/2');
        expect(await probe<string>(page, 'currentImageId')).toMatch(/frame=2$/);
        await expect(page.getByTestId('viewport-slot')).not.toContainText('Loading');
        await expect(page.getByTestId('viewport-error')).toHaveCount(0);
        // Soft tissue brighter than the air around the body: an image, not a blank canvas.
        const frame = await probe<DecodedPixels>(
          page,
          'decodedPixels',
          await probe<string>(page, 'currentImageId'),
        );
        const brightest = frame.values.reduce(
          (best, value, p) => (value > frame.values[best]! ? p : best),
          0,
        );
        expect(
          await probe<number>(
            page,
            'displayedGrey',
            brightest % frame.width,
            Math.floor(brightest / frame.width),
          ),
        ).toBeGreaterThan(await probe<number>(page, 'displayedGrey', 2, 2));
        await page.screenshot({
          path: `test-results/shots/pixels-ct0012-frame2-${file.split('.').at(-2)}.png`,
        });
      } finally {
        await host.stop();
      }
    });
  }

  test('a frame that cannot be decoded says so in its viewport', async ({ page }) => {
    const damaged = join(mkdtempSync(join(tmpdir(), 'lumen-damaged-')), 'ct1_zeroed_jpeg_ls.dcm');
    writeUndecodable(sharedPath(TS_DIR, 'nema_ct1/CT1_UNC.not_fragmented_no_bot_jpeg_ls.80.dcm'), damaged);
    const host = await hostWithFiles(page, [damaged]);
    try {
      await openOnlySeries(page);
      expect(await probe(page, 'renderBackend')).toBe('gpu');
      await expect(page.getByTestId('viewport-error')).toBeVisible({ timeout: 60_000 });
      await expect(page.getByTestId('viewport-error')).toContainText('could not be decoded');
      await page.screenshot({ path: 'test-results/shots/pixels-decode-error.png' });
    } finally {
      await host.stop();
    }
  });
});
