/**
 * The functional groups of an enhanced multi-frame image (PS3.3 C.7.6.16): each frame's plane
 * position, orientation, pixel measures and pixel value transformation, where the per-frame item
 * wins over the shared item, which wins over the top level of the data set (where some writers
 * still put them).
 */
import type { DataSet } from 'dicom-parser';
import type { Vec3 } from '../../src-shared/geometry';
import { firstItem, numbers } from './dicom-header';
import { Tag } from './dicom-tags';

/** What one frame's functional groups say about where its pixels lie and what their values mean. */
export interface FrameGroups {
  readonly position: Vec3 | null;
  readonly orientation: readonly number[] | null;
  /** Row spacing, column spacing (mm). */
  readonly pixelSpacing: readonly [number, number] | null;
  readonly rescaleSlope: number;
  readonly rescaleIntercept: number;
}

/**
 * The item of a functional group macro (`sequenceTag`) that applies to frame `frame` (0-based):
 * the per-frame one, else the shared one.
 */
function functionalGroup(ds: DataSet, sequenceTag: string, frame: number): DataSet | undefined {
  const perFrame = ds.elements[Tag.PerFrameFunctionalGroupsSequence]?.items?.[frame]?.dataSet;
  const shared = firstItem(ds, Tag.SharedFunctionalGroupsSequence);
  return (perFrame && firstItem(perFrame, sequenceTag)) ?? (shared && firstItem(shared, sequenceTag));
}

/** A number attribute of a frame: from its functional group, else the top level. */
function frameNumbers(
  ds: DataSet,
  sequenceTag: string,
  tag: string,
  count: number,
  frame: number,
): number[] | null {
  const group = functionalGroup(ds, sequenceTag, frame);
  return (group && numbers(group, tag, count)) ?? numbers(ds, tag, count);
}

/** Rescale slope and intercept of a frame: identity where none is given, as for single-frame images. */
function frameRescale(ds: DataSet, frame: number): { slope: number; intercept: number } {
  const slope = frameNumbers(ds, Tag.PixelValueTransformationSequence, Tag.RescaleSlope, 1, frame);
  const intercept = frameNumbers(ds, Tag.PixelValueTransformationSequence, Tag.RescaleIntercept, 1, frame);
  // A slope of 0 would flatten the image: treated as absent, as Cornerstone's loader does.
  return { slope: slope?.[0] || 1, intercept: intercept?.[0] ?? 0 };
}

/** Every frame's groups, in frame order (Number of Frames of them). */
export function framesGroups(ds: DataSet, frameCount: number): FrameGroups[] {
  return Array.from({ length: frameCount }, (_, frame) => {
    const { slope, intercept } = frameRescale(ds, frame);
    return {
      position: frameNumbers(
        ds,
        Tag.PlanePositionSequence,
        Tag.ImagePositionPatient,
        3,
        frame,
      ) as Vec3 | null,
      orientation: frameNumbers(ds, Tag.PlaneOrientationSequence, Tag.ImageOrientationPatient, 6, frame),
      pixelSpacing: frameNumbers(ds, Tag.PixelMeasuresSequence, Tag.PixelSpacing, 2, frame) as
        [number, number] | null,
      rescaleSlope: slope,
      rescaleIntercept: intercept,
    };
  });
}
