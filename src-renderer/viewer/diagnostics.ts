import { useLayoutStore } from '../state/layoutStore';
import {
  annotationImagePoints,
  decodedFilePixels,
  decodedPixels,
  displayedGrey,
  imagePointOnPage,
  libraryImageIds,
  worldPointOnPage,
  type DecodedPixels,
  type DecodeFailure,
} from './pixelProbes';
import { currentRenderBackend, type StackViewer } from './stackViewer';
import { viewportHandle } from './viewportRegistry';

/** One viewport of the grid, as the probes see it. */
export interface ViewportProbe {
  readonly imageIds: string[];
  readonly currentImageId: string;
  readonly currentImageIdIndex: number;
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
  labelmapShown(): boolean;
  labelmapNonZeroCount(): number;
  /** SOP Instance UID to imageId, over the whole library. */
  libraryImageIds(): Promise<Record<string, string>>;
  /** A frame decoded by Cornerstone's loader, as modality values. */
  decodedPixels(imageId: string): Promise<DecodedPixels | DecodeFailure>;
  /** The same for a file handed over directly, outside the library. */
  decodedFilePixels(file: File): Promise<DecodedPixels | DecodeFailure>;
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

export function installDiagnostics(): void {
  const activeOverlay = () => viewportHandle(useLayoutStore.getState().activeSlot)?.overlay ?? null;
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
  };
}
