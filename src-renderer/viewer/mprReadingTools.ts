/**
 * The reading tools on the MPR views: the measurement tools (drawn on the volume, with figures in
 * the modality's units), window presets, invert, fit, 1:1, rotation and flips, reset and slice
 * stepping per view.
 * The MPR viewer itself keeps the crosshairs, window/level sync and slab; this adds to its tool group.
 */
import { cache, eventTarget, utilities, type VolumeViewport } from '@cornerstonejs/core';
import {
  annotation,
  CrosshairsTool,
  Enums as ToolEnums,
  ToolGroupManager,
  type Types as ToolTypes,
} from '@cornerstonejs/tools';
import { moveToPlaneThrough } from './cameraPlane';
import { MEASUREMENT_TOOL_CLASSES, MEASUREMENT_TOOL_NAMES, PRIMARY_TOOLS } from './measurementTools';
import { MPR_SLOTS, type MprSlot, type MprViewer } from './mprViewer';
import { flip, rotateClockwise } from './readingTools';
import type { WindowPreset } from './windowPresets';

/** The left button in MPR: the crosshairs (first), or one of the stack viewer's tools. */
export const MPR_PRIMARY_TOOLS = [
  { name: CrosshairsTool.toolName, label: 'Crosshairs', key: 'x' },
  ...PRIMARY_TOOLS,
] as const;
export type MprPrimaryToolName = (typeof MPR_PRIMARY_TOOLS)[number]['name'];

/**
 * The depth (mm) of the plane a measurement on a thin MPR slice samples. Cornerstone 5.14 takes a
 * whole voxel when none is given, and counts every voxel overlapping it: on a plane through voxel
 * centres the neighbouring layer then touches it and comes in or not by float rounding (an ROI
 * mean in a sagittal view took two layers). A thin plane takes the one layer it passes through.
 */
const THIN_PLANE_MM = 0.01;

export class MprReadingTools {
  private primary: MprPrimaryToolName = CrosshairsTool.toolName;
  /** The measurements drawn on reformatted planes (which no image holds). */
  private readonly reformatted = new Set<string>();

  constructor(private readonly viewer: MprViewer) {
    const group = ToolGroupManager.getToolGroup(viewer.toolGroupId);
    if (!group) throw new Error('The MPR tool group is missing.');
    for (const tool of MEASUREMENT_TOOL_CLASSES) {
      group.addTool(tool.toolName);
      // Measurements stay visible and editable while the crosshairs have the left button.
      group.setToolPassive(tool.toolName);
    }
    eventTarget.addEventListener(ToolEnums.Events.ANNOTATION_ADDED, this.onAnnotationAdded);
  }

  private readonly onAnnotationAdded = (event: Event): void => {
    const { annotation: item, viewportId } =
      (event as CustomEvent<{ annotation?: ToolTypes.Annotation; viewportId?: string }>).detail ?? {};
    const tool = item?.metadata?.toolName;
    if (!item?.annotationUID || !tool || !MEASUREMENT_TOOL_NAMES.has(tool)) return;
    if (!viewportId || !this.viewer.viewportIds.includes(viewportId)) return;
    // On the acquisition plane the view shows one of the series' images: the measurement is tied to
    // it (Cornerstone 5.14 leaves volume measurements untied), so it is saved with that image like a
    // stack measurement. On a reformatted plane it belongs to no image.
    const slot = MPR_SLOTS.find((candidate) => this.viewer.viewport(candidate).id === viewportId);
    const image = slot ? this.acquisitionImageId(slot) : undefined;
    if (item.metadata && !item.metadata.referencedImageId && image) item.metadata.referencedImageId = image;
    if (!item.metadata?.referencedImageId) this.reformatted.add(item.annotationUID);
    const restriction = item.metadata?.planeRestriction;
    // A MIP slab gives the measurement its own depth (the slab's); a thin slice gives none.
    if (restriction && restriction.referencePlaneThickness === undefined)
      restriction.referencePlaneThickness = THIN_PLANE_MM;
  };

  /** The series image a view shows when it looks along the slices' normal; undefined otherwise. */
  private acquisitionImageId(slot: MprSlot): string | undefined {
    const volumeId = this.viewer.currentVolumeId;
    const volume = volumeId ? cache.getVolume(volumeId) : undefined;
    const { focalPoint, viewPlaneNormal } = this.viewer.viewport(slot).getCamera();
    if (!volume || !focalPoint || !viewPlaneNormal) return undefined;
    const along = [6, 7, 8].reduce((sum, n, i) => sum + volume.direction[n]! * viewPlaneNormal[i]!, 0);
    if (Math.abs(Math.abs(along) - 1) > 1e-3) return undefined;
    const k = utilities.transformWorldToIndex(volume.imageData, focalPoint)[2]!;
    return volume.imageIds[k];
  }

  get primaryTool(): MprPrimaryToolName {
    return this.primary;
  }

