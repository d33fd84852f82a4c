import { cache, volumeLoader } from '@cornerstonejs/core';
import { Enums as ToolEnums, segmentation } from '@cornerstonejs/tools';
import type { AnalysisResult } from '../../src-shared/api';
import { colorTableFor } from './labelmapOverlay';

const LABELMAP = ToolEnums.SegmentationRepresentations.Labelmap;

/**
 * A result's labelmap over the MPR views: one labelmap volume on the shown volume's own grid, so
 * every plane (and the large view) reslices the same labels the stack view shows.
 */
export class MprLabelmapOverlay {
  private segmentationId: string | null = null;
  private labelmapVolumeId: string | null = null;
  private visible = true;
  private opacity = 0.5;
  private counter = 0;

  constructor(private readonly viewportIds: readonly string[]) {}

  /**
   * stackImageIds: the series' slices in the result's order (the stack order); the volume may
   * store them in another order (it sorts by position), so each slice is placed by its imageId.
   */
  async show(
    volumeId: string,
    stackImageIds: readonly string[],
    result: AnalysisResult,
    bytes: Uint8Array,
  ): Promise<void> {
    this.remove();
    const volume = cache.getVolume(volumeId);
    if (!volume) throw new Error('The MPR volume is not loaded.');
    const [columns, rows, slices] = volume.dimensions;
    if (columns !== result.columns || rows !== result.rows || slices !== result.slices) {
      throw new Error(
        `The result is ${result.columns}×${result.rows}×${result.slices} but the volume is ${columns}×${rows}×${slices}.`,
      );
    }
    const labelmapVolumeId = `lumen-mpr-labelmap-${result.resultId}-${++this.counter}`;
    const labelmap = volumeLoader.createAndCacheDerivedLabelmapVolume(volumeId, {
      volumeId: labelmapVolumeId,
    });
    const voxels = new Uint8Array(columns * rows * slices);
    const sliceLength = columns * rows;
    const stackIndex = new Map(stackImageIds.map((imageId, index) => [imageId, index]));
    volume.imageIds.forEach((imageId, k) => {
      const s = stackIndex.get(imageId);
      if (s === undefined) throw new Error('The result does not cover every slice of the volume.');
      voxels.set(bytes.subarray(s * sliceLength, (s + 1) * sliceLength), k * sliceLength);
    });
    const voxelManager = labelmap.voxelManager;
    if (!voxelManager?.setCompleteScalarDataArray)
      throw new Error('Cornerstone made an unexpected labelmap volume.');
    voxelManager.setCompleteScalarDataArray(voxels);

    const segmentationId = `lumen-mpr-result-${result.resultId}-${this.counter}`;
    const segments: Record<number, { label: string }> = {};
    for (const label of result.labels) if (label.value > 0) segments[label.value] = { label: label.name };
    segmentation.addSegmentations([
      {
        segmentationId,
        representation: { type: LABELMAP, data: { volumeId: labelmapVolumeId } },
        config: { label: `${result.modelName} ${result.modelVersion}`, segments },
      },
    ]);
    const config = { colorLUTOrIndex: colorTableFor(result.labels) };
    await segmentation.addLabelmapRepresentationToViewportMap(
      Object.fromEntries(this.viewportIds.map((id) => [id, [{ segmentationId, config }]])),
    );
    this.segmentationId = segmentationId;
    this.labelmapVolumeId = labelmapVolumeId;
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

  private applyStyle(): void {
    const segmentationId = this.segmentationId;
    if (!segmentationId) return;
    for (const viewportId of this.viewportIds) {
      segmentation.config.style.setStyle(
        { type: LABELMAP, viewportId, segmentationId },
        {
          fillAlpha: this.opacity,
          fillAlphaInactive: this.opacity,
          renderOutline: false,
          renderOutlineInactive: false,
        },
      );
      segmentation.config.visibility.setSegmentationRepresentationVisibility(
        viewportId,
        { segmentationId, type: LABELMAP },
        this.visible,
      );
    }
  }

  remove(): void {
    const segmentationId = this.segmentationId;
    if (segmentationId) {
      for (const viewportId of this.viewportIds)
        segmentation.removeSegmentationRepresentations(viewportId, { segmentationId });
      segmentation.removeSegmentation(segmentationId);
    }
    if (this.labelmapVolumeId) cache.removeVolumeLoadObject(this.labelmapVolumeId);
    this.segmentationId = null;
    this.labelmapVolumeId = null;
  }

  get shown(): boolean {
    return this.segmentationId !== null && this.visible;
  }

  /** Non-zero voxels in the labelmap volume now on screen. */
  nonZeroCount(): number {
    const data = this.labelmapVolumeId
      ? cache.getVolume(this.labelmapVolumeId)?.voxelManager?.getCompleteScalarDataArray?.()
      : undefined;
    let count = 0;
    if (data) for (let i = 0; i < data.length; i++) if (data[i] !== 0) count++;
    return count;
  }
}
