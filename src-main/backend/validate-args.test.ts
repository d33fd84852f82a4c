import { describe, expect, it, vi } from 'vitest';
import type { BackendMethods } from '../../src-shared/api';
import { dispatch, InvalidArgumentsError } from './validate-args';

function fakeBackend(): BackendMethods {
  const ok = vi.fn(async (args?: unknown) => args ?? 'none');
  return {
    listStudies: ok,
    listSeries: ok,
    listInstances: ok,
    importPaths: ok,
    cancelImports: ok,
    deleteStudy: ok,
    getLibrarySettings: ok,
    setLibrarySettings: ok,
    listModels: ok,
    startAnalysis: ok,
    listResults: ok,
    listJobs: ok,
    cancelJob: ok,
    retryJob: ok,
    prioritizeJob: ok,
    engineStatus: ok,
    installModel: ok,
    seriesEligibility: ok,
    getEngineSettings: ok,
    setEngineSettings: ok,
  } as unknown as BackendMethods;
}

describe('IPC/HTTP argument validation', () => {
  it('passes well-formed arguments through', async () => {
    const backend = fakeBackend();
    await expect(dispatch(backend, 'listSeries', { studyInstanceUid: '1.2.3' })).resolves.toEqual({
      studyInstanceUid: '1.2.3',
    });
    await expect(
      dispatch(backend, 'startAnalysis', { seriesId: 4, modelId: 'meshnet-gwm' }),
    ).resolves.toEqual({
      seriesId: 4,
      modelId: 'meshnet-gwm',
    });
    await expect(dispatch(backend, 'seriesEligibility', { seriesId: 7 })).resolves.toEqual({
      seriesId: 7,
    });
    await expect(dispatch(backend, 'listStudies', undefined)).resolves.toBe('none');
    await expect(dispatch(backend, 'listJobs', { states: ['failed', 'cancelled'] })).resolves.toEqual({
      states: ['failed', 'cancelled'],
    });
    await expect(dispatch(backend, 'retryJob', { jobId: 7 })).resolves.toEqual({ jobId: 7 });
    await expect(dispatch(backend, 'engineStatus', undefined)).resolves.toBe('none');
    await expect(dispatch(backend, 'cancelImports', undefined)).resolves.toBe('none');
    await expect(dispatch(backend, 'setLibrarySettings', { copyIntoLibrary: true })).resolves.toEqual({
      copyIntoLibrary: true,
    });
  });

  it.each([
    ['deleteEverything', {}],
    ['__proto__', {}],
    ['listSeries', { studyInstanceUid: '1.2; DROP TABLE' }],
    ['listSeries', { studyInstanceUid: '1.2', extra: 1 }],
    ['listInstances', { seriesId: -1 }],
    ['listInstances', { seriesId: 1.5 }],
    ['listInstances', { seriesId: '3' }],
    ['startAnalysis', { seriesId: 1, modelId: '../../etc/passwd' }],
    ['importPaths', { paths: [] }],
    ['importPaths', { paths: [42] }],
    ['listStudies', { sneaky: true }],
    ['cancelImports', { all: true }],
    ['deleteStudy', { studyInstanceUid: '../../etc' }],
    ['deleteStudy', {}],
    ['setLibrarySettings', { copyIntoLibrary: 'yes' }],
    ['setLibrarySettings', { copyIntoLibrary: true, path: '/' }],
    ['listResults', null],
    ['listJobs', { states: [] }],
    ['listJobs', { states: ['failed', 'exploded'] }],
    ['listJobs', { states: 'failed' }],
    ['cancelJob', { jobId: 0 }],
    ['retryJob', { jobId: '1' }],
    ['prioritizeJob', { jobId: 1, priority: 99 }],
    ['engineStatus', { pid: 1 }],
    ['installModel', { onnxPath: '/x/model.exe', manifestPath: '/x/manifest.json' }],
    ['installModel', { onnxPath: '/x/model.onnx' }],
    ['seriesEligibility', { seriesId: 0 }],
    ['seriesEligibility', { seriesId: 2, modelId: 'x' }],
    ['setEngineSettings', { autoAnalyze: 'yes' }],
    ['setEngineSettings', { autoAnalyze: true, other: 1 }],
  ])('refuses %s %j', (method, args) => {
    expect(() => dispatch(fakeBackend(), method, args)).toThrow(InvalidArgumentsError);
  });
});
