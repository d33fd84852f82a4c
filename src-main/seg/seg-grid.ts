/**
 * Places a segmentation's frames on the slices of the series it was drawn on, and packs its
 * segments into labelmaps of one byte per voxel (the form of an AI result's labelmap).
 *
 * Overlapping segments stay apart by layering: each segment goes into the first layer where it
 * overlaps no segment already there; a SEG without overlaps is one layer.
 */
import { cross, dot, type Vec3 } from '../../src-shared/geometry';
import type { SegObject } from './seg-reader';
import { SegReadError } from './seg-reader';

/** One slice of the referenced series, in display order. */
export interface GridSlice {
  readonly sopInstanceUid: string;
  /** 1-based frame of a multi-frame instance (1 for single-frame images). */
  readonly frame: number;
  readonly position: Vec3 | null;
}

export interface TargetGrid {
  readonly columns: number;
  readonly rows: number;
  readonly slices: readonly GridSlice[];
  readonly orientation: readonly number[] | null;
}

export interface PlacedSegment {
  /** Index of the segment in the SEG's Segment Sequence order, 1-based: its value in its layer. */
  readonly value: number;
  readonly layer: number;
  readonly voxels: number;
}

export interface PlacedSeg {
  readonly segments: readonly PlacedSegment[];
  /** One byte per voxel, slice after slice in the grid's display order; 0 is background. */
  readonly layers: readonly Uint8Array[];
  /** Frames that matched no slice of the grid (drawn on another series, or outside it). */
  readonly unplacedFrames: number;
}

function sliceNormal(orientation: readonly number[] | null): Vec3 | null {
  if (!orientation || orientation.length !== 6) return null;
  const o = orientation;
  return cross([o[0]!, o[1]!, o[2]!], [o[3]!, o[4]!, o[5]!]);
}

/** Finds the grid slice of each frame: by the source image it names, else by its position along the normal. */
export function mapFramesToSlices(seg: SegObject, grid: TargetGrid): Array<number | null> {
  const byUid = new Map<string, number>();
  grid.slices.forEach((slice, k) => byUid.set(`${slice.sopInstanceUid}#${slice.frame}`, k));
  const normal = sliceNormal(seg.orientation) ?? sliceNormal(grid.orientation);
  const along = normal
    ? grid.slices.map((slice) => (slice.position ? dot(slice.position, normal) : null))
    : [];
  const known = along.filter((d): d is number => d !== null).sort((a, b) => a - b);
  const steps = known.slice(1).map((d, i) => d - known[i]!);
  // Half the smallest slice step; a single slice accepts a frame within a tenth of a millimetre.
  const tolerance = steps.length > 0 ? Math.max(1e-3, Math.min(...steps) / 2) : 0.1;
  return seg.frames.map((frame) => {
    if (frame.referencedSopInstanceUid) {
      const k = byUid.get(`${frame.referencedSopInstanceUid}#${frame.referencedFrame ?? 1}`);
      if (k !== undefined) return k;
    }
    if (!normal || !frame.position) return null;
    const d = dot(frame.position, normal);
    let best: number | null = null;
    along.forEach((value, k) => {
      if (value === null || Math.abs(value - d) > tolerance) return;
      if (best === null || Math.abs(value - d) < Math.abs(along[best]! - d)) best = k;
    });
    return best;
  });
}

function overlaps(mask: Uint8Array, labels: Uint8Array): boolean {
  for (let v = 0; v < mask.length; v++) if (mask[v] !== 0 && labels[v] !== 0) return true;
  return false;
}

export function placeSegOnGrid(seg: SegObject, grid: TargetGrid): PlacedSeg {
  if (seg.rows !== grid.rows || seg.columns !== grid.columns) {
    throw new SegReadError(
      `the segmentation is ${seg.columns}×${seg.rows} per frame but the series is ${grid.columns}×${grid.rows}; resampling is not supported`,
    );
  }
  if (seg.segments.length > 255) throw new SegReadError('more than 255 segments');
  const sliceLength = grid.rows * grid.columns;
  const total = sliceLength * grid.slices.length;
  const indexOfNumber = new Map(seg.segments.map((s, i) => [s.number, i]));
  const masks = seg.segments.map(() => new Uint8Array(total));
  const sliceOf = mapFramesToSlices(seg, grid);
  let unplacedFrames = 0;
  sliceOf.forEach((k, f) => {
    if (k === null) {
      unplacedFrames++;
      return;
    }
    const frameMask = seg.frameMask(f);
    const base = k * sliceLength;
    const number = seg.frames[f]!.segmentNumber;
    if (seg.type === 'LABELMAP') {
      for (let p = 0; p < sliceLength; p++) {
        const index = frameMask[p] ? indexOfNumber.get(frameMask[p]!) : undefined;
        if (index !== undefined) masks[index]![base + p] = 1;
      }
      return;
    }
    const index = number === null ? undefined : indexOfNumber.get(number);
    if (index === undefined) throw new SegReadError(`frame ${f + 1} names no segment of the object`);
    const mask = masks[index]!;
    for (let p = 0; p < sliceLength; p++) if (frameMask[p]) mask[base + p] = 1;
  });

  const layers: Uint8Array[] = [];
  const segments = masks.map((mask, i) => {
    let voxels = 0;
    for (let v = 0; v < total; v++) voxels += mask[v]!;
    let layer = layers.findIndex((labels) => !overlaps(mask, labels));
    if (layer < 0) layer = layers.push(new Uint8Array(total)) - 1;
    const labels = layers[layer]!;
    for (let v = 0; v < total; v++) if (mask[v]) labels[v] = i + 1;
    return { value: i + 1, layer, voxels };
  });
  return { segments, layers, unplacedFrames };
}
