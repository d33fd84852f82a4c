import type { LabelmapOverlay } from './labelmapOverlay';
import {
  annotationImagePoints,
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
  };
}
