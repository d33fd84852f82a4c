import { useEffect, useRef, useState, type ChangeEvent } from 'react';
import { getApi } from '../api';
import { reportError } from '../state/errorStore';
import { useImportStore } from '../state/importStore';

/** The two open buttons: native dialogs under Electron, hidden file inputs in a browser. */
export function ImportControls() {
  const busy = useImportStore((s) => s.busy);
  const importFiles = useImportStore((s) => s.importFiles);
  const importFromDialog = useImportStore((s) => s.importFromDialog);
  const filesInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const native = getApi().openDialog !== null;
  // Browser-mode uploads are always copies; the choice matters where files are opened in place.
  const [copyIntoLibrary, setCopyIntoLibrary] = useState<boolean | null>(null);
  useEffect(() => {
    if (!native) return;
    getApi()
      .getLibrarySettings()
      .then((settings) => setCopyIntoLibrary(settings.copyIntoLibrary))
      .catch(reportError);
  }, [native]);
  const toggleCopy = (value: boolean): void => {
    getApi()
      .setLibrarySettings({ copyIntoLibrary: value })
      .then((settings) => setCopyIntoLibrary(settings.copyIntoLibrary))
      .catch(reportError);
  };

  const onPicked = (event: ChangeEvent<HTMLInputElement>): void => {
    const files = Array.from(event.target.files ?? []);
    // Clear the input so choosing the same files again still fires a change.
    event.target.value = '';
    if (files.length > 0) void importFiles(files);
  };

  return (
    <div className="import-controls">
      <button
        type="button"
        data-testid="open-files-button"
        disabled={busy}
        onClick={() => (native ? void importFromDialog('files') : filesInput.current?.click())}
      >
        Open files…
      </button>
      <button
        type="button"
        data-testid="open-folder-button"
        disabled={busy}
        onClick={() => (native ? void importFromDialog('folder') : folderInput.current?.click())}
      >
        Open folder…
      </button>
      {copyIntoLibrary !== null && (
        <label className="muted" title="Otherwise files are referenced where they are">
          <input
            type="checkbox"
            data-testid="copy-into-library"
            checked={copyIntoLibrary}
            onChange={(e) => toggleCopy(e.target.checked)}
          />{' '}
          Copy into library
        </label>
      )}
      <input ref={filesInput} type="file" multiple hidden data-testid="import-input" onChange={onPicked} />
      <input
        ref={folderInput}
        type="file"
        multiple
        hidden
        data-testid="import-folder-input"
        onChange={onPicked}
        // React has no typed prop for it; the attribute is what Chromium reads.
        {...{ webkitdirectory: '' }}
      />
    </div>
  );
}
