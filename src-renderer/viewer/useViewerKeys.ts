import { useEffect } from 'react';
import {
  applyPreset,
  flip,
  resetView,
  rotateClockwise,
  toggleInvert,
  zoomOneToOne,
  zoomToFit,
} from './readingTools';
import { PRIMARY_TOOLS } from './measurementTools';
import type { ViewerHandle } from './viewportRegistry';
import { presetsFor } from './windowPresets';
import { listenForViewerKeys, SLICE_STEPS } from './viewerKeyEvents';

/** One line of the help overlay. */
export interface Shortcut {
  readonly keys: string;
  readonly action: string;
}

/** Every shortcut of the stack viewer, as the help overlay lists them. */
export const SHORTCUTS: readonly Shortcut[] = [
  { keys: '↑ ← PageUp', action: 'Previous slice' },
  { keys: '↓ → PageDown', action: 'Next slice' },
  { keys: 'Home / End', action: 'First / last slice' },
  { keys: '1 – 9', action: 'Window preset (as in the menu)' },
  { keys: 'I', action: 'Invert' },
  { keys: 'R', action: 'Rotate 90° clockwise' },
  { keys: 'H / V', action: 'Flip horizontally / vertically' },
  { keys: 'F', action: 'Zoom to fit' },
  { keys: 'Z', action: 'Zoom 1:1 (one image pixel per screen pixel)' },
  { keys: 'Esc', action: 'Reset the view' },
  { keys: 'C', action: 'Play / pause cine (frame rate in the toolbar)' },
  ...PRIMARY_TOOLS.map((tool) => ({ keys: tool.key.toUpperCase(), action: `Left button: ${tool.label}` })),
  { keys: '?', action: 'Show or hide this help' },
  { keys: 'Left drag / wheel', action: 'Window/level / scroll' },
  { keys: 'Right drag / middle drag', action: 'Zoom / pan' },
];

/** The active viewer's keyboard, unless a form control has it. */
export function useViewerKeys(handle: ViewerHandle | null, modality: string, toggleHelp: () => void): void {
  useEffect(() => {
    if (!handle) return;
    const { viewer } = handle;
    const act = (key: string): boolean => {
      const viewport = viewer.viewport;
      const step = SLICE_STEPS[key];
      if (step !== undefined) viewer.scroll(step);
      else if (key === 'Home') viewer.scrollTo(0);
      else if (key === 'End') viewer.scrollTo(Number.MAX_SAFE_INTEGER);
      else if (key === '?') toggleHelp();
      else if (key === 'c') handle.cine.toggle();
      else if (viewport.getImageIds().length === 0 || !viewport.getCornerstoneImage()) return false;
      else if (/^[1-9]$/.test(key)) {
        const preset = presetsFor(modality)[Number(key) - 1];
        if (!preset) return false;
        applyPreset(viewport, preset);
      } else if (key === 'i') toggleInvert(viewport);
      else if (key === 'r') rotateClockwise(viewport);
      else if (key === 'h') flip(viewport, 'horizontal');
      else if (key === 'v') flip(viewport, 'vertical');
      else if (key === 'f') zoomToFit(viewport);
      else if (key === 'z') zoomOneToOne(viewport);
      else if (key === 'Escape') resetView(viewport);
      else if (PRIMARY_TOOLS.some((tool) => tool.key === key)) {
        viewer.setPrimaryTool(PRIMARY_TOOLS.find((tool) => tool.key === key)!.name);
      } else return false;
      return true;
    };
    return listenForViewerKeys(act);
  }, [handle, modality, toggleHelp]);
}
