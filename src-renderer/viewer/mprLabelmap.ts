import { cache, volumeLoader } from '@cornerstonejs/core';
import { countNonZero, StyledLabelmap, type LabelmapSource } from './styledLabelmap';

let counter = 0;

/**
 * A labelmap over the MPR views: one labelmap volume on the shown volume's own grid, so every
 * plane (and the large view) reslices the same labels the stack view shows.
 */
export class MprLabelmapOverlay extends StyledLabelmap {
  private labelmapVolumeId: string | null = null;

  /**
   * stackImageIds: the series' slices in the source's order (the stack order); the volume may
   * store them in another order (it sorts by position), so each slice is placed by its imageId.
   */
  showSource(volumeId: string, stackImageIds: readonly string[], source: LabelmapSource): void {
    this.clear();
    const volume = cache.getVolume(volumeId);
    if (!volume) throw new Error('The MPR volume is not loaded.');
    const [columns, rows, slices] = volume.dimensions;
    if (columns !== source.columns || rows !== source.rows || slices !== source.slices) {
      throw new Error(
        `The segmentation is ${source.columns}×${source.rows}×${source.slices} but the volume is ${columns}×${rows}×${slices}.`,
      );
    }
    const sliceLength = columns * rows;
    const stackIndex = new Map(stackImageIds.map((imageId, index) => [imageId, index]));
    const voxels = new Uint8Array(sliceLength * slices);
    volume.imageIds.forEach((imageId, k) => {
      const s = stackIndex.get(imageId);
      if (s === undefined) throw new Error('The segmentation does not cover every slice of the volume.');
      voxels.set(source.bytes.subarray(s * sliceLength, (s + 1) * sliceLength), k * sliceLength);
    });
    const id = ++counter;
    const labelmapVolumeId = `lumen-mpr-labelmap-${source.id}-${id}`;
    const labelmap = volumeLoader.createAndCacheDerivedLabelmapVolume(volumeId, {
      volumeId: labelmapVolumeId,
    });
    this.labelmapVolumeId = labelmapVolumeId;
    if (!labelmap.voxelManager?.setCompleteScalarDataArray)
      throw new Error('Cornerstone made an unexpected labelmap volume.');
    labelmap.voxelManager.setCompleteScalarDataArray(voxels);
    this.attach(`lumen-mpr-${source.id}-${id}`, source, { volumeId: labelmapVolumeId });
  }

  clear(): void {
    this.detach();
    if (this.labelmapVolumeId) cache.removeVolumeLoadObject(this.labelmapVolumeId);
    this.labelmapVolumeId = null;
  }

  nonZeroCount(): number {
    return countNonZero(
      this.labelmapVolumeId
        ? cache.getVolume(this.labelmapVolumeId)?.voxelManager?.getCompleteScalarDataArray?.()
        : undefined,
    );
  }
}
