import { cache, Enums, imageLoader, type Types } from '@cornerstonejs/core';
import { Enums as ToolEnums, segmentation } from '@cornerstonejs/tools';
import type { AnalysisResult, LabelInfo } from '../../src-shared/api';
import type { SegmentStyle } from '../state/segmentationStore';

const LABELMAP = ToolEnums.SegmentationRepresentations.Labelmap;

/** Colour table indexed by label value; background and unknown values stay transparent. */
export function colorTableFor(labels: readonly LabelInfo[]): Types.ColorLUT {
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
  /** One byte per voxel, slice after slice in display order. */
  readonly bytes: Uint8Array;
}

/**
 * A labelmap drawn over a stack viewport as a Cornerstone stack segmentation: one derived 8-bit
 * image per referenced slice, filled from the source's bytes; each label value is a segment index
 * with its own colour, visibility and opacity.
 */
export class LabelmapOverlay {
  private segmentationId: string | null = null;
  private labelmapImageIds: string[] = [];
  private visible = true;
  private opacity = 0.5;
  private generation = 0;
  private segmentStyles: ReadonlyMap<number, SegmentStyle> = new Map();

  constructor(private readonly viewportId: string) {}

  show(referencedImageIds: readonly string[], result: AnalysisResult, bytes: Uint8Array): Promise<void> {
    return this.showSource(referencedImageIds, {
      id: `result-${result.resultId}`,
      title: `${result.modelName} ${result.modelVersion}`,
      columns: result.columns,
      rows: result.rows,
      slices: result.slices,
      labels: result.labels,
      bytes,
    });
  }

  async showSource(referencedImageIds: readonly string[], source: LabelmapSource): Promise<void> {
    const bytes = source.bytes;
    const generation = ++this.generation;
    this.remove();
    if (referencedImageIds.length !== source.slices) {
      throw new Error(
        `The segmentation has ${source.slices} slices but the series shows ${referencedImageIds.length}.`,
      );
    }
    // Derived images copy geometry from the referenced images' metadata, so every slice must be loaded.
    const images = await Promise.all(referencedImageIds.map((id) => imageLoader.loadAndCacheImage(id)));
    if (generation !== this.generation) return;
    const mismatch = images.find((image) => image.columns !== source.columns || image.rows !== source.rows);
    if (mismatch) {
      throw new Error(
        `The segmentation is ${source.columns}×${source.rows} per slice but the images are ${mismatch.columns}×${mismatch.rows}.`,
      );
    }

    const labelmaps = imageLoader.createAndCacheDerivedLabelmapImages([...referencedImageIds], {
      voxelRepresentation: Enums.VoxelManagerEnum.Volume,
    });
    const sliceLength = source.columns * source.rows;
    labelmaps.forEach((image, k) => {
      const scalars = image.voxelManager?.getScalarData();
      if (!scalars || scalars.length !== sliceLength)
        throw new Error('Cornerstone made an unexpected labelmap image.');
      // Both run i fastest, then j: the slice's bytes map 1:1 onto the image's scalar array.
      scalars.set(bytes.subarray(k * sliceLength, (k + 1) * sliceLength));
    });

    const segmentationId = `lumen-${source.id}-${this.viewportId}-${generation}`;
    const segments: Record<number, { label: string }> = {};
    for (const label of source.labels) if (label.value > 0) segments[label.value] = { label: label.name };
    segmentation.addSegmentations([
      {
        segmentationId,
        representation: { type: LABELMAP, data: { imageIds: labelmaps.map((image) => image.imageId) } },
        config: { label: source.title, segments },
      },
    ]);
    segmentation.addLabelmapRepresentationToViewport(this.viewportId, [
      { segmentationId, config: { colorLUTOrIndex: colorTableFor(source.labels) } },
    ]);
    this.segmentationId = segmentationId;
    this.labelmapImageIds = labelmaps.map((image) => image.imageId);
    this.applyStyle();
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
    const specifier = { type: LABELMAP, viewportId: this.viewportId, segmentationId };
    // Inactive too: the overlay is read-only, whether Cornerstone calls it active is irrelevant here.
    segmentation.config.style.setStyle(specifier, {
      fillAlpha: this.opacity,
      fillAlphaInactive: this.opacity,
      renderOutline: false,
      renderOutlineInactive: false,
    });
    // First the whole overlay: Cornerstone resets every segment's visibility with it.
    segmentation.config.visibility.setSegmentationRepresentationVisibility(
      this.viewportId,
      { segmentationId, type: LABELMAP },
      this.visible,
    );
    for (const [value, style] of this.segmentStyles) {
      const alpha = this.opacity * style.opacity;
      segmentation.config.style.setStyle(
        { ...specifier, segmentIndex: value },
        { fillAlpha: alpha, fillAlphaInactive: alpha },
      );
      segmentation.config.color.setSegmentIndexColor(this.viewportId, segmentationId, value, [
        ...style.color,
        255,
      ]);
      segmentation.config.visibility.setSegmentIndexVisibility(
        this.viewportId,
        { segmentationId, type: LABELMAP },
        value,
        this.visible && style.visible,
      );
    }
  }

  /** Takes the overlay off the viewport and frees its derived images. */
  remove(): void {
    const segmentationId = this.segmentationId;
    if (segmentationId) {
      segmentation.removeSegmentationRepresentations(this.viewportId, { segmentationId });
      segmentation.removeSegmentation(segmentationId);
    }
    for (const imageId of this.labelmapImageIds) cache.removeImageLoadObject(imageId, { force: true });
    this.segmentationId = null;
    this.labelmapImageIds = [];
  }

  /** Cancels a show() still loading images, then removes what is shown. */
  clear(): void {
    this.generation++;
    this.remove();
  }

  get shown(): boolean {
    return this.segmentationId !== null && this.visible;
  }

  /** Non-zero voxels over every slice of the labelmap now on screen. */
  nonZeroCount(): number {
    let count = 0;
    for (const imageId of this.labelmapImageIds) {
      const data = cache.getImage(imageId)?.voxelManager?.getScalarData();
      if (!data) continue;
      for (let i = 0; i < data.length; i++) if (data[i] !== 0) count++;
    }
    return count;
  }
}
