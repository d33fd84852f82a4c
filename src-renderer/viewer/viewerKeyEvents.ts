/** What the viewers' keyboard hooks share: which key events are theirs, and the slice-step keys. */

/** Slice steps by key: back towards the first slice, or on towards the last. */
export const SLICE_STEPS: Readonly<Record<string, number>> = {
  ArrowUp: -1,
  ArrowLeft: -1,
  PageUp: -1,
  ArrowDown: 1,
  ArrowRight: 1,
  PageDown: 1,
};

/**
 * The key a viewer shortcut reads (letters in lower case), or null where the event is not for the
 * viewer: a form control has the keyboard, or Ctrl, Alt or Meta is held.
 */
export function viewerKey(event: KeyboardEvent): string | null {
  if (event.altKey || event.ctrlKey || event.metaKey) return null;
  const target = event.target;
  if (target instanceof HTMLElement && target.closest('input, select, textarea, [contenteditable="true"]'))
    return null;
  return event.key.length === 1 ? event.key.toLowerCase() : event.key;
}

/**
 * Calls `act` with each viewer key pressed in the window (see viewerKey); a key it handles (returns
 * true for) does nothing else. Returns the function that stops listening.
 */
export function listenForViewerKeys(act: (key: string) => boolean): () => void {
  const onKey = (event: KeyboardEvent): void => {
    const key = viewerKey(event);
    if (key !== null && act(key)) event.preventDefault();
  };
  window.addEventListener('keydown', onKey);
  return () => window.removeEventListener('keydown', onKey);
}
