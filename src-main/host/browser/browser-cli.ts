/**
 * Browser mode's entry: the main-process services under plain Node, the renderer served to a
 * browser on 127.0.0.1, the inference process forked as a child. Prints the URL to open.
 */
import { parseArgs } from 'node:util';
import { Workstation } from '../../backend/workstation';
import { forkInferenceProcess } from '../../inference/fork-channel';
import { defaultDataDir, inferenceEntry, modelsDir, rendererDir } from '../../app-paths';
import { startBrowserServer } from './browser-server';
import { importFromCommandLine, LAUNCH_OPTIONS, pathsToImport } from '../command-line';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: LAUNCH_OPTIONS, allowPositionals: true });
  const workstation = new Workstation({
    dataDir: values['data-dir'] ?? defaultDataDir(),
    modelsDir: values['models-dir'] ?? modelsDir,
    inferenceEntry,
    startInferenceProcess: forkInferenceProcess,
  });
  const server = await startBrowserServer({ workstation, rendererDir, port: Number(values.port ?? 0) });
  // One line the launcher and the tests read; the token makes it private to whoever sees it.
  console.log(`Lumen Workstation (browser mode) is running: ${server.url}`);
  void importFromCommandLine(workstation, pathsToImport(process.argv.slice(2), process.cwd()));
  const stop = async (): Promise<void> => {
    await server.close();
    workstation.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
