import { EngineStatusPanel } from './EngineStatusPanel';
import { ErrorBanner } from './ErrorBanner';
import { FailedJobsPanel } from './FailedJobsPanel';
import { ImportControls } from './ImportControls';
import { ImportStatus } from './ImportStatus';
import { SeriesList } from './SeriesList';
import { StudyList } from './StudyList';
import { useServerEvents } from './useServerEvents';
import { useWindowDrop } from './useWindowDrop';
import { ViewerPane } from './ViewerPane';

export function App() {
  useServerEvents();
  const dragging = useWindowDrop();

  return (
    <div className="app">
      <header className="app-header">
        <span className="app-name">Lumen Workstation</span>
        <ImportControls />
      </header>
      <ErrorBanner />
      <div className="app-body">
        <nav className="sidebar">
          <ImportStatus />
          <StudyList />
          <SeriesList />
          <FailedJobsPanel />
          <EngineStatusPanel />
        </nav>
        <ViewerPane />
      </div>
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          Drop DICOM files or folders to import
        </div>
      )}
    </div>
  );
}
