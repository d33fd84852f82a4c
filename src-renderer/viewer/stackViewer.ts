import {
  Enums,
  eventTarget,
  getEffectiveRenderBackend,
  getShouldUseCPURendering,
  metaData,
  type RenderingEngine,
  utilities,
  type StackViewport,
} from '@cornerstonejs/core';
import {
  Enums as ToolEnums,
  PanTool,
  StackScrollTool,
  ToolGroupManager,
  WindowLevelTool,
  ZoomTool,
} from '@cornerstonejs/tools';
import { MEASUREMENT_TOOL_CLASSES, type PrimaryToolName } from './measurementTools';
import { naturalized } from './naturalized';
import { pageRenderingEngine } from './pageRenderingEngines';
import { orientationMarkers, projectionMarkers, type OrientationMarkers } from './orientationMarkers';
import { hasImageOrientation, hasStatedPixelSpacing, patientOrientation } from './patientOrientation';
import { describeLoadError } from './pixelProbes';
import { setLinearWindow } from './linearWindow';
import { StackPrefetch } from './stackPrefetch';
import { resizeViewports } from './viewportResize';
import { VoiLutDisplay } from './voiLutDisplay';

export interface ViewerReadout {
  readonly sliceIndex: number;
  readonly sliceCount: number;
  readonly windowWidth: number | null;
  readonly windowCenter: number | null;
  /** While the file's VOI LUT Sequence is on screen instead of a window: its explanation ('' if none). */
  readonly voiLut: string | null;
  /** Why the current frame could not be decoded; null when it is on screen (or still loading). */
  readonly decodeError: string | null;
  /** Patient directions at the edges; null without plane geometry. */
  readonly orientation: OrientationMarkers | null;
  /** Screen (CSS) pixels per image pixel. */
  readonly zoom: number | null;
  readonly sliceThickness: number | null;
  /** Slice Location, or the z of Image Position (Patient), in mm. */
  readonly slicePosition: number | null;
  /** Millimetres per image column pixel, for the scale bar; null when the file states no spacing. */
  readonly columnSpacing: number | null;
}

interface ImagePlane {
  sliceThickness?: number;
  sliceLocation?: number;
  imagePositionPatient?: number[];
  columnPixelSpacing?: number;
  columnCosines?: number[];
}

let instanceCounter = 0;

/**
 * Orientation markers need a slice plane in patient space: cross-sectional modalities have one.
 * Projection images (CR, DX, XA...) often lack it, and the loader then assumes an axial plane.
 */
const CROSS_SECTIONAL = new Set(['CT', 'MR', 'PT', 'NM']);
function isCrossSectional(imageId: string): boolean {
  const series = metaData.get('generalSeriesModule', imageId) as { modality?: string } | undefined;
  return CROSS_SECTIONAL.has(series?.modality ?? '');
}

/** The backend really drawing: CPU when forced, or when WebGL was unavailable at init. */
export function currentRenderBackend(): 'gpu' | 'cpu' {
  return getShouldUseCPURendering() || getEffectiveRenderBackend() === 'cpu' ? 'cpu' : 'gpu';
}

/** One Cornerstone stack viewport in one element, with the radiologist's mouse bindings. */
export class StackViewer {
  readonly viewportId: string;
  private readonly engine: RenderingEngine;
  private readonly toolGroupId: string;
  private readonly removeListeners: () => void;
  private readonly voiLut: VoiLutDisplay;
  private readonly prefetch: StackPrefetch;
  private decodeError: string | null = null;
  private primaryTool: PrimaryToolName = WindowLevelTool.toolName;

