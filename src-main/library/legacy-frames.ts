/**
 * Where the frames of a multi-frame image without per-frame functional groups lie (legacy CT/MR
 * multi-frame, NM tomography, RT dose grids): the classic attributes place one plane (Image
 * Position and Orientation, at the top level or, for NM, in the Detector Information Sequence), and
 * the frames step along its normal by the Grid Frame Offset Vector (3004,000C), the NM Slice Vector
 * (0054,0080) times the slice spacing, or frame by frame by Spacing Between Slices (else Slice
 * Thickness). Frames that vary over something else (time, energy window, detector, projection
 * angle) are not one volume, and are refused with the reason.
 */
import type { DataSet } from 'dicom-parser';
import { cross, type Vec3 } from '../../src-shared/geometry';
import { firstItem, numbers } from './dicom-header';
import { Tag } from './dicom-tags';
import type { FrameGroups } from './functional-groups';

export class LegacyFramesError extends Error {}

/** What a frame-increment attribute that is not a slice position says the frames are. */
const NOT_SLICES: Readonly<Record<string, string>> = {
  x00181063: 'times of a cine run (Frame Time)',
  x00181065: 'times of a cine run (Frame Time Vector)',
  x00540050:
    'projections at several angles (Rotation Vector): a tomographic acquisition, not reconstructed slices',
};

/** NM frame-increment vectors that must hold one value across the frames for them to be one volume. */
const NM_DIMENSIONS: Readonly<Record<string, string>> = {
  x00540010: 'energy windows',
  x00540020: 'detectors',
  x00540030: 'phases',
  x00540060: 'R-R intervals',
  x00540070: 'time slots',
  x00540100: 'time slices',
};

/** The tags Frame Increment Pointer (0028,0009) names, as dicom-parser keys ('xggggeeee'). */
function frameIncrementTags(ds: DataSet): string[] {
  const element = ds.elements[Tag.FrameIncrementPointer];
  if (!element) return [];
  const hex = (n: number): string => n.toString(16).padStart(4, '0');
  return Array.from({ length: Math.floor(element.length / 4) }, (_, n) => {
    const group = ds.uint16(Tag.FrameIncrementPointer, n * 2) ?? 0;
    const elementNumber = ds.uint16(Tag.FrameIncrementPointer, n * 2 + 1) ?? 0;
    return `x${hex(group)}${hex(elementNumber)}`;
  });
}

/** A US-valued vector attribute (the NM vectors), one value per frame; null when absent. */
function unsignedVector(ds: DataSet, tag: string): number[] | null {
  const element = ds.elements[tag];
  if (!element) return null;
  return Array.from({ length: Math.floor(element.length / 2) }, (_, n) => ds.uint16(tag, n) ?? 0);
}

/** A decimal attribute with every value it holds; null unless all are finite. */
function allNumbers(ds: DataSet, tag: string): number[] | null {
  const count = ds.string(tag)?.split('\\').length ?? 0;
  return count === 0 ? null : numbers(ds, tag, count);
}

/** The spacing of consecutive slices: Spacing Between Slices, else Slice Thickness (contiguous slices). */
function sliceSpacing(ds: DataSet): number {
  const spacing = numbers(ds, Tag.SpacingBetweenSlices, 1)?.[0] ?? numbers(ds, Tag.SliceThickness, 1)?.[0];
  if (spacing === undefined)
    throw new LegacyFramesError(
      'the frames have no Spacing Between Slices or Slice Thickness: their distance apart is unknown',
    );
  if (!(spacing > 0)) throw new LegacyFramesError(`the frames are ${spacing} mm apart: not a volume`);
  return spacing;
}

/** Throws where the Frame Increment Pointer says the frames vary over something other than position. */
function checkFramesAreSlices(ds: DataSet): void {
  const increments = frameIncrementTags(ds);
  for (const tag of increments) {
    const what = NOT_SLICES[tag];
    if (what) throw new LegacyFramesError(`the frames are ${what}, not slices of a volume`);
  }
  for (const [tag, what] of Object.entries(NM_DIMENSIONS)) {
    const vector = increments.includes(tag) ? unsignedVector(ds, tag) : null;
    if (vector && new Set(vector).size > 1)
      throw new LegacyFramesError(`the frames span ${new Set(vector).size} ${what}: they are not one volume`);
  }
}

