import type { WorkstationApi } from '../../src-shared/api';
import { instancePath, labelmapPath } from '../../src-shared/http-protocol';
import { createEventSocket } from './eventSocket';
import { callRpc, failureOf } from './httpRpc';
import { cancelUploads, uploadAndImport } from './uploadFiles';
import { uploadAndInstallModel } from './uploadModel';

/** WorkstationApi over loopback HTTP + WebSocket; the auth cookie rides along on every request. */
export function createBrowserApi(): WorkstationApi {
  return {
    host: 'browser',
    openDialog: null,
    importFiles: (files) => uploadAndImport(files),
    listStudies: () => callRpc('listStudies'),
    listSeries: (studyInstanceUid) => callRpc('listSeries', { studyInstanceUid }),
    listInstances: async (seriesId) => {
      const refs = await callRpc('listInstances', { seriesId });
      return refs.map((ref) => ({
        ...ref,
        url: new URL(instancePath(ref.instanceId), location.origin).href,
      }));
    },
    cancelImports: async () => {
      const uploads = cancelUploads();
      const { cancelled } = await callRpc('cancelImports');
      return { cancelled: cancelled + uploads };
    },
    deleteStudy: (studyInstanceUid) => callRpc('deleteStudy', { studyInstanceUid }),
    getLibrarySettings: () => callRpc('getLibrarySettings'),
    setLibrarySettings: (settings) => callRpc('setLibrarySettings', { ...settings }),
    listModels: () => callRpc('listModels'),
    startAnalysis: (seriesId, modelId) => callRpc('startAnalysis', { seriesId, modelId }),
    listResults: (seriesId) => callRpc('listResults', { seriesId }),
    listJobs: (states) => callRpc('listJobs', { states }),
    cancelJob: (jobId) => callRpc('cancelJob', { jobId }),
    retryJob: (jobId) => callRpc('retryJob', { jobId }),
    prioritizeJob: (jobId) => callRpc('prioritizeJob', { jobId }),
    engineStatus: () => callRpc('engineStatus'),
    getEngineSettings: () => callRpc('getEngineSettings'),
    setEngineSettings: (settings) => callRpc('setEngineSettings', settings),
    loadSegmentation: (segSeriesId, seriesId) => callRpc('loadSegmentation', { segSeriesId, seriesId }),
    listMeasurements: (seriesId) => callRpc('listMeasurements', { seriesId }),
    saveMeasurement: (measurement) => callRpc('saveMeasurement', { ...measurement }),
    deleteMeasurement: (uid) => callRpc('deleteMeasurement', { uid }),
    seriesEligibility: (seriesId) => callRpc('seriesEligibility', { seriesId }),
    installModel: (onnx, manifest) => uploadAndInstallModel(onnx, manifest),
    fetchLabelmap: async (resultId) => {
      const response = await fetch(labelmapPath(resultId), { credentials: 'same-origin' });
      if (!response.ok) throw await failureOf(response);
      return new Uint8Array(await response.arrayBuffer());
    },
    onEvent: createEventSocket(),
  };
}
