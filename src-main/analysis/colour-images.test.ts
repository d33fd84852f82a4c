/**
 * Colour images for 2D models: read as their luminance, 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601),
 * whatever their encoding (RLE, JPEG lossless, JPEG baseline YBR_FULL, JPEG 2000, HTJ2K; native RGB
 * with either planar configuration, YBR_FULL, YBR_FULL_422); refused for volumes, with the reason;
 * and classification jobs on colour, 12-bit JPEG and HTJ2K files complete, the colour ones saying
 * that their input was converted.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasSharedData, sharedPath } from '../../test-support/shared-data';
import { storedInstance } from '../../test-support/stored-instance';
import { minimalImage, usBytes as us, withElements } from '../../test-support/dicom-writer';
import { hasStandIn, STAND_IN_ID, STAND_IN_SPEC, standInModelsDir } from '../../test-support/standin-models';
import { openWorkstation } from '../../test-support/workstation';
import { preprocessXray } from '../../src-shared/xray-preprocess';
import { decodeFrame } from './pixel-codecs';
import { buildGreyImage, buildSeriesVolume, readImageValues } from './series-volume';

const SMALL = 'dicom/transfer_syntax/pydicom_small';

/** pydicom's SC_rgb test image: ten stripes of ten rows, these colours top to bottom (its test suite asserts them). */
const STRIPES: ReadonlyArray<readonly [number, number, number]> = [
  [255, 0, 0],
  [255, 128, 128],
  [0, 255, 0],
  [128, 255, 128],
  [0, 0, 255],
  [128, 128, 255],
  [0, 0, 0],
  [64, 64, 64],
  [192, 192, 192],
  [255, 255, 255],
];

const bt601 = ([r, g, b]: readonly [number, number, number]): number => 0.299 * r + 0.587 * g + 0.114 * b;

/** The luminance of every pixel of a stripe image whose stripes are `rowsEach` rows high. */
function expectStripes(values: Float32Array, rowsEach: number, within: number): void {
  const stripes = 100 / rowsEach;
  for (let s = 0; s < stripes; s++) {
    const expected = bt601(STRIPES[s]!);
    // The middle rows of a stripe: lossy codecs blur its edges.
    for (const row of [s * rowsEach + rowsEach / 2 - 1, s * rowsEach + rowsEach / 2]) {
      for (let column = 0; column < 100; column++) {
        const found = values[row * 100 + column]!;
        if (Math.abs(found - expected) > within) expect(found, `row ${row}, column ${column}`).toBe(expected);
      }
    }
  }
}

