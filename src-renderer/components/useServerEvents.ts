import { useEffect } from 'react';
import { getApi } from '../api';
import { useAnalysisStore } from '../state/analysisStore';
import { useEngineStore } from '../state/engineStore';
import { useImportStore } from '../state/importStore';
import { useLibraryStore } from '../state/libraryStore';

/** Initial load, then keeps the library and jobs in step with what the backend pushes. */
export function useServerEvents(): void {
  useEffect(() => {
    void useLibraryStore.getState().refresh();
    void useAnalysisStore.getState().loadModels();
    void useEngineStore.getState().refresh();
    return getApi().onEvent((event) => {
      if (event.type === 'library-changed') void useLibraryStore.getState().refresh();
      else if (event.type === 'job') {
        useAnalysisStore.getState().handleJob(event.job);
        useEngineStore.getState().handleJob(event.job);
      } else if (event.type === 'import-progress') useImportStore.setState({ progress: event.progress });
    });
  }, []);
}
