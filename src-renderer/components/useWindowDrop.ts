import { useEffect, useState } from 'react';
import { getApi } from '../api';
import { reportError } from '../state/errorStore';
import { useImportStore } from '../state/importStore';
import { collectDroppedFiles } from '../util/collectDroppedFiles';

const carriesFiles = (event: DragEvent): boolean => event.dataTransfer?.types.includes('Files') ?? false;

/** Files and folders dropped anywhere on the window are imported; returns whether a drag is over it. */
export function useWindowDrop(): boolean {
  const [dragging, setDragging] = useState(false);

  useEffect(() => {
    // dragenter/dragleave fire for every child element crossed: count them to know when the drag left.
    let depth = 0;
    const onEnter = (event: DragEvent): void => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      depth++;
      setDragging(true);
    };
    const onOver = (event: DragEvent): void => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    };
    const onLeave = (event: DragEvent): void => {
      if (!carriesFiles(event)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const onDrop = (event: DragEvent): void => {
      if (!carriesFiles(event) || !event.dataTransfer) return;
      event.preventDefault();
      depth = 0;
      setDragging(false);
      // Electron's preload resolves real paths (folders included) from the top-level Files;
      // a browser cannot, so the folders are walked here and uploaded file by file.
      const files =
        getApi().host === 'electron'
          ? Promise.resolve(Array.from(event.dataTransfer.files))
          : collectDroppedFiles(event.dataTransfer);
      files.then((list) => useImportStore.getState().importFiles(list)).catch(reportError);
    };
    window.addEventListener('dragenter', onEnter);
    window.addEventListener('dragover', onOver);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragenter', onEnter);
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('drop', onDrop);
    };
  }, []);

  return dragging;
}
