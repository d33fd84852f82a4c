import {
  cache,
  Enums,
  eventTarget,
  metaData,
  type RenderingEngine,
  setVolumesForViewports,
  StreamingImageVolume,
  utilities,
  volumeLoader,
  type Types,
  type VolumeViewport,
} from '@cornerstonejs/core';
import {
  CrosshairsTool,
  Enums as ToolEnums,
  PanTool,
  synchronizers,
  SynchronizerManager,
  ToolGroupManager,
  utilities as toolUtilities,
  WindowLevelTool,
  ZoomTool,
} from '@cornerstonejs/tools';
import { Filter } from '@kitware/vtk.js/Rendering/OpenGL/Texture/Constants';
import { moveToPlaneThrough, sliceStepSign } from './cameraPlane';
import { MprSliceScrollTool } from './mprSliceScrollTool';
import { MprVoiLutDisplay } from './mprVoiLutDisplay';
import { releaseCompressedFrames } from './compressedFrames';
import { fetchInBatches, takeOutOfBatches } from './instanceBatches';
import { chooseVolumeDecodeType, norm16Textures } from './volumeDecodeType';
import { orientationMarkers, type OrientationMarkers } from './orientationMarkers';
import { pageRenderingEngine } from './pageRenderingEngines';
import { describeLoadError } from './pixelProbes';
import { resizeViewports } from './viewportResize';

/** The three orthogonal planes; the large viewport shows one of them enlarged. */
export type MprPlane = 'axial' | 'sagittal' | 'coronal';
export const MPR_PLANES: readonly MprPlane[] = ['axial', 'sagittal', 'coronal'];
/** A viewport of the 1+3 layout: the large one, or one of the three small ones. */
export type MprSlot = 'large' | MprPlane;
export const MPR_SLOTS: readonly MprSlot[] = ['large', ...MPR_PLANES];

const ORIENTATION: Record<MprPlane, Enums.OrientationAxis> = {
  axial: Enums.OrientationAxis.AXIAL,
  sagittal: Enums.OrientationAxis.SAGITTAL,
  coronal: Enums.OrientationAxis.CORONAL,
};

/** Reference-line colours as most MPR viewers use them: axial red, sagittal yellow, coronal green. */
const PLANE_COLOUR: Record<MprPlane, string> = {
  axial: 'rgb(230, 60, 60)',
  sagittal: 'rgb(230, 200, 40)',
  coronal: 'rgb(60, 200, 90)',
};

/** What each MPR viewport's overlay shows. */
export interface MprViewReadout {
  readonly plane: MprPlane;
  readonly windowWidth: number | null;
  readonly windowCenter: number | null;
  /** The VOI LUT's explanation ('' when it has none) while the views show it instead of a window. */
  readonly voiLut: string | null;
  readonly orientation: OrientationMarkers | null;
  /** Slice index along the view's normal (0-based) and the number of slices that way. */
  readonly sliceIndex: number;
  readonly sliceCount: number;
  /** Slab thickness in mm; 0 for a thin slice. */
  readonly slabThickness: number;
  /** The slice's patient coordinate (mm) along the axis the view looks down: z, x or y. */
  readonly position: number;
  /** Millimetres a screen (CSS) pixel spans, for the scale bar. */
  readonly mmPerScreenPixel: number | null;
  /** Screen pixels a voxel of the finest spacing spans: 1 at 1:1. */
  readonly zoom: number | null;
}

export interface MprVolumeInfo {
  readonly dimensions: Types.Point3;
  readonly spacing: Types.Point3;
  readonly origin: Types.Point3;
  readonly direction: number[];
  /**
   * The typed array behind the volume: Int16Array for most CT, Float32Array for a 16-bit volume
   * decoded straight to floats where WebGL has no norm16 texture (volumeDecodeType.ts).
   */
  readonly dataType: string;
  /** Whether WebGL takes 16-bit volumes as exact 16-bit (norm16) textures. */
  readonly norm16Textures: boolean;
  /** The volume's slices, in the order the volume stores them (k = 0 first). */
  readonly imageIds: readonly string[];
  readonly loaded: boolean;
  /** Milliseconds from showVolume's start to each stage of the last load (for the benchmarks). */
  readonly stages: MprLoadStages | null;
}

