import { create } from 'zustand';
import type { ViewerReadout } from '../viewer/stackViewer';

/** What one viewport's corner overlay and cine control show; written from Cornerstone's events. */
export interface ViewportState extends ViewerReadout {
  readonly loading: boolean;
  readonly cinePlaying: boolean;
  /** Cine frames per second: the user's choice, else the file's own rate, else 15. */
  readonly frameRate: number;
}

export const DEFAULT_FRAME_RATE = 15;

export const EMPTY_VIEWPORT_STATE: ViewportState = {
  sliceIndex: 0,
  sliceCount: 0,
  windowWidth: null,
  windowCenter: null,
  voiLut: null,
  loading: false,
  decodeError: null,
  orientation: null,
  zoom: null,
  sliceThickness: null,
  slicePosition: null,
  columnSpacing: null,
  cinePlaying: false,
  frameRate: DEFAULT_FRAME_RATE,
};

/** Per-viewport state, keyed by the viewport's slot in the grid. */
interface ViewerState {
  readonly viewports: Readonly<Record<number, ViewportState>>;
}

export const useViewerStore = create<ViewerState>()(() => ({ viewports: {} }));

/** One field of a slot's state (its empty state until the slot has published anything). */
export function useViewportState<T>(slot: number, select: (state: ViewportState) => T): T {
  return useViewerStore((s) => select(s.viewports[slot] ?? EMPTY_VIEWPORT_STATE));
}

export function viewportState(slot: number): ViewportState {
  return useViewerStore.getState().viewports[slot] ?? EMPTY_VIEWPORT_STATE;
}

/** Publishes changed fields only: IMAGE_RENDERED fires on every frame of a drag. */
export function publishViewportState(slot: number, update: Partial<ViewportState>): void {
  const current = viewportState(slot);
  const changed = (Object.keys(update) as Array<keyof ViewportState>).some(
    (key) => JSON.stringify(current[key]) !== JSON.stringify(update[key]),
  );
  if (!changed) return;
  useViewerStore.setState((s) => ({ viewports: { ...s.viewports, [slot]: { ...current, ...update } } }));
}