/** How far along the normal each frame lies from the first plane (mm), by what the data set gives. */
function frameOffsets(ds: DataSet, frameCount: number, origin: Vec3, normal: Vec3): number[] {
  const gridOffsets = allNumbers(ds, Tag.GridFrameOffsetVector);
  if (gridOffsets) {
    if (gridOffsets.length !== frameCount)
      throw new LegacyFramesError(
        `the Grid Frame Offset Vector has ${gridOffsets.length} offsets for ${frameCount} frames`,
      );
    // Relative offsets start at 0; absolute ones (axial grids) are coordinates along the normal,
    // the first of which is the first frame's own.
    const first = gridOffsets[0]!;
    const along = origin[0] * normal[0] + origin[1] * normal[1] + origin[2] * normal[2];
    if (first !== 0 && Math.abs(first - along) > 1e-3)
      throw new LegacyFramesError(
        'the Grid Frame Offset Vector neither starts at 0 nor at the first frame’s position',
      );
    return gridOffsets.map((offset) => offset - first);
  }
  const sliceVector = unsignedVector(ds, Tag.SliceVector);
  if (sliceVector) {
    if (sliceVector.length !== frameCount)
      throw new LegacyFramesError(
        `the Slice Vector has ${sliceVector.length} values for ${frameCount} frames`,
      );
    const spacing = sliceSpacing(ds);
    return sliceVector.map((slice) => (slice - 1) * spacing);
  }
  const spacing = sliceSpacing(ds);
  return Array.from({ length: frameCount }, (_, frame) => frame * spacing);
}

/**
 * Each frame's groups with its plane: `groups` (from framesGroups: the rescale, read from the top
 * level) with the position, orientation and pixel spacing the classic attributes give. Throws
 * LegacyFramesError saying what is missing or why the frames are not one volume.
 */
export function placeLegacyFrames(ds: DataSet, groups: readonly FrameGroups[]): FrameGroups[] {
  checkFramesAreSlices(ds);
  // NM keeps its plane in the Detector Information Sequence (one item for reconstructed slices).
  const detector = firstItem(ds, Tag.DetectorInformationSequence);
  const plane = (tag: string, count: number): number[] | null =>
    numbers(ds, tag, count) ?? (detector ? numbers(detector, tag, count) : null);
  const origin = plane(Tag.ImagePositionPatient, 3) as Vec3 | null;
  const orientation = plane(Tag.ImageOrientationPatient, 6);
  const pixelSpacing = numbers(ds, Tag.PixelSpacing, 2) as [number, number] | null;
  const missing = [
    origin ? '' : 'Image Position (Patient)',
    orientation ? '' : 'Image Orientation (Patient)',
    pixelSpacing ? '' : 'Pixel Spacing',
  ].filter(Boolean);
  if (!origin || !orientation || !pixelSpacing)
    throw new LegacyFramesError(
      `the multi-frame image has no ${missing.join(', ')}: its frames cannot be placed`,
    );
  const rawNormal = cross(
    [orientation[0]!, orientation[1]!, orientation[2]!],
    [orientation[3]!, orientation[4]!, orientation[5]!],
  );
  const length = Math.hypot(...rawNormal);
  if (!(length > 0.5)) throw new LegacyFramesError('the Image Orientation (Patient) is not two directions');
  const normal: Vec3 = [rawNormal[0] / length, rawNormal[1] / length, rawNormal[2] / length];
  const offsets = frameOffsets(ds, groups.length, origin, normal);
  return groups.map((group, frame) => {
    const offset = offsets[frame]!;
    return {
      ...group,
      position: [
        origin[0] + offset * normal[0],
        origin[1] + offset * normal[1],
        origin[2] + offset * normal[2],
      ],
      orientation,
      pixelSpacing,
    };
  });
}