export interface MprLoadStages {
  /** The volume object made (its geometry from the headers; Cornerstone decodes three slices first). */
  readonly created: number;
  /** Every slice decoded into the volume. */
  readonly decoded: number;
  /** The views given the volume (the texture is filled at their next render). */
  readonly attached: number;
}

let instanceCounter = 0;

/** The texture setters vtk.js has and its type declarations leave out. */
interface FilteredTexture {
  setMinificationFilter(filter: Filter): boolean;
  setMagnificationFilter(filter: Filter): boolean;
}

/**
 * vtk.js's volume mapper sets the volume texture's filters to linear (the views interpolate) at its
 * first render, after the upload; Cornerstone 5.14's streaming texture takes any change to itself as
 * every slice changed, so the next render uploaded the whole volume again (256 slice uploads for a
 * 128-slice CT). Set before the first render, the mapper's setters change nothing.
 */
function filterLinearlyFromTheStart(volume: StreamingImageVolume): void {
  const texture = volume.vtkOpenGLTexture as unknown as FilteredTexture;
  texture.setMinificationFilter(Filter.LINEAR);
  texture.setMagnificationFilter(Filter.LINEAR);
}

/**
 * Resolves once every slice of the volume is in it; rejects, naming the slice, as soon as one
 * cannot be loaded (Cornerstone's own callback reports only the last slice to finish, and a failed
 * slice would otherwise stay black in the volume). `abandon` resolves it early.
 */
function volumeLoaded(volume: StreamingImageVolume): { done: Promise<void>; abandon: () => void } {
  let abandon = (): void => undefined;
  const done = new Promise<void>((resolve, reject) => {
    const slices = new Map(volume.imageIds.map((imageId, index) => [imageId, index]));
    const onFailure = (event: Event): void => {
      const { imageId, error } = (event as CustomEvent<{ imageId?: string; error?: unknown }>).detail;
      const index = imageId === undefined ? undefined : slices.get(imageId);
      if (index === undefined) return;
      settle();
      volume.cancelLoading();
      reject(
        new Error(`slice ${index + 1} of ${slices.size} could not be decoded: ${describeLoadError(error)}`),
      );
    };
    const settle = (): void => eventTarget.removeEventListener(Enums.Events.IMAGE_LOAD_FAILED, onFailure);
    eventTarget.addEventListener(Enums.Events.IMAGE_LOAD_FAILED, onFailure);
    abandon = () => {
      settle();
      resolve();
    };
    volume.load((event: unknown) => {
      settle();
      const detail = event as { error?: unknown } | undefined;
      if (detail?.error) reject(new Error(describeLoadError(detail.error)));
      else resolve();
    });
  });
  return { done, abandon };
}

/**
 * The 1+3 MPR layout: axial, sagittal and coronal orthographic volume viewports of one shared
 * streaming volume, plus a large viewport showing the chosen plane enlarged. Crosshairs (left
 * button) move the other views; window/level (right button) is synchronised over all four.
 */
export class MprViewer {
  private readonly engine: RenderingEngine;
  readonly toolGroupId: string;
  private readonly voiSyncId: string;
  private readonly ids: Record<MprSlot, string>;
  private readonly removeListeners: () => void;
  private readonly voiLut: MprVoiLutDisplay;
  private volumeId: string | null = null;
  /** The window the volume opened with (the file's own): the file's display where it has no VOI LUT. */
  private openingVoi: Types.VOIRange | null = null;
  private fileImage: string | null = null;
  /** MONOCHROME1: the lowest values white. Cornerstone's volume views leave that to the caller. */
  private monochrome1 = false;
  private largePlane: MprPlane = 'axial';
  private slab = 0;
  private loaded = false;
  private stages: MprLoadStages | null = null;
  private generation = 0;
  /** Ends the wait for the volume being loaded, when another replaces it or the viewer goes. */
  private abandonLoad: (() => void) | null = null;
  private publishFrame: number | null = null;

