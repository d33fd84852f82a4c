/** The real main-process services on a data folder, with the compiled inference process, for tests and benchmarks. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Workstation } from '../src-main/backend/workstation';
import type { WorkstationOptions } from '../src-main/backend/workstation';
import { forkInferenceProcess } from '../src-main/inference/fork-channel';
import { compiledWorker, repoRoot } from './shared-data';

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
