import { cache, Enums, getRenderingCapabilities, type Types } from '@cornerstonejs/core';
import { annotation } from '@cornerstonejs/tools';
import { useLayoutStore } from '../state/layoutStore';
import { MEASUREMENT_TOOL_NAMES } from './measurementTools';
import { MPR_SLOTS, type MprSlot, type MprViewer, type MprVolumeInfo } from './mprViewer';
import {
  annotationImagePoints,
  canvasGrey,
  canvasRgb,
  decodedFilePixels,
  decodedPixels,
  displayedGrey,
  imagePointOnPage,
  libraryImageIds,
  worldPointOnPage,
  type DecodedPixels,
  type DecodeFailure,
} from './pixelProbes';
import { jpeg12Bias } from './jpegExtendedBias';
import { viewOverlays } from './seriesLabelmaps';
import { currentRenderBackend, type StackViewer } from './stackViewer';
import { viewportHandle } from './viewportRegistry';

/** One viewport of the grid, as the probes see it. */
export interface ViewportProbe {
  readonly imageIds: string[];
  readonly currentImageId: string;
  readonly currentImageIdIndex: number;
}

/** One segmentation overlay of a view: drawn and visible, and how many labelled voxels it holds. */
export interface SegmentationOverlayProbe {
  readonly shown: boolean;
  readonly nonZero: number;
}

/**
 * Read-only probes for the end-to-end tests; nothing in the app reads them. Without a `slot`
 * argument a probe looks at the active viewport (the only one in the 1x1 layout).
 */
export interface LumenDiagnostics {
  renderBackend(): 'gpu' | 'cpu';
  currentImageIdIndex(): number;
  /** The imageId on screen; '' when none. */
  currentImageId(): string;
  imageCount(): number;
  /** The AI result's overlay on the active viewport. */
  labelmapShown(): boolean;
  labelmapNonZeroCount(): number;
  /** A viewport's segmentation overlays (SEG layers `seg-<id>-layer-<n>`, AI `result-<id>`). */
  segmentationOverlays(slot?: number): Record<string, SegmentationOverlayProbe>;
  /** SOP Instance UID to imageId, over the whole library. */
  libraryImageIds(): Promise<Record<string, string>>;
  /** A frame decoded by Cornerstone's loader, as modality values. */
  decodedPixels(imageId: string): Promise<DecodedPixels | DecodeFailure>;
  /** The same for a file handed over directly, outside the library. */
  decodedFilePixels(file: File): Promise<DecodedPixels | DecodeFailure>;
  /** What the loader's decoder adds to 12-bit JPEG extended samples (the viewer takes it off). */
  jpeg12Bias(): Promise<number>;
  /** The grey level shown on screen at an image pixel of the current image. */
  displayedGrey(column: number, row: number, slot?: number): number;
  /** Page coordinates of an image pixel's centre in the current image. */
  imagePointOnPage(column: number, row: number, slot?: number): [number, number];
  /** Each annotation's handles in image pixel coordinates of the current image. */
  annotationImagePoints(): Array<Array<[number, number]>>;
  /** Whether the stack viewport draws the current image inverted (MONOCHROME1 or by the user). */
  displayInverted(): boolean;
  /** The grid slot of the active viewport. */
  activeViewport(): number;
  /** A viewport of the grid; null when that slot has none mounted. */
  viewport(slot: number): ViewportProbe | null;
  /** Page coordinates (CSS pixels) where a patient-space point (mm) falls in a viewport. */
  worldPointOnPage(slot: number, point: [number, number, number]): [number, number];
  /** Whether WebGL offers exact 16-bit (norm16) textures, which 16-bit volumes then use. */
  norm16Textures(): boolean;
  /** Bytes of decoded images in Cornerstone's cache (a streaming volume's slices are such images). */
  cachedImageBytes(): number;
  /** Empties Cornerstone's image and volume cache, so that the next load decodes again. */
  purgeImageCache(): void;
  /** How many of a stack viewport's images are decoded in Cornerstone's cache (prefetch fills it). */
  stackCachedCount(slot?: number): number;
  /** The MPR views, when MPR is open: volume geometry, cameras, voxel and on-screen values. */
  mprVolumeInfo(): MprVolumeInfo | null;
  mprViewPlaneNormals(): Record<MprSlot, Types.Point3>;
  mprFocalPoints(): Record<MprSlot, Types.Point3>;
  mprVoxelValue(i: number, j: number, k: number): number;
  mprVoxelWorld(i: number, j: number, k: number): Types.Point3;
  mprSetCrosshairCenter(world: Types.Point3): void;
  mprSetVoiRange(lower: number, upper: number): void;
  /** Nearest-voxel sampling in every MPR view, so that a probed screen pixel shows one voxel's value. */
  mprSampleNearest(): void;
  /** Centres the large MPR view on a point at a given scale (mm per screen pixel), for probing one voxel. */
  mprZoomLargeOn(world: Types.Point3, mmPerPixel: number): void;
  /** The grey level on screen at a patient-space point in one MPR view. */
  mprDisplayedGrey(slot: MprSlot, world: Types.Point3): number;
  /** The colour (R, G, B) drawn where a patient-space point is in an MPR view. */
  mprDisplayedRgb(slot: MprSlot, world: Types.Point3): [number, number, number];
  /** Page coordinates of a patient-space point in one MPR view. */
  mprPointOnPage(slot: MprSlot, world: Types.Point3): [number, number];
  /** The AI result's labelmap volume in MPR. */
  mprLabelmapNonZeroCount(): number;
  /** Each measurement's handles in patient space (mm), oldest first, with its tool and image. */
  measurementWorldPoints(): Array<{ tool: string; points: Types.Point3[]; referencedImageId: string | null }>;
  mprSegmentationOverlays(): Record<string, SegmentationOverlayProbe>;
}