  constructor(
    elements: Record<MprSlot, HTMLDivElement>,
    private readonly onReadout: (readouts: Record<MprSlot, MprViewReadout | null>) => void,
  ) {
    const id = ++instanceCounter;
    this.engine = pageRenderingEngine('lumen-mpr-engine');
    this.toolGroupId = `lumen-mpr-tools-${id}`;
    this.voiSyncId = `lumen-mpr-voi-${id}`;
    this.ids = {
      large: `lumen-mpr-large-${id}`,
      axial: `lumen-mpr-axial-${id}`,
      sagittal: `lumen-mpr-sagittal-${id}`,
      coronal: `lumen-mpr-coronal-${id}`,
    };
    for (const slot of MPR_SLOTS)
      this.engine.enableElement({
        viewportId: this.ids[slot],
        type: Enums.ViewportType.ORTHOGRAPHIC,
        element: elements[slot],
        defaultOptions: {
          orientation: ORIENTATION[slot === 'large' ? this.largePlane : slot],
          background: [0, 0, 0] as Types.Point3,
        },
      });
    this.setUpTools();
    this.voiLut = new MprVoiLutDisplay(
      () => MPR_SLOTS.map((slot) => this.viewport(slot)),
      Object.values(elements),
    );

    // Readouts follow once per frame, however many events a frame fires (a camera reset fires
    // several per view, and each readout asks every view for its properties).
    const update = (): void => {
      this.publishFrame ??= requestAnimationFrame(() => {
        this.publishFrame = null;
        this.publish();
      });
    };
    const events = [Enums.Events.IMAGE_RENDERED, Enums.Events.VOI_MODIFIED, Enums.Events.CAMERA_MODIFIED];
    const noMenu = (event: Event): void => event.preventDefault();
    for (const element of Object.values(elements)) {
      for (const name of events) element.addEventListener(name, update);
      element.addEventListener('contextmenu', noMenu);
    }
    this.removeListeners = () => {
      for (const element of Object.values(elements)) {
        for (const name of events) element.removeEventListener(name, update);
        element.removeEventListener('contextmenu', noMenu);
      }
    };
  }

  private setUpTools(): void {
    const group = ToolGroupManager.createToolGroup(this.toolGroupId);
    if (!group) throw new Error('Could not create the MPR tool group.');
    // Each plane's reference line has its own colour (the large view takes its plane's), so the
    // reader can tell which line moves which view.
    const slotOf = new Map(MPR_SLOTS.map((slot) => [this.ids[slot], slot]));
    group.addTool(CrosshairsTool.toolName, {
      getReferenceLineColor: (viewportId: string) => {
        const slot = slotOf.get(viewportId);
        return PLANE_COLOUR[slot === 'large' || slot === undefined ? this.largePlane : slot];
      },
    });
    for (const tool of [MprSliceScrollTool, WindowLevelTool, ZoomTool, PanTool]) group.addTool(tool.toolName);
    const { MouseBindings } = ToolEnums;
    for (const slot of MPR_SLOTS) group.addViewport(this.ids[slot], this.engine.id);
    group.setToolActive(CrosshairsTool.toolName, { bindings: [{ mouseButton: MouseBindings.Primary }] });
    group.setToolActive(WindowLevelTool.toolName, { bindings: [{ mouseButton: MouseBindings.Secondary }] });
    group.setToolActive(PanTool.toolName, { bindings: [{ mouseButton: MouseBindings.Auxiliary }] });
    // The wheel steps to the next slice as the readout counts it, flipped or not.
    group.setToolActive(MprSliceScrollTool.toolName, { bindings: [{ mouseButton: MouseBindings.Wheel }] });
    group.setToolActive(ZoomTool.toolName, {
      bindings: [{ mouseButton: MouseBindings.Wheel, modifierKey: ToolEnums.KeyboardBindings.Ctrl }],
    });

    const voiSync = synchronizers.createVOISynchronizer(this.voiSyncId, {
      syncInvertState: true,
      syncColormap: false,
    });
    for (const slot of MPR_SLOTS)
      voiSync.add({ renderingEngineId: this.engine.id, viewportId: this.ids[slot] });
  }

  private crosshairs(): CrosshairsTool | undefined {
    return ToolGroupManager.getToolGroup(this.toolGroupId)?.getToolInstance(CrosshairsTool.toolName) as
      CrosshairsTool | undefined;
  }

  viewport(slot: MprSlot): VolumeViewport {
    return this.engine.getViewport(this.ids[slot]) as VolumeViewport;
  }

  get viewportIds(): string[] {
    return MPR_SLOTS.map((slot) => this.ids[slot]);
  }