  /** Gives the left button to a tool; the previous one stays passive (its drawings stay editable). */
  setPrimaryTool(name: MprPrimaryToolName): void {
    const group = ToolGroupManager.getToolGroup(this.viewer.toolGroupId);
    if (!group || name === this.primary) return;
    // The crosshair lines stay drawn but cannot be grabbed while another tool draws across them.
    if (this.primary === CrosshairsTool.toolName) group.setToolEnabled(this.primary);
    else group.setToolPassive(this.primary);
    group.setToolActive(name, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Primary }] });
    this.primary = name;
  }

  private get ready(): boolean {
    return this.viewer.volumeInfo()?.loaded === true;
  }

  applyPreset(preset: WindowPreset): void {
    if (!this.ready) return;
    if (preset.kind === 'fixed') {
      const { lower, upper } = utilities.windowLevel.toLowHighRange(preset.width, preset.center);
      this.viewer.setVoiRange(lower, upper);
    } else if (preset.kind === 'file') {
      this.viewer.showFileDisplay();
    } else {
      const volumeId = this.viewer.currentVolumeId;
      const range = volumeId ? cache.getVolume(volumeId)?.voxelManager?.getRange() : undefined;
      if (range && range[1] > range[0]) this.viewer.setVoiRange(range[0], range[1]);
    }
  }

  toggleInvert(): void {
    if (!this.ready) return;
    const invert = !this.viewer.viewport('large').getProperties()?.invert;
    for (const slot of MPR_SLOTS) this.viewer.viewport(slot).setProperties({ invert });
    for (const slot of MPR_SLOTS) this.viewer.viewport(slot).render();
  }

  /** Fits the volume into one view, on the slice it shows. */
  zoomToFit(slot: MprSlot): void {
    if (!this.ready) return;
    const viewport = this.viewer.viewport(slot);
    const before = viewport.getCamera().focalPoint;
    viewport.resetCamera({
      resetPan: true,
      resetZoom: true,
      resetToCenter: false,
      resetOrientation: false,
      resetRotation: false,
      storeAsInitialCamera: false,
    });
    if (before) moveToPlaneThrough(viewport, before);
    viewport.render();
  }

  /** One voxel (of the finest spacing) per screen (CSS) pixel in one view, around its centre. */
  zoomOneToOne(slot: MprSlot): void {
    const info = this.viewer.volumeInfo();
    if (!info?.loaded) return;
    const viewport = this.viewer.viewport(slot);
    viewport.setCamera({
      parallelScale: (viewport.canvas.clientHeight / 2) * Math.min(...info.spacing),
    });
    viewport.render();
  }

  /** Turns one view 90° clockwise on its slice; the other views and the crosshair centre stay. */
  rotate(slot: MprSlot): void {
    if (this.ready) this.onItsSlice(slot, rotateClockwise);
  }

  /** Mirrors one view on its slice; the other views and the crosshair centre stay. */
  flip(slot: MprSlot, direction: 'horizontal' | 'vertical'): void {
    if (this.ready) this.onItsSlice(slot, (viewport) => flip(viewport, direction));
  }

  /**
   * Changes how one view is presented, then puts it back on the slice it showed: Cornerstone 5.14
   * flips a volume view by looking at it from the other side about a point it computes from the
   * volume's centre, and the view (and the crosshair line it draws elsewhere) must not move.
   */
  private onItsSlice(slot: MprSlot, change: (viewport: VolumeViewport) => void): void {
    const viewport = this.viewer.viewport(slot);
    const before = viewport.getCamera().focalPoint;
    change(viewport);
    if (before) moveToPlaneThrough(viewport, before);
    viewport.render();
  }

  /**
   * Every view back to how it opened: whole volume, middle slices, the file's display, inverted only
   * for MONOCHROME1, neither rotated nor flipped (Cornerstone's reset undoes the flips, then puts
   * each view's plane back upright).
   */
  reset(): void {
    const info = this.viewer.volumeInfo();
    if (!info?.loaded) return;
    for (const slot of MPR_SLOTS) {
      const viewport = this.viewer.viewport(slot);
      viewport.resetCamera({ resetOrientation: false, storeAsInitialCamera: false });
      viewport.setProperties({ invert: this.viewer.opensInverted });
    }
    this.viewer.showFileDisplay();
    const [i, j, k] = info.dimensions.map((n) => (n - 1) / 2) as [number, number, number];
    this.viewer.setCrosshairCenter(this.viewer.voxelToWorld(i, j, k));
  }

  /** Steps a view's slice (its crosshair line in the other views follows), clamped at both ends. */
  scroll(slot: MprSlot, delta: number): void {
    const volumeId = this.viewer.currentVolumeId;
    if (!this.ready || !volumeId) return;
    // The declared parameter type lists only the base viewport types; a volume viewport is one.
    const viewport = this.viewer.viewport(slot) as unknown as Parameters<typeof utilities.scroll>[0];
    utilities.scroll(viewport, { delta: delta * this.viewer.sliceDirection(slot), volumeId });
  }

  /** Goes to the first or last slice of a view. */
  scrollToEnd(slot: MprSlot, end: 'first' | 'last'): void {
    if (!this.ready) return;
    const target = end === 'first' ? 0 : this.viewer.viewport(slot).getNumberOfSlices() - 1;
    this.scroll(slot, target - this.viewer.sliceIndex(slot));
  }

  /**
   * Stops listening, and removes the measurements drawn on reformatted planes: they are not saved,
   * and no stack view can show them once MPR closes.
   */
  dispose(): void {
    eventTarget.removeEventListener(ToolEnums.Events.ANNOTATION_ADDED, this.onAnnotationAdded);
    for (const uid of this.reformatted)
      if (annotation.state.getAnnotation(uid)) annotation.state.removeAnnotation(uid);
    this.reformatted.clear();
  }
}