declare global {
  interface Window {
    __lumenDiagnostics?: LumenDiagnostics;
  }
}

function viewerAt(slot?: number): StackViewer | null {
  return viewportHandle(slot ?? useLayoutStore.getState().activeSlot)?.viewer ?? null;
}

function mountedViewer(slot?: number): StackViewer {
  const viewer = viewerAt(slot);
  if (!viewer) throw new Error('no viewer is mounted');
  return viewer;
}

let mpr: MprViewer | null = null;

/** The MPR viewer the probes look at; null when MPR is closed. */
export function setMprDiagnosticsTarget(viewer: MprViewer | null): void {
  mpr = viewer;
}

/** A view's AI result overlay (`slot-<n>` or `mpr`), if it has one. */
function resultOverlay(view: string) {
  return [...viewOverlays(view)].find(([id]) => id.startsWith('result-'))?.[1] ?? null;
}

/** The segmentation overlays of a view, by source id, as the probes report them. */
function overlayProbes(view: string): Record<string, SegmentationOverlayProbe> {
  return Object.fromEntries(
    [...viewOverlays(view)].map(([id, overlay]) => [
      id,
      { shown: overlay.shown, nonZero: overlay.nonZeroCount() },
    ]),
  );
}

function openMpr(): MprViewer {
  if (!mpr) throw new Error('MPR is not open');
  return mpr;
}

function perSlot<T>(read: (slot: MprSlot) => T): Record<MprSlot, T> {
  return Object.fromEntries(MPR_SLOTS.map((slot) => [slot, read(slot)])) as Record<MprSlot, T>;
}