  get currentVolumeId(): string | null {
    return this.volumeId;
  }

  /**
   * The slice whose window, further windows and VOI LUT are the volume's file display: the middle
   * one, as Cornerstone takes a volume's opening window from it.
   */
  get fileImageId(): string | null {
    return this.fileImage;
  }

  /** Whether the volume is drawn inverted as it opens (MONOCHROME1), before the user inverts it. */
  get opensInverted(): boolean {
    return this.monochrome1;
  }

  /**
   * Builds the series' volume from its slices' headers, streams the pixels in, then puts it in all
   * four viewports; resolves once every slice is in the volume and on screen.
   */
  async showVolume(imageIds: readonly string[], key: string): Promise<void> {
    const generation = ++this.generation;
    this.releaseVolume();
    this.loaded = false;
    this.stages = null;
    const started = performance.now();
    const volumeId = `cornerstoneStreamingImageVolume:lumen-mpr-${key}-${generation}`;
    // Cornerstone's volume loader loads the first, middle and last slices for their headers before
    // it makes the volume: those not yet sent in a batch are fetched alone, so that an MPR opened
    // as the stack's prefetch starts does not wait for its last batch. The rest come in batches,
    // unless the stack's prefetch (or its share of a grid's) has them on their way already.
    const headerSlices = [0, Math.floor(imageIds.length / 2), imageIds.length - 1].map((k) => imageIds[k]!);
    takeOutOfBatches(headerSlices);
    fetchInBatches(imageIds.filter((imageId) => !headerSlices.includes(imageId)));
    const volume = await volumeLoader.createAndCacheVolume(volumeId, { imageIds: [...imageIds] });
    const created = performance.now() - started;
    if (generation !== this.generation) return;
    this.volumeId = volumeId;
    if (!(volume instanceof StreamingImageVolume)) throw new Error('Cornerstone made no streaming volume.');
    filterLinearlyFromTheStart(volume);
    chooseVolumeDecodeType(volume);
    const load = volumeLoaded(volume);
    this.abandonLoad = load.abandon;
    // The views get the volume once it is whole: re-rendering four views as each slice streams in
    // cost 10.3 s instead of 4.0 s for the 128-slice CT on software WebGL (npm run bench -- viewer).
    // Nor does giving it to them early, drawn once, pay: the load is bound by the two cores, and
    // the texture allocated while the slices decode only slows the decoding (docs/benchmarks.md,
    // "MPR views given the volume early").
    try {
      await load.done;
    } catch (error) {
      // Nothing keeps a volume with a slice missing.
      if (generation === this.generation) this.releaseVolume();
      throw error;
    }
    if (generation !== this.generation) return;
    this.abandonLoad = null;
    const decoded = performance.now() - started;
    // Every slice is decoded into the volume: the files' compressed frames are not needed any more.
    releaseCompressedFrames(volume.imageIds);
    await this.withoutCrosshairs(() => setVolumesForViewports(this.engine, [{ volumeId }], this.viewportIds));
    this.stages = { created, decoded, attached: performance.now() - started };
    this.openFileDisplay(volume.imageIds);
    this.applySlab();
    this.loaded = true;
    this.engine.renderViewports(this.viewportIds);
    this.publish();
  }

  /**
   * The display the volume opens with, from its middle slice (where Cornerstone takes the window):
   * colour as stored, over the full range of its bits (Cornerstone would stretch the slice's own
   * range over the screen's), MONOCHROME1 inverted, and the VOI LUT where the slice has one.
   */
  private openFileDisplay(imageIds: readonly string[]): void {
    this.fileImage = imageIds[Math.floor(imageIds.length / 2)] ?? null;
    const pixelModule = metaData.get('imagePixelModule', this.fileImage ?? '') as
      Types.ImagePixelModule | undefined;
    const photometric = pixelModule?.photometricInterpretation;
    // Colour volumes are RGB: palette colour and YBR are not offered MPR (mprEligibility.ts).
    if ((pixelModule?.samplesPerPixel ?? 1) > 1) {
      const upper = 2 ** (pixelModule?.bitsStored ?? 8) - 1;
      for (const slot of MPR_SLOTS) this.viewport(slot).setProperties({ voiRange: { lower: 0, upper } });
    }
    const opening = this.viewport('large').getProperties()?.voiRange;
    this.openingVoi = opening ? { ...opening } : null;
    this.monochrome1 = photometric === 'MONOCHROME1';
    if (this.monochrome1) for (const slot of MPR_SLOTS) this.viewport(slot).setProperties({ invert: true });
    this.voiLut.show(this.fileImage);
  }