describe.skipIf(!hasSharedData)('colour images for 2D models', () => {
  it.each([
    ['SC_rgb_rle.dcm', '1.2.840.10008.1.2.5'],
    ['SC_rgb_jpeg_gdcm.dcm', '1.2.840.10008.1.2.4.70'],
  ])("lossless %s (%s): each pixel is its colour's BT.601 luminance, rounded", async (file, syntax) => {
    const instance = await storedInstance(sharedPath(SMALL, file));
    expect([instance.transferSyntax, instance.samplesPerPixel, instance.photometric]).toEqual([
      syntax,
      3,
      'RGB',
    ]);
    expectStripes(await readImageValues(instance), 10, 0.5);
  });

  it.each([
    // Stored as YCbCr: libjpeg-turbo gives RGB back, as the viewer shows it.
    ['SC_rgb_jpeg_dcmtk.dcm', '1.2.840.10008.1.2.4.50', 'YBR_FULL'],
    ['SC_rgb_gdcm_KY.dcm', '1.2.840.10008.1.2.4.91', 'RGB'],
  ])("lossy %s (%s, %s): within 2 of the stripes' luminance", async (file, syntax, photometric) => {
    const instance = await storedInstance(sharedPath(SMALL, file));
    expect([instance.transferSyntax, instance.photometric]).toEqual([syntax, photometric]);
    expectStripes(await readImageValues(instance), 10, 2);
  });

  it('native RGB (either planar configuration), YBR_FULL and YBR_FULL_422 give the same luminance', async () => {
    const rle = await storedInstance(sharedPath(SMALL, 'SC_rgb_rle.dcm'));
    const value = readFileSync(rle.path).subarray(rle.pixelOffset!, rle.pixelOffset! + rle.pixelLength!);
    const rgb = (await decodeFrame(rle.transferSyntax, firstFragment(value), rle)).bytes;
    const pixels = 100 * 100;
    const planar = new Uint8Array(pixels * 3);
    const ybr = new Uint8Array(pixels * 3);
    const ybr422 = new Uint8Array(pixels * 2);
    for (let p = 0; p < pixels; p++) {
      const [r, g, b] = [rgb[3 * p]!, rgb[3 * p + 1]!, rgb[3 * p + 2]!];
      for (let c = 0; c < 3; c++) planar[c * pixels + p] = rgb[3 * p + c]!;
      // PS3.3 C.7.6.3.1.2: YBR_FULL from RGB.
      const y = Math.round(bt601([r, g, b]));
      const cb = Math.round(-0.1687 * r - 0.3313 * g + 0.5 * b + 128);
      const cr = Math.round(0.5 * r - 0.4187 * g - 0.0813 * b + 128);
      ybr.set([y, cb, cr], 3 * p);
      // YBR_FULL_422: Y Y Cb Cr for each pair of pixels along a row.
      ybr422[(p >> 1) * 4 + (p & 1)] = y;
      if (p % 2 === 0) ybr422.set([cb, cr], (p >> 1) * 4 + 2);
    }
    const expected = Array.from(await readImageValues(rle));
    const dir = mkdtempSync(join(tmpdir(), 'lumen-colour-'));
    const cases = [
      ['RGB', 0, rgb],
      ['RGB', 1, planar],
      ['YBR_FULL', 0, ybr],
      ['YBR_FULL_422', 0, ybr422],
    ] as const;
    for (const [n, [photometric, planarConfiguration, samples]] of cases.entries()) {
      const path = join(dir, `${n}.dcm`);
      writeFileSync(
        path,
        colourFile(`1.2.826.0.1.3680043.9.7433.${n}`, photometric, planarConfiguration, samples),
      );
      const values = await readImageValues(await storedInstance(path));
      expect(Array.from(values), `${photometric}, planar ${planarConfiguration}`).toEqual(expected);
    }
    expect(new Set(expected).size).toBe(10);
  });

  it('refuses colour for a volume model, and colour it cannot convert, saying why', async () => {
    const rgb = await storedInstance(sharedPath(SMALL, 'SC_rgb_rle.dcm'));
    const located = {
      ...rgb,
      position: [0, 0, 0] as [number, number, number],
      orientation: [1, 0, 0, 0, 1, 0],
      pixelSpacing: [1, 1] as const,
    };
    await expect(
      buildSeriesVolume([located, { ...located, position: [0, 0, 1] as [number, number, number] }]),
    ).rejects.toThrow(/colour image \(RGB\) cannot be analysed by a 3D model: it needs greyscale images/);
    await expect(readImageValues({ ...rgb, photometric: 'HSV' })).rejects.toThrow(
      /colour image \(HSV\) cannot be converted to grey: only RGB and YBR_FULL colour can/,
    );
    await expect(readImageValues({ ...rgb, samplesPerPixel: 4, photometric: 'ARGB' })).rejects.toThrow(
      /images of 4 samples per pixel cannot be analysed/,
    );
  });
});

