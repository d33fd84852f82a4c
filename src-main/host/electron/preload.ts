/**
 * The preload: exposes one typed API object to the renderer and nothing else. Sandboxed preloads
 * may require only 'electron', so this file imports nothing else at run time (types only).
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { BackendMethodName, InstanceRef, ServerEvent, WorkstationApi } from '../../../src-shared/api';

// Repeated from ipc-channels.ts (which a sandboxed preload cannot require); a unit test keeps them equal.
const IPC_CALL = 'lumen:call';
const IPC_OPEN_DIALOG = 'lumen:open-dialog';
const IPC_EVENT = 'lumen:event';
const APP_ORIGIN = 'app://workstation';

function call<T>(method: BackendMethodName, args?: object): Promise<T> {
  return ipcRenderer.invoke(IPC_CALL, method, args) as Promise<T>;
}

const api: WorkstationApi = {
  host: 'electron',
  importFiles: (files) => call('importPaths', { paths: files.map((file) => webUtils.getPathForFile(file)) }),
  openDialog: (kind) => ipcRenderer.invoke(IPC_OPEN_DIALOG, kind),
  listStudies: () => call('listStudies'),
  listSeries: (studyInstanceUid) => call('listSeries', { studyInstanceUid }),
  listInstances: async (seriesId) => {
    const instances = await call<Array<Omit<InstanceRef, 'url'>>>('listInstances', { seriesId });
    return instances.map((instance) => ({
      ...instance,
      url: `${APP_ORIGIN}/instances/${instance.instanceId}`,
    }));
  },
  cancelImports: () => call('cancelImports'),
  deleteStudy: (studyInstanceUid) => call('deleteStudy', { studyInstanceUid }),
  getLibrarySettings: () => call('getLibrarySettings'),
  setLibrarySettings: (settings) => call('setLibrarySettings', settings),
  listModels: () => call('listModels'),
  startAnalysis: (seriesId, modelId) => call('startAnalysis', { seriesId, modelId }),
  listResults: (seriesId) => call('listResults', { seriesId }),
  listJobs: (states) => call('listJobs', { states }),
  cancelJob: (jobId) => call('cancelJob', { jobId }),
  retryJob: (jobId) => call('retryJob', { jobId }),
  prioritizeJob: (jobId) => call('prioritizeJob', { jobId }),
  engineStatus: () => call('engineStatus'),
  getEngineSettings: () => call('getEngineSettings'),
  setEngineSettings: (settings) => call('setEngineSettings', settings),
  loadSegmentation: (segSeriesId, seriesId) => call('loadSegmentation', { segSeriesId, seriesId }),
  listMeasurements: (seriesId) => call('listMeasurements', { seriesId }),
  saveMeasurement: (measurement) => call('saveMeasurement', measurement),
  deleteMeasurement: (uid) => call('deleteMeasurement', { uid }),
  seriesEligibility: (seriesId) => call('seriesEligibility', { seriesId }),
  installModel: (onnx, manifest) =>
    call('installModel', {
      onnxPath: webUtils.getPathForFile(onnx),
      manifestPath: webUtils.getPathForFile(manifest),
    }),
  fetchLabelmap: async (resultId) => {
    const response = await fetch(`${APP_ORIGIN}/api/results/${resultId}/labelmap`);
    if (!response.ok) throw new Error(`labelmap ${resultId} could not be read`);
    return new Uint8Array(await response.arrayBuffer());
  },
  onEvent: (listener) => {
    const handler = (_event: unknown, message: ServerEvent): void => listener(message);
    ipcRenderer.on(IPC_EVENT, handler);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT, handler);
    };
  },
};

contextBridge.exposeInMainWorld('workstation', api);
