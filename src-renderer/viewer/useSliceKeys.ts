import { useEffect } from 'react';
import type { StackViewer } from './stackViewer';

const STEPS: Readonly<Record<string, number>> = {
  ArrowUp: -1,
  ArrowLeft: -1,
  PageUp: -1,
  ArrowDown: 1,
  ArrowRight: 1,
  PageDown: 1,
};

/** Arrow keys and PageUp/PageDown step through slices, unless a form control has the keyboard. */
export function useSliceKeys(viewer: StackViewer | null): void {
  useEffect(() => {
    if (!viewer) return;
    const onKey = (event: KeyboardEvent): void => {
      const step = STEPS[event.key];
      if (step === undefined || event.altKey || event.ctrlKey || event.metaKey) return;
      const target = event.target;
      if (
        target instanceof HTMLElement &&
        target.closest('input, select, textarea, [contenteditable="true"]')
      )
        return;
      event.preventDefault();
      viewer.scroll(step);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [viewer]);
}