describe.skipIf(!hasSharedData || !hasStandIn)(
  'classification jobs on colour, 12-bit JPEG and HTJ2K files (RANDOM-weight stand-in)',
  () => {
    it('each completes with the scores of its own luminance image; colour results say they were converted', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'lumen-colour-jobs-'));
      // The HTJ2K sample lacks the UIDs and modality the library needs: a copy that has them.
      const htj2k = join(dir, 'htj2k.dcm');
      writeFileSync(
        htj2k,
        withElements(
          readFileSync(sharedPath('dicom/transfer_syntax/pydicom_data/HTJ2KLossless_08_RGB.dcm')),
          [
            { tag: '00080060', vr: 'CS', value: 'OT' },
            { tag: '0020000D', vr: 'UI', value: '1.2.826.0.1.3680043.9.7433.10.1' },
            { tag: '0020000E', vr: 'UI', value: '1.2.826.0.1.3680043.9.7433.10.2' },
          ],
        ),
      );
      const workstation = openWorkstation(join(dir, 'data'), { modelsDir: standInModelsDir(['OT', 'NM']) });
      try {
        const files = [
          sharedPath(SMALL, 'SC_rgb_jpeg_dcmtk.dcm'),
          sharedPath(SMALL, 'JPGExtended.dcm'),
          htj2k,
        ];
        const outcome = await workstation.importPaths({ paths: files });
        expect(outcome).toMatchObject({ indexed: 3 });
        const seriesOf = new Map<string, number>();
        for (const study of await workstation.listStudies())
          for (const series of await workstation.listSeries({ studyInstanceUid: study.studyInstanceUid }))
            seriesOf.set(workstation.library.seriesInstances(series.seriesId)[0]!.path, series.seriesId);
        const ids = files.map((file) => seriesOf.get(file)!);
        expect(ids.every((id) => id !== undefined)).toBe(true);
        for (const seriesId of ids) await workstation.startAnalysis({ seriesId, modelId: STAND_IN_ID });
        await workstation.analysis.idle();
        expect(workstation.db.all('SELECT state, error FROM jobs ORDER BY id')).toEqual(
          ids.map(() => ({ state: 'completed', error: null })),
        );
        const notes = [];
        for (const seriesId of ids) {
          const [result] = await workstation.listResults({ seriesId });
          notes.push(result!.inputNote);
          expect(result!.findings).toHaveLength(18);
          // The stored scores are the model's for this image's luminance (12-bit: its stored values).
          const image = await buildGreyImage(workstation.library.seriesInstances(seriesId)[0]!);
          const direct = await workstation.inference.classify(STAND_IN_SPEC, preprocessXray(image, 224), 1);
          result!.findings.forEach((f, c) =>
            expect(f.score).toBeCloseTo(direct.images[0]!.probabilities[c]!, 4),
          );
        }
        const converted =
          /^The input was a colour image \((YBR_FULL|RGB)\); the model read its luminance, 0\.299 R \+ 0\.587 G \+ 0\.114 B \(ITU-R BT\.601\)\.$/;
        expect(notes[0]).toMatch(converted);
        expect(notes[1]).toBeNull();
        expect(notes[2]).toMatch(converted);
      } finally {
        workstation.close();
      }
    });
  },
);

/** The one fragment of a single-frame encapsulated value (after an empty offset table). */
function firstFragment(value: Uint8Array): Uint8Array {
  const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
  const tableLength = view.getUint32(4, true);
  const at = 8 + tableLength;
  return value.subarray(at + 8, at + 8 + view.getUint32(at + 4, true));
}

/** A native 100x100 8-bit colour image (explicit VR little endian). */
function colourFile(
  uid: string,
  photometric: string,
  planarConfiguration: number,
  samples: Uint8Array,
): Buffer {
  return minimalImage(uid, [
    { tag: '00280002', vr: 'US', value: us(3) },
    { tag: '00280004', vr: 'CS', value: photometric },
    { tag: '00280006', vr: 'US', value: us(planarConfiguration) },
    { tag: '00280010', vr: 'US', value: us(100) },
    { tag: '00280011', vr: 'US', value: us(100) },
    { tag: '00280100', vr: 'US', value: us(8) },
    { tag: '00280101', vr: 'US', value: us(8) },
    { tag: '7FE00010', vr: 'OB', value: samples },
  ]);
}
