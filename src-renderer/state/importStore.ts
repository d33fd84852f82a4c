import { create } from 'zustand';
import type { ImportProgress, ImportReport } from '../../src-shared/api';
import { getApi } from '../api';
import { reportError } from './errorStore';
import { useLibraryStore } from './libraryStore';

interface ImportState {
  readonly busy: boolean;
  /** Files handed to the current import, or 0 when a native dialog is open and the count is unknown. */
  readonly fileCount: number;
  readonly report: ImportReport | null;
  /** The latest progress the backend pushed for the import under way. */
  readonly progress: ImportProgress | null;
  importFiles(files: readonly File[]): Promise<void>;
  importFromDialog(kind: 'files' | 'folder'): Promise<void>;
  dismissReport(): void;
  cancel(): Promise<void>;
}

export const useImportStore = create<ImportState>()((set, get) => {
  /** Runs one import at a time, then shows its report and refreshes the library. */
  const run = async (fileCount: number, start: () => Promise<ImportReport | null>): Promise<void> => {
    if (get().busy) return;
    set({ busy: true, fileCount, report: null, progress: null });
    try {
      const report = await start();
      if (report) set({ report });
    } catch (error) {
      reportError(error);
    } finally {
      set({ busy: false, progress: null });
      await useLibraryStore.getState().refresh();
    }
  };

  return {
    busy: false,
    fileCount: 0,
    report: null,
    progress: null,
    importFiles: async (files) => {
      if (files.length === 0) {
        reportError(new Error('Nothing to import: no files were found in what was dropped or chosen.'));
        return;
      }
      await run(files.length, () => getApi().importFiles(files));
    },
    importFromDialog: async (kind) => {
      const openDialog = getApi().openDialog;
      if (!openDialog) return;
      await run(0, () => openDialog(kind));
    },
    dismissReport: () => set({ report: null }),
    cancel: async () => {
      try {
        await getApi().cancelImports();
      } catch (error) {
        reportError(error);
      }
    },
  };
});
