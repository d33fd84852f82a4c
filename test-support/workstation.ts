/** The real main-process services on a data folder, with the compiled inference process, for tests and benchmarks. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Workstation } from '../src-main/backend/workstation';
import type { WorkstationOptions } from '../src-main/backend/workstation';
import type { SeriesSummary } from '../src-shared/api';
import { forkInferenceProcess } from '../src-main/inference/fork-channel';
import { compiledWorker, repoRoot, sharedPath, T1_SERIES } from './shared-data';

export function openWorkstation(dataDir: string, options: Partial<WorkstationOptions> = {}): Workstation {
  if (!existsSync(compiledWorker))
    throw new Error(`${compiledWorker} is missing: run "npm run build:ts" first`);
  return new Workstation({
    dataDir,
    modelsDir: join(repoRoot, 'models'),
    inferenceEntry: compiledWorker,
    startInferenceProcess: forkInferenceProcess,
    ...options,
  });
}

/** The MeshNet model as `npm install` put it in models/ (tests that run it skip without it). */
export const meshnetInstalled = existsSync(join(repoRoot, 'models', 'meshnet-gwm', 'weights', 'model.onnx'));

/** Imports the trio's T1 MPRAGE: its study, its series and its slices' files in display order. */
export async function importT1(
  workstation: Workstation,
): Promise<{ studyInstanceUid: string; t1: SeriesSummary; slicePaths: string[] }> {
  await workstation.importPaths({ paths: [sharedPath(T1_SERIES)] });
  const [study] = await workstation.listStudies();
  const [t1] = await workstation.listSeries({ studyInstanceUid: study!.studyInstanceUid });
  const slicePaths = workstation.library.seriesInstances(t1!.seriesId).map((instance) => instance.path);
  return { studyInstanceUid: study!.studyInstanceUid, t1: t1!, slicePaths };
}
