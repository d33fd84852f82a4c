import { cache, eventTarget, getEnabledElementByViewportId, volumeLoader } from '@cornerstonejs/core';
import { Enums as ToolEnums } from '@cornerstonejs/tools';
import { countNonZero, StyledLabelmap, type LabelmapSource } from './styledLabelmap';

let counter = 0;

/** What is used here of a vtk.js volume actor (the labelmap's, in a volume viewport). */
interface RayCastActor {
  getProperty(): {
    getScalarOpacityUnitDistance(index: number): number;
    setScalarOpacityUnitDistance(index: number, distance: number): void;
    getScalarOpacity(index: number): { modified(): void };
  };
  getMapper(): { getSampleDistance?(): number } | null;
}

const isRayCastActor = (actor: unknown): actor is RayCastActor =>
  typeof (actor as Partial<RayCastActor>).getProperty === 'function' &&
  typeof (actor as Partial<RayCastActor>).getProperty!().setScalarOpacityUnitDistance === 'function';

/**
 * vtk.js corrects a volume's opacity for its sample distance (opacity per unit distance): at the
 * mapper's default of a sixth of the voxel sizes' sum a 60 % fill showed as 45 % on a 0.7 x 0.7 x
 * 2.5 mm CT. With the unit distance equal to the sample distance, a slice shows the opacity set,
 * as the stack view does.
 */
function exactSliceOpacity(viewportId: string, segmentationId: string): void {
  const viewport = getEnabledElementByViewportId(viewportId)?.viewport;
  if (!viewport) return;
  let changed = false;
  // Cornerstone names a segmentation's actors `<segmentationId>-<representation>…`.
  const prefix = `${segmentationId}-${ToolEnums.SegmentationRepresentations.Labelmap}`;
  for (const entry of viewport.getActors()) {
    if (typeof entry.representationUID !== 'string' || !entry.representationUID.startsWith(prefix)) continue;
    if (!isRayCastActor(entry.actor)) continue;
    const sampleDistance = entry.actor.getMapper()?.getSampleDistance?.();
    const property = entry.actor.getProperty();
    if (!sampleDistance || property.getScalarOpacityUnitDistance(0) === sampleDistance) continue;
    property.setScalarOpacityUnitDistance(0, sampleDistance);
    // The opacity texture is cached by its function's modification time, not the unit distance.
    property.getScalarOpacity(0).modified();
    changed = true;
  }
  if (changed) viewport.render();
}

/**
 * A labelmap over the MPR views: one labelmap volume on the shown volume's own grid, so every
 * plane (and the large view) reslices the same labels the stack view shows.
 */
export class MprLabelmapOverlay extends StyledLabelmap {
  private labelmapVolumeId: string | null = null;

  // Cornerstone makes the labelmap's actors as it renders it: their opacity is set right after.
  private readonly onRendered = (event: Event): void => {
    const { viewportId, segmentationId } = (
      event as CustomEvent<{ viewportId: string; segmentationId: string }>
    ).detail;
    if (segmentationId === this.drawnSegmentationId && this.viewportIds.includes(viewportId))
      exactSliceOpacity(viewportId, segmentationId);
  };

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
    eventTarget.addEventListener(ToolEnums.Events.SEGMENTATION_RENDERED, this.onRendered);
    this.attach(`lumen-mpr-${source.id}-${id}`, source, { volumeId: labelmapVolumeId });
  }

  clear(): void {
    eventTarget.removeEventListener(ToolEnums.Events.SEGMENTATION_RENDERED, this.onRendered);
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
