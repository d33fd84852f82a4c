import { create } from 'zustand';
import type { CinePlayer } from './cinePlayer';
import type { StackViewer } from './stackViewer';

/** One mounted viewport of the grid: its Cornerstone viewer and cine player. */
export interface ViewerHandle {
  readonly viewer: StackViewer;
  readonly cine: CinePlayer;
  /** Resolves once the slot's current stack is on screen; overlays and measurements wait for it. */
  readonly stackReady: { current: Promise<void> };
}

/** The mounted viewports by grid slot (a slot outside the current layout has none). */
export const useViewportRegistry = create<{ readonly handles: Readonly<Record<number, ViewerHandle>> }>()(
  () => ({ handles: {} }),
);

export function registerViewport(slot: number, handle: ViewerHandle | null): void {
  useViewportRegistry.setState((s) => {
    const handles = { ...s.handles };
    if (handle) handles[slot] = handle;
    else delete handles[slot];
    return { handles };
  });
}

export function viewportHandle(slot: number): ViewerHandle | null {
  return useViewportRegistry.getState().handles[slot] ?? null;
}
