import { useRef } from 'react';
import { reportError } from '../state/errorStore';
import { downloadBlob, viewportPng, type PngTarget } from '../viewer/viewportPng';

/**
 * "Save PNG": the active viewport as shown (the stack's, or in MPR the active view), with or without
 * its annotations. It heads the side panels so that it never reflows the viewer toolbar (and with
 * it the viewport's size).
 */
export function SavePngControl({ target }: { target: () => PngTarget | null }) {
  const menu = useRef<HTMLDetailsElement>(null);
  const save = (withAnnotations: boolean): void => {
    if (menu.current) menu.current.open = false;
    const chosen = target();
    if (!chosen) {
      reportError(new Error('Nothing to save: the active view shows no image.'));
      return;
    }
    viewportPng(chosen.element, withAnnotations)
      .then((blob) => downloadBlob(blob, `${chosen.fileName}${withAnnotations ? '-annotated' : ''}.png`))
      .catch((error: unknown) =>
        reportError(new Error(`Could not save the PNG: ${error instanceof Error ? error.message : error}`)),
      );
  };
  return (
    <details className="save-png" ref={menu}>
      <summary data-testid="save-png" title="Save the viewport as a PNG image">
        Save PNG…
      </summary>
      <div className="menu">
        <button type="button" data-testid="save-png-plain" onClick={() => save(false)}>
          Image only
        </button>
        <button type="button" data-testid="save-png-annotated" onClick={() => save(true)}>
          With annotations
        </button>
      </div>
    </details>
  );
}