export function installDiagnostics(): void {
  const activeOverlay = () => resultOverlay(`slot-${useLayoutStore.getState().activeSlot}`);
  window.__lumenDiagnostics = {
    renderBackend: currentRenderBackend,
    currentImageIdIndex: () => viewerAt()?.readout().sliceIndex ?? -1,
    currentImageId: () => viewerAt()?.viewport.getCurrentImageId() ?? '',
    imageCount: () => viewerAt()?.readout().sliceCount ?? 0,
    labelmapShown: () => activeOverlay()?.shown ?? false,
    labelmapNonZeroCount: () => activeOverlay()?.nonZeroCount() ?? 0,
    libraryImageIds,
    decodedPixels,
    decodedFilePixels,
    jpeg12Bias,
    displayedGrey: (column, row, slot) => displayedGrey(mountedViewer(slot).viewport, column, row),
    imagePointOnPage: (column, row, slot) => imagePointOnPage(mountedViewer(slot).viewport, column, row),
    annotationImagePoints: () => {
      const imageId = viewerAt()?.viewport.getCurrentImageId();
      return imageId ? annotationImagePoints(imageId) : [];
    },
    displayInverted: () => viewerAt()?.viewport.getProperties().invert ?? false,
    activeViewport: () => useLayoutStore.getState().activeSlot,
    viewport: (slot) => {
      const viewport = viewerAt(slot)?.viewport;
      if (!viewport) return null;
      const imageIds = viewport.getImageIds();
      return {
        imageIds,
        currentImageId: imageIds.length > 0 ? (viewport.getCurrentImageId() ?? '') : '',
        currentImageIdIndex: viewport.getCurrentImageIdIndex(),
      };
    },
    worldPointOnPage: (slot, point) => worldPointOnPage(mountedViewer(slot).viewport, point),
    norm16Textures: () => {
      const capabilities = getRenderingCapabilities();
      return capabilities.norm16 && capabilities.norm16Linear;
    },
    cachedImageBytes: () => cache.getCacheSize(),
    purgeImageCache: () => cache.purgeCache(),
    stackCachedCount: (slot) =>
      mountedViewer(slot)
        .viewport.getImageIds()
        .filter((imageId) => cache.isLoaded(imageId)).length,
    mprVolumeInfo: () => mpr?.volumeInfo() ?? null,
    mprViewPlaneNormals: () => perSlot((slot) => openMpr().viewport(slot).getCamera().viewPlaneNormal!),
    mprFocalPoints: () => perSlot((slot) => openMpr().viewport(slot).getCamera().focalPoint!),
    mprVoxelValue: (i, j, k) => openMpr().voxelValue(i, j, k),
    mprVoxelWorld: (i, j, k) => openMpr().voxelToWorld(i, j, k),
    mprSetCrosshairCenter: (world) => openMpr().setCrosshairCenter(world),
    mprSetVoiRange: (lower, upper) => openMpr().setVoiRange(lower, upper),
    mprSampleNearest: () => {
      const viewer = openMpr();
      for (const slot of MPR_SLOTS)
        viewer.viewport(slot).setProperties({ interpolationType: Enums.InterpolationType.NEAREST });
      for (const slot of MPR_SLOTS) viewer.viewport(slot).render();
    },
    mprZoomLargeOn: (world, mmPerPixel) => {
      const viewport = openMpr().viewport('large');
      const { focalPoint, position } = viewport.getCamera();
      if (!focalPoint || !position) throw new Error('the large view has no camera');
      const shift = [0, 1, 2].map((i) => world[i]! - focalPoint[i]!);
      const moved = (p: Types.Point3): Types.Point3 => [p[0] + shift[0]!, p[1] + shift[1]!, p[2] + shift[2]!];
      viewport.setCamera({
        focalPoint: moved(focalPoint),
        position: moved(position),
        parallelScale: (viewport.canvas.clientHeight / 2) * mmPerPixel,
      });
      viewport.render();
    },
    mprDisplayedGrey: (slot, world) => canvasGrey(openMpr().viewport(slot), world),
    mprDisplayedRgb: (slot, world) => canvasRgb(openMpr().viewport(slot), world),
    mprPointOnPage: (slot, world) => {
      const viewport = openMpr().viewport(slot);
      const [x, y] = viewport.worldToCanvas(world);
      const box = viewport.canvas.getBoundingClientRect();
      return [box.left + x, box.top + y];
    },
    mprLabelmapNonZeroCount: () => resultOverlay('mpr')?.nonZeroCount() ?? 0,
    measurementWorldPoints: () =>
      annotation.state.getAllAnnotations().flatMap((item) =>
        item.metadata?.toolName &&
        MEASUREMENT_TOOL_NAMES.has(item.metadata.toolName) &&
        item.data?.handles?.points
          ? [
              {
                tool: item.metadata.toolName,
                points: item.data.handles.points.map((p) => [p[0], p[1], p[2]] as Types.Point3),
                referencedImageId: item.metadata.referencedImageId ?? null,
              },
            ]
          : [],
      ),
    segmentationOverlays: (slot) => overlayProbes(`slot-${slot ?? useLayoutStore.getState().activeSlot}`),
    mprSegmentationOverlays: () => overlayProbes('mpr'),
  };
}
