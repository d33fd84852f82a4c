import type { LabelmapOverlay } from './labelmapOverlay';
import { currentRenderBackend, type StackViewer } from './stackViewer';

/** Read-only probes for the end-to-end tests; nothing in the app reads them. */
export interface LumenDiagnostics {
  renderBackend(): 'gpu' | 'cpu';
  currentImageIdIndex(): number;
  imageCount(): number;
  labelmapShown(): boolean;
  labelmapNonZeroCount(): number;
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
    imageCount: () => viewer?.readout().sliceCount ?? 0,
    labelmapShown: () => overlay?.shown ?? false,
    labelmapNonZeroCount: () => overlay?.nonZeroCount() ?? 0,
  };
}
