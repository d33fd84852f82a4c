/** Entry of `npm run analyze`: see analyze-command.ts. */
import { availableParallelism } from 'node:os';
import { inferenceEntry, modelsDir } from '../app-paths';
import { runAnalyze } from './analyze-command';

// Headless, no viewer needs a core kept free: a model run takes them all unless told otherwise
// (the forked inference process inherits the environment).
process.env.LUMEN_INTRA_OP_THREADS ??= String(availableParallelism());

runAnalyze(process.argv.slice(2), { modelsDir, inferenceEntry, log: (line) => console.log(line) }).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
