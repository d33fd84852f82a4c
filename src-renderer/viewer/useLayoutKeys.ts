import { useEffect } from 'react';
import { useLayoutStore, type LayoutId } from '../state/layoutStore';
import type { Shortcut } from './useViewerKeys';
import { viewerKey } from './viewerKeyEvents';

/** Shift+digit by physical key (event.code), so that it works whatever the keyboard layout prints. */
const LAYOUT_BY_CODE: Readonly<Record<string, LayoutId>> = {
  Digit1: '1x1',
  Digit2: '1x2',
  Digit3: '2x2',
};

export const LAYOUT_SHORTCUTS: readonly Shortcut[] = [
  { keys: 'Shift+1 / 2 / 3', action: 'Layout 1×1 / 1×2 / 2×2 (leaves MPR)' },
  { keys: 'M', action: 'MPR 1+3 on or off' },
];

/**
 * The layout keys, in the stack grid and in MPR alike: a grid layout (which also leaves MPR), or
 * MPR on and off where the opened series can be shown as MPR.
 */
export function useLayoutKeys(mpr: {
  readonly active: boolean;
  readonly unavailable: string | null;
  readonly setRequested: (on: boolean) => void;
}): void {
  const { active, unavailable, setRequested } = mpr;
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      const key = viewerKey(event);
      if (key === null) return;
      const layout = event.shiftKey ? LAYOUT_BY_CODE[event.code] : undefined;
      if (layout) {
        useLayoutStore.getState().setLayout(layout);
        setRequested(false);
      } else if (key === 'm' && unavailable === null) setRequested(!active);
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [active, unavailable, setRequested]);
}