  constructor(
    readonly element: HTMLDivElement,
    private readonly onReadout: (readout: ViewerReadout) => void,
  ) {
    const id = ++instanceCounter;
    this.viewportId = `lumen-stack-${id}`;
    this.toolGroupId = `lumen-tools-${id}`;
    // One rendering engine (one WebGL context) draws every viewport of the grid.
    this.engine = pageRenderingEngine('lumen-engine');
    this.engine.enableElement({
      viewportId: this.viewportId,
      type: Enums.ViewportType.STACK,
      element,
      defaultOptions: { background: [0, 0, 0] },
    });
    this.setUpTools();
    this.prefetch = new StackPrefetch(element, () => this.viewport);

    const update = (): void => this.onReadout(this.readout());
    this.voiLut = new VoiLutDisplay(() => this.viewport, element, update);
    const events = [
      Enums.Events.IMAGE_RENDERED,
      Enums.Events.VOI_MODIFIED,
      Enums.Events.STACK_NEW_IMAGE,
      Enums.Events.CAMERA_MODIFIED,
    ];
    for (const name of events) element.addEventListener(name, update);
    // A frame that fails to decode must say so in its viewport, never leave a silent black image.
    const clearError = (): void => {
      this.decodeError = null;
    };
    const onLoadError = (event: Event): void => {
      const detail = (event as CustomEvent<{ imageId?: string; error?: unknown }>).detail;
      if (!detail?.imageId || !this.viewport.getImageIds().includes(detail.imageId)) return;
      this.decodeError = describeLoadError(detail.error);
      update();
    };
    element.addEventListener(Enums.Events.PRE_STACK_NEW_IMAGE, clearError);
    eventTarget.addEventListener(Enums.Events.IMAGE_LOAD_ERROR, onLoadError);
    // Right-drag zooms: the browser's context menu must not open on release.
    const noMenu = (event: Event): void => event.preventDefault();
    element.addEventListener('contextmenu', noMenu);
    this.removeListeners = () => {
      for (const name of events) element.removeEventListener(name, update);
      element.removeEventListener(Enums.Events.PRE_STACK_NEW_IMAGE, clearError);
      eventTarget.removeEventListener(Enums.Events.IMAGE_LOAD_ERROR, onLoadError);
      element.removeEventListener('contextmenu', noMenu);
    };
  }

  private setUpTools(): void {
    const group = ToolGroupManager.createToolGroup(this.toolGroupId);
    if (!group) throw new Error('Could not create the viewer tool group.');
    for (const tool of [StackScrollTool, WindowLevelTool, ZoomTool, PanTool, ...MEASUREMENT_TOOL_CLASSES])
      group.addTool(tool.toolName);
    // Measurements stay visible (passive) while another tool has the left button.
    for (const tool of MEASUREMENT_TOOL_CLASSES) group.setToolPassive(tool.toolName);
    const { MouseBindings } = ToolEnums;
    group.setToolActive(StackScrollTool.toolName, { bindings: [{ mouseButton: MouseBindings.Wheel }] });
    group.setToolActive(WindowLevelTool.toolName, { bindings: [{ mouseButton: MouseBindings.Primary }] });
    group.setToolActive(ZoomTool.toolName, { bindings: [{ mouseButton: MouseBindings.Secondary }] });
    group.setToolActive(PanTool.toolName, { bindings: [{ mouseButton: MouseBindings.Auxiliary }] });
    group.addViewport(this.viewportId, this.engine.id);
  }

