import type { Types } from '@cornerstonejs/core';
import { Enums as ToolEnums, segmentation } from '@cornerstonejs/tools';
import type { LabelInfo } from '../../src-shared/api';
import type { SegmentStyle } from '../state/segmentationStore';

const LABELMAP = ToolEnums.SegmentationRepresentations.Labelmap;

/** Colour table indexed by label value; background and unknown values stay transparent. */
function colorTableFor(labels: readonly LabelInfo[]): Types.ColorLUT {
  const size = Math.max(1, ...labels.map((l) => l.value + 1));
  const table: Types.ColorLUT = Array.from({ length: size }, () => [0, 0, 0, 0]);
  for (const { value, color } of labels) {
    if (value > 0 && value < 256) table[value] = [color[0], color[1], color[2], 255];
  }
  return table;
}

/** A labelmap on the series grid: an AI result's, or one layer of a DICOM SEG. */
export interface LabelmapSource {
  /** Unique per source, e.g. `result-12` or `seg-4-layer-0`. */
  readonly id: string;
  readonly title: string;
  readonly columns: number;
  readonly rows: number;
  readonly slices: number;
  readonly labels: readonly LabelInfo[];
  /** One byte per voxel, slice after slice in the series' display (stack) order. */
  readonly bytes: Uint8Array;
}

/**
 * One labelmap segmentation drawn on a set of Cornerstone viewports (one stack viewport, or the
 * MPR views), with an overall opacity and visibility and each label value's own colour,
 * visibility and opacity. Subclasses say how the labels get onto their viewports' grid.
 */
export abstract class StyledLabelmap {
  private segmentationId: string | null = null;
  private visible = true;
  private opacity = 0.5;
  private segmentStyles: ReadonlyMap<number, SegmentStyle> = new Map();

  constructor(protected readonly viewportIds: readonly string[]) {}

  /** The Cornerstone segmentation drawn now; null when none. */
  protected get drawnSegmentationId(): string | null {
    return this.segmentationId;
  }

  /** Registers the segmentation and draws it on every viewport, in the current style. */
  protected attach(
    segmentationId: string,
    source: LabelmapSource,
    data: { imageIds: string[] } | { volumeId: string },
  ): void {
    const segments: Record<number, { label: string }> = {};
    for (const label of source.labels) if (label.value > 0) segments[label.value] = { label: label.name };
    segmentation.addSegmentations([
      { segmentationId, representation: { type: LABELMAP, data }, config: { label: source.title, segments } },
    ]);
    const config = { colorLUTOrIndex: colorTableFor(source.labels) };
    for (const viewportId of this.viewportIds)
      segmentation.addLabelmapRepresentationToViewport(viewportId, [{ segmentationId, config }]);
    this.segmentationId = segmentationId;
    this.applyStyle();
  }

  /** Takes the segmentation off every viewport and forgets it. */
  protected detach(): void {
    const segmentationId = this.segmentationId;
    if (!segmentationId) return;
    for (const viewportId of this.viewportIds)
      segmentation.removeSegmentationRepresentations(viewportId, { segmentationId });
    segmentation.removeSegmentation(segmentationId);
    this.segmentationId = null;
  }

  setOpacity(opacity: number): void {
    this.opacity = opacity;
    this.applyStyle();
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    this.applyStyle();
  }

  /** Per label value: colour, visibility and opacity (multiplied by the overall opacity). */
  setSegmentStyles(styles: ReadonlyMap<number, SegmentStyle>): void {
    this.segmentStyles = styles;
    this.applyStyle();
  }

  private applyStyle(): void {
    const segmentationId = this.segmentationId;
    if (!segmentationId) return;
    const representation = { segmentationId, type: LABELMAP };
    for (const viewportId of this.viewportIds) {
      const specifier = { type: LABELMAP, viewportId, segmentationId };
      // Inactive too: the overlay is read-only, whether Cornerstone calls it active is irrelevant here.
      segmentation.config.style.setStyle(specifier, {
        fillAlpha: this.opacity,
        fillAlphaInactive: this.opacity,
        renderOutline: false,
        renderOutlineInactive: false,
      });
      // First the whole overlay: Cornerstone resets every segment's visibility with it.
      segmentation.config.visibility.setSegmentationRepresentationVisibility(
        viewportId,
        representation,
        this.visible,
      );
      for (const [value, style] of this.segmentStyles) {
        const alpha = this.opacity * style.opacity;
        segmentation.config.style.setStyle(
          { ...specifier, segmentIndex: value },
          { fillAlpha: alpha, fillAlphaInactive: alpha },
        );
        segmentation.config.color.setSegmentIndexColor(viewportId, segmentationId, value, [
          ...style.color,
          255,
        ]);
        segmentation.config.visibility.setSegmentIndexVisibility(
          viewportId,
          representation,
          value,
          this.visible && style.visible,
        );
      }
    }
  }

  get shown(): boolean {
    return this.segmentationId !== null && this.visible;
  }

  /** Cancels a show still under way, then removes what is shown and frees its data. */
  abstract clear(): void;

  /** Non-zero voxels in the labelmap now on screen. */
  abstract nonZeroCount(): number;
}

/** Non-zero entries of a labelmap's voxels. */
export function countNonZero(data: ArrayLike<number> | undefined): number {
  let count = 0;
  if (data) for (let i = 0; i < data.length; i++) if (data[i] !== 0) count++;
  return count;
}
