/**
 * The SEG reader and its placement on the referenced series, against real SEG objects: the counts
 * it reports are checked against set bits counted here, straight from the files' pixel data.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import dicomParser from 'dicom-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportService } from '../library/import-service';
import { LibraryDb } from '../library/library-db';
import { LibraryStore } from '../library/library-store';
import { hasSharedData, sharedPath } from '../../test-support/shared-data';
import { sopInstanceUid } from '../../test-support/dicom-reference';
import { referenceSeg } from '../../test-support/seg-reference';
import { readSeg } from './seg-reader';
import { placeSegOnGrid } from './seg-grid';
import { buildSegmentationOverlay, seriesGrid } from './seg-overlay';
import { dicomLabToRgb } from './cielab';

const SEG_DIR = 'dicom/seg';

function setBitsPerFrame(path: string): number[] {
  return referenceSeg(path).frames.map((frame) => frame.setBits);
}

function referencedUids(path: string): string[] {
  return referenceSeg(path).frames.map((frame) => frame.sourceUid);
}

describe('CIELab to sRGB', () => {
  it('converts the DICOM scaled values', () => {
    // L* 100, a* = b* = 0 is the white point.
    expect(dicomLabToRgb([65535, 32896, 32896])).toEqual([255, 255, 255]);
    expect(dicomLabToRgb([0, 32896, 32896])).toEqual([0, 0, 0]);
    // 3D Slicer's liver colour (221, 130, 101) is what dcmqi wrote as CIELab 41661\41167\40792.
    const liver = dicomLabToRgb([41661, 41167, 40792]);
    [221, 130, 101].forEach((v, i) => expect(Math.abs(liver[i]! - v)).toBeLessThanOrEqual(1));
  });
});

describe.skipIf(!hasSharedData)('DICOM SEG reader', () => {
  it('reads segments, labels and bit-packed frames', async () => {
    const path = sharedPath(SEG_DIR, 'dcmqi_partial_overlaps_seg.dcm');
    const seg = await readSeg(path);
    expect(seg.type).toBe('BINARY');
    expect(seg.segments.map((s) => s.label)).toEqual([
      'GREEN',
      'ORANGE',
      'PURPLE',
      'LIGHT_BLUE',
      'DARK_BLUE',
    ]);
    const expected = setBitsPerFrame(path);
    expect(expected.some((n) => n > 0)).toBe(true);
    seg.frames.forEach((_, f) => expect(seg.frameMask(f).reduce((a, b) => a + b, 0)).toBe(expected[f]));
  });

  it('reads frames that do not start on a byte boundary', async () => {
    const path = sharedPath(SEG_DIR, 'pydicom_data', 'liver_nonbyte_aligned.dcm');
    const seg = await readSeg(path);
    expect((510 * 510) % 8).not.toBe(0);
    const expected = setBitsPerFrame(path);
    seg.frames.forEach((_, f) => expect(seg.frameMask(f).reduce((a, b) => a + b, 0)).toBe(expected[f]));
  });

  it('decodes RLE and deflated frames to the same masks as the native file', async () => {
    const native = await readSeg(sharedPath(SEG_DIR, 'dcmqi_liver_seg.dcm'));
    for (const name of ['liver_rle.dcm', 'liver_deflate.dcm']) {
      const encoded = await readSeg(sharedPath(SEG_DIR, 'pydicom_data', name));
      expect(encoded.frames.length).toBe(3);
      native.frames.forEach((_, f) =>
        expect(Buffer.from(encoded.frameMask(f)).equals(Buffer.from(native.frameMask(f)))).toBe(true),
      );
    }
  });

  it('says JPEG 2000 frames cannot be decoded, instead of showing nothing', async () => {
    await expect(readSeg(sharedPath(SEG_DIR, 'pydicom_data', 'liver_j2k.dcm'))).rejects.toThrow(/JPEG/);
  });

  it('thresholds FRACTIONAL frames at half the Maximum Fractional Value', async () => {
    const path = sharedPath(SEG_DIR, 'highdicom', 'seg_image_ct_true_fractional.dcm');
    const seg = await readSeg(path);
    expect(seg.type).toBe('FRACTIONAL');
    const ds = dicomParser.parseDicom(new Uint8Array(readFileSync(path)));
    const max = ds.uint16('x0062000e')!;
    const pixels = ds.elements.x7fe00010!;
    const n = seg.rows * seg.columns;
    seg.frames.forEach((_, f) => {
      let expected = 0;
      for (let p = 0; p < n; p++) if (ds.byteArray[pixels.dataOffset + f * n + p]! >= max / 2) expected++;
      expect(seg.frameMask(f).reduce((a, b) => a + b, 0)).toBe(expected);
    });
  });

  it('keeps overlapping segments apart in layers', async () => {
    const seg = await readSeg(sharedPath(SEG_DIR, 'highdicom', 'seg_image_ct_binary_overlap.dcm'));
    const slices = Array.from({ length: 4 }, (_, k) => ({
      sopInstanceUid: `x${k}`,
      frame: 1,
      position: null,
    }));
    // Place by source image: give the grid the UIDs the frames name, in the order they first appear.
    const uids = [...new Set(seg.frames.map((f) => f.referencedSopInstanceUid!))];
    const grid = {
      columns: 16,
      rows: 16,
      orientation: null,
      slices: uids.map((u) => ({ ...slices[0]!, sopInstanceUid: u })),
    };
    const placed = placeSegOnGrid(seg, grid);
    expect(placed.unplacedFrames).toBe(0);
    const layersUsed = new Set(placed.segments.map((s) => s.layer));
    expect(placed.segments.length).toBe(2);
    // Both segments keep every voxel of their own frames.
    const perSegment = [0, 0];
    seg.frames.forEach(
      (frame, f) => (perSegment[frame.segmentNumber! - 1]! += seg.frameMask(f).reduce((a, b) => a + b, 0)),
    );
    expect(placed.segments.map((s) => s.voxels)).toEqual(perSegment);
    const overlap = (() => {
      const a = new Set<string>();
      let both = 0;
      seg.frames.forEach((frame, f) => {
        const mask = seg.frameMask(f);
        mask.forEach((bit, p) => {
          if (!bit) return;
          const key = `${frame.referencedSopInstanceUid}:${p}`;
          if (frame.segmentNumber === 1) a.add(key);
          else if (a.has(key)) both++;
        });
      });
      return both;
    })();
    expect(overlap).toBeGreaterThan(0);
    expect(layersUsed.size).toBe(2);
  });
});

describe.skipIf(!hasSharedData)('SEG overlay on the library series', () => {
  let db: LibraryDb;
  let library: LibraryStore;

  beforeAll(async () => {
    db = new LibraryDb(join(mkdtempSync(join(tmpdir(), 'lumen-seg-')), 'library.sqlite'));
    library = new LibraryStore(db);
    const report = await new ImportService(db, library).importPaths([
      sharedPath(SEG_DIR, 'dcmqi_24x38x3'),
      sharedPath('dicom/ct_series/dcmqi_ct_3slice_liver'),
      sharedPath(SEG_DIR, 'dcmqi_liver_seg.dcm'),
    ]);
    expect(report.failures).toEqual([]);
  });
  afterAll(() => db.close());

  function seriesPair(segFile: string): { segSeriesId: number; seriesId: number } {
    const all = library.listStudies().flatMap((study) => library.listSeries(study.studyInstanceUid));
    const segSop = sopInstanceUid(segFile);
    const seg = all.find(
      (s) => s.kind === 'seg' && library.listInstances(s.seriesId).some((i) => i.sopInstanceUid === segSop),
    )!;
    const image = all.find((s) => s.kind === 'image' && s.seriesInstanceUid === seg.referencedSeriesUid)!;
    expect(image).toBeDefined();
    return { segSeriesId: seg.seriesId, seriesId: image.seriesId };
  }

  for (const [name, file, label] of [
    ['dcmqi_24x38x3', 'dcmqi_24x38x3/label_seg.dcm', 'Liver'],
    ['dcmqi liver', 'dcmqi_liver_seg.dcm', 'Liver'],
  ] as const) {
    it(`places every frame of ${name} on the CT slice it was drawn on`, async () => {
      const path = sharedPath(SEG_DIR, file);
      const { segSeriesId, seriesId } = seriesPair(path);
      const overlay = await buildSegmentationOverlay(library, segSeriesId, seriesId);
      expect(overlay.segments.map((s) => s.label)).toEqual([label]);
      expect(overlay.slices).toBe(3);
      expect(overlay.unplacedFrames).toBe(0);
      const labels = new Uint8Array(inflateSync(Buffer.from(overlay.layers[0]!, 'base64')));
      const n = overlay.columns * overlay.rows;
      expect(labels.length).toBe(n * overlay.slices);
      // The slice of each frame is the CT instance its source image UID names, in display order.
      const grid = seriesGrid(library, seriesId);
      const bits = setBitsPerFrame(path);
      const perSlice = new Array<number>(overlay.slices).fill(0);
      referencedUids(path).forEach((uid, f) => {
        const k = grid.slices.findIndex((s) => s.sopInstanceUid === uid);
        expect(k).toBeGreaterThanOrEqual(0);
        perSlice[k]! += bits[f]!;
      });
      for (let k = 0; k < overlay.slices; k++) {
        let count = 0;
        for (let p = 0; p < n; p++) if (labels[k * n + p] === 1) count++;
        expect(count).toBe(perSlice[k]);
      }
      expect(overlay.segments[0]!.voxels).toBe(bits.reduce((a, b) => a + b, 0));
      expect(overlay.segments[0]!.voxels).toBeGreaterThan(0);
    });
  }

  it('places frames by Image Position (Patient) when they name no source image', async () => {
    const path = sharedPath(SEG_DIR, 'dcmqi_24x38x3', 'label_seg.dcm');
    const { seriesId } = seriesPair(path);
    const seg = await readSeg(path);
    const grid = seriesGrid(library, seriesId);
    const byUid = placeSegOnGrid(seg, grid);
    const byPosition = placeSegOnGrid(
      { ...seg, frames: seg.frames.map((f) => ({ ...f, referencedSopInstanceUid: null })) },
      grid,
    );
    expect(byPosition.unplacedFrames).toBe(0);
    expect(byPosition.layers[0]).toEqual(byUid.layers[0]);
  });
});
