/** Entry of `npm run analyze`: see analyze-command.ts. */
import { inferenceEntry, modelsDir } from '../app-paths';
import { runAnalyze } from './analyze-command';

runAnalyze(process.argv.slice(2), { modelsDir, inferenceEntry, log: (line) => console.log(line) }).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
