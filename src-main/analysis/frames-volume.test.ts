/**
 * An enhanced multi-frame image read as a volume for analysis: frames placed and ordered by their
 * Plane Position along the normal, each rescaled by its own Pixel Value Transformation. Expected
 * values come from the source slices' own bytes and the rescale the test wrote, not from the code
 * under test; and the real enhanced CT (CT0012) gives the same values in every lossless encoding.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyAffine, cross, dot, type Vec3 } from '../../src-shared/geometry';
import { parseFile } from '../../test-support/dicom-reference';
import { writeEnhancedCt, type FrameRescale } from '../../test-support/enhanced-ct-writer';
import { hasSharedData, sharedPath } from '../../test-support/shared-data';
import { importedSeries } from '../../test-support/imported-series';
import { pixelsSha256 } from './input-identity';
import { analysisGrid, buildSeriesVolume, reorderSlices, VolumeBuildError } from './series-volume';

const CT_DIR = 'dicom/ct_series/lung_pet_ct_dx_A0002_chest_8mm';
const CT0012 = 'dicom/transfer_syntax/enhanced_ct_CT0012_2frames';

interface SourceSlice {
  readonly path: string;
  readonly position: Vec3;
  readonly spacing: readonly number[];
  /** Stored values (uint16 little endian, as these slices hold them). */
  readonly stored: Uint16Array;
}

function sourceSlice(path: string): SourceSlice {
  const ds = parseFile(path);
  const pixels = ds.elements['x7fe00010']!;
  const rows = ds.uint16('x00280010')!;
  const columns = ds.uint16('x00280011')!;
  const bytes = ds.byteArray.slice(pixels.dataOffset, pixels.dataOffset + rows * columns * 2);
  return {
    path,
    position: (ds.string('x00200032') ?? '').split('\\').map(Number) as unknown as Vec3,
    spacing: (ds.string('x00280030') ?? '').split('\\').map(Number),
    stored: new Uint16Array(bytes.buffer, bytes.byteOffset, rows * columns),
  };
}

