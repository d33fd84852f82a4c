import { Enums, getRenderingCapabilities, type Types } from '@cornerstonejs/core';
import type { LabelmapOverlay } from './labelmapOverlay';
import type { MprLabelmapOverlay } from './mprLabelmap';
import { MPR_SLOTS, type MprSlot, type MprViewer, type MprVolumeInfo } from './mprViewer';
import {
  annotationImagePoints,
  canvasGrey,
  decodedFilePixels,
  decodedPixels,
  displayedGrey,
  imagePointOnPage,
  libraryImageIds,
  type DecodedPixels,
  type DecodeFailure,
} from './pixelProbes';
import { currentRenderBackend, type StackViewer } from './stackViewer';

/** Read-only probes for the end-to-end tests; nothing in the app reads them. */
export interface LumenDiagnostics {
  renderBackend(): 'gpu' | 'cpu';
  currentImageIdIndex(): number;
  /** The imageId on screen; '' when none. */
  currentImageId(): string;
  imageCount(): number;
  labelmapShown(): boolean;
  labelmapNonZeroCount(): number;
  /** SOP Instance UID to imageId, over the whole library. */
  libraryImageIds(): Promise<Record<string, string>>;
  /** A frame decoded by Cornerstone's loader, as modality values. */
  decodedPixels(imageId: string): Promise<DecodedPixels | DecodeFailure>;
  /** The same for a file handed over directly, outside the library. */
  decodedFilePixels(file: File): Promise<DecodedPixels | DecodeFailure>;
  /** The grey level shown on screen at an image pixel of the current image. */
  displayedGrey(column: number, row: number): number;
  /** Page coordinates of an image pixel's centre in the current image. */
  imagePointOnPage(column: number, row: number): [number, number];
  /** Each annotation's handles in image pixel coordinates of the current image. */
  annotationImagePoints(): Array<Array<[number, number]>>;
  /** Whether the stack viewport draws the current image inverted (MONOCHROME1 or by the user). */
  displayInverted(): boolean;
  /** Whether WebGL offers exact 16-bit (norm16) textures, which 16-bit volumes then use. */
  norm16Textures(): boolean;
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
  /** Page coordinates of a patient-space point in one MPR view. */
  mprPointOnPage(slot: MprSlot, world: Types.Point3): [number, number];
  mprLabelmapNonZeroCount(): number;
}

declare global {
  interface Window {
    __lumenDiagnostics?: LumenDiagnostics;
  }
}

let viewer: StackViewer | null = null;
let overlay: LabelmapOverlay | null = null;

/** The viewer (and its overlay) the probes look at; null when none is mounted. */
export function setDiagnosticsTarget(
  nextViewer: StackViewer | null,
  nextOverlay: LabelmapOverlay | null,
): void {
  viewer = nextViewer;
  overlay = nextOverlay;
}

let mpr: MprViewer | null = null;
let mprOverlay: MprLabelmapOverlay | null = null;

/** The MPR viewer the probes look at; null when MPR is closed. */
export function setMprDiagnosticsTarget(
  nextViewer: MprViewer | null,
  nextOverlay: MprLabelmapOverlay | null,
): void {
  mpr = nextViewer;
  mprOverlay = nextOverlay;
}

function openMpr(): MprViewer {
  if (!mpr) throw new Error('MPR is not open');
  return mpr;
}

function perSlot<T>(read: (slot: MprSlot) => T): Record<MprSlot, T> {
  return Object.fromEntries(MPR_SLOTS.map((slot) => [slot, read(slot)])) as Record<MprSlot, T>;
}

export function installDiagnostics(): void {
  window.__lumenDiagnostics = {
    renderBackend: currentRenderBackend,
    currentImageIdIndex: () => viewer?.readout().sliceIndex ?? -1,
    currentImageId: () => viewer?.viewport.getCurrentImageId() ?? '',
    imageCount: () => viewer?.readout().sliceCount ?? 0,
    labelmapShown: () => overlay?.shown ?? false,
    labelmapNonZeroCount: () => overlay?.nonZeroCount() ?? 0,
    libraryImageIds,
    decodedPixels,
    decodedFilePixels,
    displayedGrey: (column, row) => {
      if (!viewer) throw new Error('no viewer is mounted');
      return displayedGrey(viewer.viewport, column, row);
    },
    imagePointOnPage: (column, row) => {
      if (!viewer) throw new Error('no viewer is mounted');
      return imagePointOnPage(viewer.viewport, column, row);
    },
    annotationImagePoints: () => {
      const imageId = viewer?.viewport.getCurrentImageId();
      return imageId ? annotationImagePoints(imageId) : [];
    },
    displayInverted: () => viewer?.viewport.getProperties().invert ?? false,
    norm16Textures: () => {
      const capabilities = getRenderingCapabilities();
      return capabilities.norm16 && capabilities.norm16Linear;
    },
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
    mprPointOnPage: (slot, world) => {
      const viewport = openMpr().viewport(slot);
      const [x, y] = viewport.worldToCanvas(world);
      const box = viewport.canvas.getBoundingClientRect();
      return [box.left + x, box.top + y];
    },
    mprLabelmapNonZeroCount: () => mprOverlay?.nonZeroCount() ?? 0,
  };
}