  /** Gives the left mouse button to a tool; the previous one stays passive (its drawings remain editable). */
  setPrimaryTool(name: PrimaryToolName): void {
    const group = ToolGroupManager.getToolGroup(this.toolGroupId);
    if (!group || name === this.primaryTool) return;
    group.setToolPassive(this.primaryTool);
    group.setToolActive(name, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Primary }] });
    this.primaryTool = name;
  }

  get viewport(): StackViewport {
    return this.engine.getViewport(this.viewportId) as StackViewport;
  }

  async showStack(imageIds: string[]): Promise<void> {
    this.prefetch.stop();
    await this.viewport.setStack(imageIds, 0);
    this.replaceUnusableWindow();
    this.voiLut.show();
    this.viewport.render();
    this.onReadout(this.readout());
    // Only now, so that the first slice never waits behind the rest of the series. (The viewport's
    // stack, not the argument: another series may have been asked for meanwhile.)
    const shown = this.viewport.getCornerstoneImage();
    if (shown) this.prefetch.start(this.viewport.getImageIds(), shown.sizeInBytes);
  }

  /**
   * Some files carry a window width of 0 (or none usable): they would show as a black image, so
   * the image's full value range is used instead.
   */
  private replaceUnusableWindow(): void {
    const viewport = this.viewport;
    const voi = viewport.getProperties().voiRange;
    const image = viewport.getCornerstoneImage();
    if (!image || (voi && voi.upper - voi.lower > 2)) return;
    if (image.maxPixelValue > image.minPixelValue) {
      setLinearWindow(viewport, { lower: image.minPixelValue, upper: image.maxPixelValue });
    }
  }

  /** Steps through slices, clamped at both ends. */
  scroll(delta: number): void {
    this.scrollTo(this.viewport.getCurrentImageIdIndex() + delta);
  }

  /** Goes to a slice, clamped to the stack. */
  scrollTo(index: number): void {
    const viewport = this.viewport;
    const count = viewport.getImageIds().length;
    if (count === 0) return;
    void viewport.setImageIdIndex(Math.min(count - 1, Math.max(0, index)));
  }

  /** Follows the elements' sizes (every viewport of the shared engine): see resizeViewports. */
  resize(): void {
    resizeViewports(this.engine);
    // Also called when the viewport is shown again (MPR closed): prefetch goes on where it paused.
    this.prefetch.fill();
  }

  readout(): ViewerReadout {
    const viewport = this.viewport;
    const sliceCount = viewport.getImageIds().length;
    const voi = sliceCount > 0 ? viewport.getProperties().voiRange : undefined;
    const wl = voi ? utilities.windowLevel.toWindowLevel(voi.lower, voi.upper) : null;
    const imageId = sliceCount > 0 ? viewport.getCurrentImageId() : undefined;
    const plane = imageId ? (metaData.get('imagePlaneModule', imageId) as ImagePlane | undefined) : undefined;
    const image = imageId ? viewport.getCornerstoneImage() : undefined;
    // Cornerstone 5.14 reports Slice Location 0 for a file without one (enhanced images never
    // have one): the position's z is shown then, not 0.
    const sliceLocation =
      imageId && naturalized(imageId)?.SliceLocation !== undefined ? plane?.sliceLocation : undefined;
    const canvas = viewport.canvas;
    const zoom =
      image && canvas.clientWidth > 0
        ? Math.min(canvas.clientWidth / image.columns, canvas.clientHeight / image.rows) * viewport.getZoom()
        : null;
    return {
      sliceIndex: viewport.getCurrentImageIdIndex(),
      sliceCount,
      windowWidth: wl?.windowWidth ?? null,
      windowCenter: wl?.windowCenter ?? null,
      voiLut: sliceCount > 0 ? this.voiLut.label : null,
      decodeError: this.decodeError,
      orientation: !imageId
        ? null
        : isCrossSectional(imageId) || hasImageOrientation(imageId)
          ? orientationMarkers(viewport)
          : projectionMarkers(viewport, patientOrientation(imageId)),
      zoom,
      sliceThickness: plane?.sliceThickness ?? null,
      slicePosition: sliceLocation ?? plane?.imagePositionPatient?.[2] ?? null,
      columnSpacing: imageId && hasStatedPixelSpacing(imageId) ? (plane?.columnPixelSpacing ?? null) : null,
    };
  }

  destroy(): void {
    this.prefetch.destroy();
    this.removeListeners();
    this.voiLut.destroy();
    ToolGroupManager.destroyToolGroup(this.toolGroupId);
    this.engine.disableElement(this.viewportId);
  }
}