  /**
   * Runs work with the crosshairs off. They recompute their centre from every view at each camera
   * change, and giving the four views a volume resets every camera several times (about 0.2 s of
   * the 128-slice CT's MPR load here); back on, they compute it once.
   */
  private async withoutCrosshairs<T>(work: () => Promise<T>): Promise<T> {
    const group = ToolGroupManager.getToolGroup(this.toolGroupId);
    const options = group?.getToolOptions(CrosshairsTool.toolName);
    if (!group || !options || options.mode === ToolEnums.ToolModes.Disabled) return work();
    const { mode } = options;
    const bindings = [...options.bindings];
    group.setToolDisabled(CrosshairsTool.toolName);
    try {
      return await work();
    } finally {
      if (mode === ToolEnums.ToolModes.Active) group.setToolActive(CrosshairsTool.toolName, { bindings });
      else group.setToolMode(CrosshairsTool.toolName, mode);
    }
  }

  /** The plane the large viewport shows; its camera starts where that plane's small view is. */
  setLargePlane(plane: MprPlane): void {
    if (plane === this.largePlane) return;
    this.largePlane = plane;
    const large = this.viewport('large');
    const source = this.viewport(plane);
    large.setOrientation(ORIENTATION[plane]);
    const { focalPoint, position } = source.getCamera();
    large.setCamera({ focalPoint, position });
    large.render();
    // Crosshairs keep one annotation per viewport and plane: rebuild them for the new plane.
    this.crosshairs()?.computeToolCenter();
    this.publish();
  }

  /**
   * Slab thickness in mm for all views: 0 shows thin slices (composite), more shows a maximum
   * intensity projection over that thickness around the crosshair planes.
   */
  setSlabThickness(millimetres: number): void {
    this.slab = Math.max(0, millimetres);
    this.applySlab();
    this.engine.renderViewports(this.viewportIds);
    this.publish();
  }

  private applySlab(): void {
    if (!this.volumeId) return;
    for (const slot of MPR_SLOTS) {
      const viewport = this.viewport(slot);
      if (this.slab > 0) {
        viewport.setBlendMode(Enums.BlendModes.MAXIMUM_INTENSITY_BLEND);
        viewport.setSlabThickness(this.slab);
      } else {
        viewport.setBlendMode(Enums.BlendModes.COMPOSITE);
        viewport.resetSlabThickness();
      }
    }
  }

  /** Moves the crosshair centre (and with it every view's slice) to a point in patient space. */
  setCrosshairCenter(world: Types.Point3): void {
    // Each view moves along its normal only: its pan stays, its slice changes.
    for (const slot of MPR_SLOTS) moveToPlaneThrough(this.viewport(slot), world);
    this.crosshairs()?.setToolCenter(world);
    this.engine.renderViewports(this.viewportIds);
  }

  /**
   * Window/level on every view (the synchroniser would do it from one; this does not wait for it),
   * in place of the VOI LUT if that is shown.
   */
  setVoiRange(lower: number, upper: number): void {
    const range = { lower, upper };
    if (this.voiLut.lutShown) this.voiLut.leave(range);
    else for (const slot of MPR_SLOTS) this.viewport(slot).setProperties({ voiRange: range });
    this.engine.renderViewports(this.viewportIds);
  }

  /** The file's own display: the volume's VOI LUT where it has one, else the window it opened with. */
  showFileDisplay(): void {
    if (!this.loaded || this.voiLut.show(this.fileImage)) return;
    if (this.openingVoi) this.setVoiRange(this.openingVoi.lower, this.openingVoi.upper);
  }

  volumeInfo(): MprVolumeInfo | null {
    const volume = this.volumeId ? cache.getVolume(this.volumeId) : undefined;
    if (!volume) return null;
    return {
      dimensions: [...volume.dimensions] as Types.Point3,
      spacing: [...volume.spacing] as Types.Point3,
      origin: [...volume.origin] as Types.Point3,
      direction: Array.from(volume.direction),
      dataType: volume.dataType ?? '',
      norm16Textures: norm16Textures(),
      imageIds: [...volume.imageIds],
      loaded: this.loaded,
      stages: this.stages,
    };
  }

