import { useEffect } from 'react';
import type { MprSlot } from './mprViewer';
import type { CinePlayer } from './cinePlayer';
import { MPR_PRIMARY_TOOLS, type MprPrimaryToolName, type MprReadingTools } from './mprReadingTools';
import type { Shortcut } from './useViewerKeys';
import { listenForViewerKeys, SLICE_STEPS } from './viewerKeyEvents';
import { presetsFor } from './windowPresets';

/** The MPR views' shortcuts, as the help overlay lists them: only what applies in MPR. */
export const MPR_SHORTCUTS: readonly Shortcut[] = [
  { keys: '↑ ← PageUp', action: 'Previous slice in the active view (click a view to make it active)' },
  { keys: '↓ → PageDown', action: 'Next slice in the active view' },
  { keys: 'Home / End', action: 'First / last slice in the active view' },
  { keys: '1 – 9', action: 'Window preset in every view (as in the menu)' },
  { keys: 'I', action: 'Invert every view' },
  { keys: 'R', action: 'Rotate 90° clockwise (active view)' },
  { keys: 'H / V', action: 'Flip horizontally / vertically (active view)' },
  { keys: 'C', action: 'Play / pause cine through the active view’s slices (frame rate in the toolbar)' },
  { keys: 'F', action: 'Zoom to fit (active view)' },
  { keys: 'Z', action: 'Zoom 1:1, one voxel per screen pixel (active view)' },
  { keys: 'Esc', action: 'Reset every view' },
  ...MPR_PRIMARY_TOOLS.map((tool) => ({
    keys: tool.key.toUpperCase(),
    action: `Left button: ${tool.label}`,
  })),
  { keys: '?', action: 'Show or hide this help' },
  { keys: 'Right drag / middle drag', action: 'Window/level / pan' },
  { keys: 'Wheel / Ctrl+wheel', action: 'Slices / zoom' },
  { keys: 'Double-click', action: 'Show a small view’s plane in the large view' },
];

/**
 * The MPR views' keyboard (while MPR is shown), unless a form control has it. Without tools (no
 * whole volume on screen) only the help key acts.
 */
export function useMprKeys(
  tools: MprReadingTools | null,
  cine: CinePlayer | null,
  activeSlot: MprSlot,
  modality: string,
  setTool: (tool: MprPrimaryToolName) => void,
  toggleHelp: () => void,
): void {
  useEffect(() => {
    const act = (key: string): boolean => {
      if (key === '?') {
        toggleHelp();
        return true;
      }
      if (!tools) return false;
      const step = SLICE_STEPS[key];
      const tool = MPR_PRIMARY_TOOLS.find((candidate) => candidate.key === key);
      if (step !== undefined) tools.scroll(activeSlot, step);
      else if (key === 'Home') tools.scrollToEnd(activeSlot, 'first');
      else if (key === 'End') tools.scrollToEnd(activeSlot, 'last');
      else if (/^[1-9]$/.test(key)) {
        const preset = presetsFor(modality)[Number(key) - 1];
        if (!preset) return false;
        tools.applyPreset(preset);
      } else if (key === 'i') tools.toggleInvert();
      else if (key === 'r') tools.rotate(activeSlot);
      else if (key === 'h') tools.flip(activeSlot, 'horizontal');
      else if (key === 'v') tools.flip(activeSlot, 'vertical');
      else if (key === 'c') cine?.toggle();
      else if (key === 'f') tools.zoomToFit(activeSlot);
      else if (key === 'z') tools.zoomOneToOne(activeSlot);
      else if (key === 'Escape') tools.reset();
      else if (tool) setTool(tool.name);
      else return false;
      return true;
    };
    return listenForViewerKeys(act);
  }, [tools, cine, activeSlot, modality, setTool, toggleHelp]);
}
