import { useRef } from 'react';
import { reportError } from '../state/errorStore';
import { downloadBlob, viewportPng } from '../viewer/viewportPng';
import type { StackViewer } from '../viewer/stackViewer';

/**
 * "Save PNG": the viewport as shown, with or without its annotations. It heads the side panels so
 * that it never reflows the viewer toolbar (and with it the viewport's size).
 */
export function SavePngControl({ viewer }: { viewer: StackViewer }) {
  const menu = useRef<HTMLDetailsElement>(null);
  const save = (withAnnotations: boolean): void => {
    if (menu.current) menu.current.open = false;
    const slice = viewer.readout().sliceIndex + 1;
    viewportPng(viewer.element, withAnnotations)
      .then((blob) => downloadBlob(blob, `viewport-slice${slice}${withAnnotations ? '-annotated' : ''}.png`))
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