  /** The modality value stored in the volume at voxel (i, j, k). */
  voxelValue(i: number, j: number, k: number): number {
    const volume = this.volumeId ? cache.getVolume(this.volumeId) : undefined;
    if (!volume?.voxelManager) throw new Error('no volume is shown');
    return Number(volume.voxelManager.getAtIJK(i, j, k));
  }

  /** Patient-space centre of voxel (i, j, k). */
  voxelToWorld(i: number, j: number, k: number): Types.Point3 {
    const volume = this.volumeId ? cache.getVolume(this.volumeId) : undefined;
    if (!volume) throw new Error('no volume is shown');
    return utilities.transformIndexToWorld(volume.imageData, [i, j, k]);
  }

  render(): void {
    this.engine.renderViewports(this.viewportIds);
  }

  /** Follows the elements' sizes, each view keeping its slice (see resizeViewports). */
  resize(): void {
    resizeViewports(this.engine);
  }

  /** +1 or -1: the step along a view's own normal that goes to its next slice (see sliceStepSign). */
  sliceDirection(slot: MprSlot): 1 | -1 {
    return sliceStepSign(this.viewport(slot).getCamera());
  }

  /** A view's slice index (0-based), counted as when the view is not flipped. */
  sliceIndex(slot: MprSlot): number {
    const viewport = this.viewport(slot);
    const index = viewport.getSliceIndex();
    return this.sliceDirection(slot) === 1 ? index : viewport.getNumberOfSlices() - 1 - index;
  }

  private readout(slot: MprSlot): MprViewReadout | null {
    const viewport = this.viewport(slot);
    if (!this.volumeId || !viewport.hasVolumeId(this.volumeId)) return null;
    const voi = viewport.getProperties()?.voiRange;
    const wl = voi ? utilities.windowLevel.toWindowLevel(voi.lower, voi.upper) : null;
    const { focalPoint, viewPlaneNormal, parallelScale } = viewport.getCamera();
    const normal = viewPlaneNormal ?? [0, 0, 1];
    const axis = normal.reduce((best, value, i) => (Math.abs(value) > Math.abs(normal[best]!) ? i : best), 0);
    const height = viewport.canvas.clientHeight;
    const mmPerScreenPixel = parallelScale && height > 0 ? (2 * parallelScale) / height : null;
    const finest = Math.min(...(cache.getVolume(this.volumeId)?.spacing ?? [NaN]));
    return {
      plane: slot === 'large' ? this.largePlane : slot,
      windowWidth: wl?.windowWidth ?? null,
      windowCenter: wl?.windowCenter ?? null,
      voiLut: this.voiLut.label,
      orientation: orientationMarkers(viewport),
      sliceIndex: this.sliceIndex(slot),
      sliceCount: viewport.getNumberOfSlices(),
      slabThickness: this.slab,
      position: focalPoint?.[axis] ?? 0,
      mmPerScreenPixel,
      zoom: mmPerScreenPixel && finest > 0 ? finest / mmPerScreenPixel : null,
    };
  }

  private publish(): void {
    const readouts = {} as Record<MprSlot, MprViewReadout | null>;
    for (const slot of MPR_SLOTS) readouts[slot] = this.readout(slot);
    this.onReadout(readouts);
  }

  private releaseVolume(): void {
    this.abandonLoad?.();
    this.abandonLoad = null;
    if (this.volumeId) cache.removeVolumeLoadObject(this.volumeId);
    this.volumeId = null;
    this.fileImage = null;
  }

  destroy(): void {
    this.generation++;
    if (this.publishFrame !== null) cancelAnimationFrame(this.publishFrame);
    this.removeListeners();
    this.voiLut.destroy();
    // A cine still playing would keep stepping a view that no longer exists.
    for (const slot of MPR_SLOTS) toolUtilities.cine.stopClip(this.viewport(slot).element);
    SynchronizerManager.destroySynchronizer(this.voiSyncId);
    ToolGroupManager.destroyToolGroup(this.toolGroupId);
    for (const slot of MPR_SLOTS) this.engine.disableElement(this.ids[slot]);
    this.releaseVolume();
  }
}
