/** Builds the overlay of a SEG series on an image series it references, for the viewer. */
import { deflateSync } from 'node:zlib';
import type { SegmentationOverlay, SegmentInfo } from '../../src-shared/api';
import type { LibraryStore } from '../library/library-store';
import { placeSegOnGrid, type GridSlice, type TargetGrid } from './seg-grid';
import { readSeg, SegReadError } from './seg-reader';

/** Colours for segments that carry no Recommended Display CIELab Value. */
const DEFAULT_COLORS: ReadonlyArray<readonly [number, number, number]> = [
  [230, 25, 75],
  [60, 180, 75],
  [255, 225, 25],
  [0, 130, 200],
  [245, 130, 48],
  [145, 30, 180],
  [70, 240, 240],
  [240, 50, 230],
];

/** The image series as the viewer stacks it: instances in display order, each frame a slice, missing files left out. */
export function seriesGrid(library: LibraryStore, seriesId: number): TargetGrid {
  const refs = library.listInstances(seriesId);
  const stored = library.seriesInstances(seriesId);
  const slices: GridSlice[] = [];
  let first: (typeof stored)[number] | undefined;
  refs.forEach((ref, i) => {
    const instance = stored[i];
    if (ref.missing || !instance || instance.id !== ref.instanceId) return;
    first ??= instance;
    for (let frame = 1; frame <= Math.max(1, ref.frames); frame++) {
      // Frame positions of multi-frame images are not needed: their SEG frames name the source frame.
      slices.push({
        sopInstanceUid: ref.sopInstanceUid,
        frame,
        position: ref.frames <= 1 ? instance.position : null,
      });
    }
  });
  if (!first) throw new SegReadError('the series has no images on disk');
  return { columns: first.columns, rows: first.rows, slices, orientation: first.orientation };
}

export async function buildSegmentationOverlay(
  library: LibraryStore,
  segSeriesId: number,
  seriesId: number,
): Promise<SegmentationOverlay> {
  const segInfo = library.seriesInfo(segSeriesId);
  if (!segInfo) throw new SegReadError(`no series ${segSeriesId}`);
  const [segFile, ...others] = library.seriesInstances(segSeriesId);
  if (!segFile) throw new SegReadError('the segmentation series has no file');
  if (others.length > 0)
    throw new SegReadError('segmentation series of several objects are not supported yet');
  const grid = seriesGrid(library, seriesId);
  const seg = await readSeg(segFile.path);
  const placed = placeSegOnGrid(seg, grid);
  if (placed.unplacedFrames === seg.frames.length) {
    throw new SegReadError('none of the segmentation frames lies on a slice of this series');
  }
  const segments: SegmentInfo[] = placed.segments.map((p, i) => {
    const s = seg.segments[i]!;
    return {
      value: p.value,
      layer: p.layer,
      segmentNumber: s.number,
      label: s.label,
      color: s.color ?? DEFAULT_COLORS[i % DEFAULT_COLORS.length]!,
      voxels: p.voxels,
    };
  });
  return {
    segSeriesId,
    seriesId,
    columns: grid.columns,
    rows: grid.rows,
    slices: grid.slices.length,
    segments,
    layers: placed.layers.map((labels) => deflateSync(labels, { level: 1 }).toString('base64')),
    unplacedFrames: placed.unplacedFrames,
  };
}