describe.skipIf(!hasSharedData)('an enhanced multi-frame image as an analysis volume', () => {
  // Six consecutive axial slices of a real CT (8 mm apart), written as frames in shuffled order.
  const dir = sharedPath(CT_DIR);
  const all = readdirSync(dir).map((name) => sourceSlice(join(dir, name)));
  all.sort((a, b) => a.position[2] - b.position[2]);
  const slices = all.slice(10, 16);
  const frameOrder = [3, 0, 5, 1, 4, 2];
  const rescale: FrameRescale[] = [
    { slope: '1', intercept: '-1024' },
    { slope: '2', intercept: '-2000' },
    { slope: '0.5', intercept: '100.25' },
    { slope: '1.25', intercept: '-1500' },
    { slope: '1', intercept: '0' },
    { slope: '3', intercept: '-3000.5' },
  ];

  it('orders the frames along the normal and applies each frame’s own rescale', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'lumen-enhanced-')), 'enhanced.dcm');
    const frames = frameOrder.map((k) => slices[k]!);
    writeEnhancedCt(
      frames.map((slice) => slice.path),
      file,
      '1.2.826.0.1.3680043.10.1392.21',
      { rescale },
    );
    const [[instance, ...more] = []] = await importedSeries([file]);
    expect(more).toEqual([]);
    expect(instance!.frames).toBe(6);
    const volume = await buildSeriesVolume([instance!]);

    expect(volume.dims).toEqual([512, 512, 6]);
    const [rowSpacing, columnSpacing] = slices[0]!.spacing;
    for (let k = 0; k < 6; k++) {
      // Slice k of the volume is source slice k (ascending z: the normal of 1\0\0\0\1\0 is +z) ...
      const at = applyAffine(volume.affine, [0, 0, k]);
      slices[k]!.position.forEach((value, axis) => expect(at[axis]).toBeCloseTo(value, 3));
      // ... rescaled by the frame it was written as.
      const { slope, intercept } = rescale[frameOrder.indexOf(k)]!;
      for (const [i, j] of [
        [256, 256],
        [100, 300],
        [400, 120],
      ] as const) {
        const expected = slices[k]!.stored[j * 512 + i]! * Number(slope) + Number(intercept);
        expect(volume.data[(k * 512 + j) * 512 + i], `voxel ${i},${j},${k}`).toBeCloseTo(expected, 3);
      }
    }
    // Volume slice k shows in the stack as the frame it was written as; the headers alone say so too.
    expect(volume.displayIndex).toEqual([0, 1, 2, 3, 4, 5].map((k) => frameOrder.indexOf(k)));
    expect(await analysisGrid([instance!])).toEqual({
      affine: volume.affine,
      displayIndex: volume.displayIndex,
    });
    // A labelmap of slice numbers, put in display order: display slice d holds volume slice frameOrder[d].
    const labels = Uint8Array.from({ length: 6 * 4 }, (_, v) => Math.floor(v / 4));
    const shown = reorderSlices(labels, 4, volume.displayIndex, 'display');
    expect(Array.from(shown.filter((_, v) => v % 4 === 0))).toEqual(frameOrder);
    expect(reorderSlices(shown, 4, volume.displayIndex, 'volume')).toEqual(labels);
    const step = applyAffine(volume.affine, [1, 1, 0]);
    expect(step[0] - slices[0]!.position[0]).toBeCloseTo(columnSpacing!, 5);
    expect(step[1] - slices[0]!.position[1]).toBeCloseTo(rowSpacing!, 5);
  });

  it('gives the same pixels, and so the same input hash, as the single-frame slices it was made from', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'lumen-enhanced-')), 'enhanced.dcm');
    // The writer keeps the slices' own rescale (shared functional group): equal modality values.
    writeEnhancedCt(
      [...slices].reverse().map((slice) => slice.path),
      file,
      '1.2.826.0.1.3680043.10.1392.22',
    );
    const [[enhanced] = []] = await importedSeries([file]);
    const [singles = []] = await importedSeries(slices.map((slice) => slice.path));
    expect(singles).toHaveLength(6);
    const fromFrames = await buildSeriesVolume([enhanced!]);
    const fromSlices = await buildSeriesVolume(singles);
    expect(fromFrames.dims).toEqual(fromSlices.dims);
    fromFrames.affine.forEach((value, n) => expect(value).toBeCloseTo(fromSlices.affine[n]!, 6));
    expect(pixelsSha256({}, fromFrames.data)).toBe(pixelsSha256({}, fromSlices.data));
  });

  it('refuses frames that share one plane, and frames unevenly spaced, saying so', async () => {
    const out = mkdtempSync(join(tmpdir(), 'lumen-enhanced-'));
    const twice = join(out, 'twice.dcm');
    writeEnhancedCt(
      [slices[0]!.path, slices[0]!.path, slices[1]!.path],
      twice,
      '1.2.826.0.1.3680043.10.1392.23',
    );
    const gap = join(out, 'gap.dcm');
    writeEnhancedCt(
      [slices[0]!.path, slices[1]!.path, slices[3]!.path],
      gap,
      '1.2.826.0.1.3680043.10.1392.24',
    );
    const [[a] = [], [b] = []] = await importedSeries([twice, gap]);
    const reasons = await Promise.all(
      [a!, b!].map((instance) =>
        buildSeriesVolume([instance]).then(
          () => '',
          (error: Error) => error,
        ),
      ),
    );
    expect(reasons.every((reason) => reason instanceof VolumeBuildError)).toBe(true);
    expect(reasons.map((reason) => (reason as Error).message).sort()).toEqual([
      'several frames lie on one plane (phases or times of one slice): they are not one volume',
      'the frames are not evenly spaced along the slice normal',
    ]);
  });

  it('reads the real enhanced CT (CT0012) with its shared rescale, equal in every lossless encoding', async () => {
    const name = (syntax: string): string => join(sharedPath(CT0012), syntax);
    const files = [
      'CT0012.not_fragmented_bot_rle.dcm',
      'CT0012.fragmented_no_bot_jpeg_lossless.57.dcm',
      'CT0012.fragmented_no_bot_jpeg_lossless.70.dcm',
      'CT0012.fragmented_no_bot_jpeg_ls.80.dcm',
    ];
    // One SOP instance UID in every copy: one library each.
    const volumes = [];
    for (const file of files) {
      const [[instance] = []] = await importedSeries([name(file)]);
      expect(instance!.frames, file).toBe(2);
      // The library's header reads the shared group's rescale where the top level has none.
      expect([instance!.rescaleSlope, instance!.rescaleIntercept], file).toEqual([1, -1024]);
      volumes.push(await buildSeriesVolume([instance!]));
    }
    const [rle] = volumes;
    expect(rle!.dims).toEqual([512, 512, 2]);
    // Frame 2 lies at z = -149, frame 1 at -159; the normal of -1\0\0\0\1\0 is -z, so frame 2 comes first.
    const ds = parseFile(name(files[0]!));
    const perFrame = ds.elements['x52009230']!.items!;
    const z = perFrame.map((item) =>
      Number(
        (item.dataSet!.elements['x00209113']!.items![0]!.dataSet!.string('x00200032') ?? '').split('\\')[2],
      ),
    );
    const orientation = [-1, 0, 0, 0, 1, 0] as const;
    const normal = cross(
      [orientation[0], orientation[1], orientation[2]],
      [orientation[3], orientation[4], orientation[5]],
    );
    expect(dot([0, 0, z[1]!], normal)).toBeLessThan(dot([0, 0, z[0]!], normal));
    expect(applyAffine(rle!.affine, [0, 0, 0])).toEqual([99.5, -301.5, z[1]]);
    expect(applyAffine(rle!.affine, [0, 0, 1])[2]).toBeCloseTo(z[0]!, 4);
    expect(applyAffine(rle!.affine, [1, 1, 0])[0]).toBeCloseTo(99.5 - 0.388672, 5);
    // The file has no top-level rescale; its shared Pixel Value Transformation says -1024: stored
    // 0 (outside the reconstruction circle) is -1024, and nothing is below it (unsigned, slope 1).
    let min = Infinity;
    for (const value of rle!.data) min = Math.min(min, value);
    expect(min).toBe(-1024);
    expect(rle!.data[0]).toBe(-1024);
    for (const [n, volume] of volumes.entries())
      expect(pixelsSha256({}, volume.data), files[n]).toBe(pixelsSha256({}, rle!.data));
  });
});
