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
    await expect(dispatch(backend, 'listStudies', undefined)).resolves.toBe('none');
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
  ])('refuses %s %j', (method, args) => {
    expect(() => dispatch(fakeBackend(), method, args)).toThrow(InvalidArgumentsError);
  });
});
