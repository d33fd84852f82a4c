/** The inference process as an Electron utilityProcess (same entry file as the forked child). */
import { utilityProcess } from 'electron';
import type { InferenceEvent } from '../../../src-shared/inference-protocol';
import type { InferenceChannel } from '../../inference/inference-channel';

export function startUtilityInferenceProcess(entryFile: string): InferenceChannel {
  const child = utilityProcess.fork(entryFile, [], { serviceName: 'Lumen inference', stdio: 'inherit' });
  return {
    get pid() {
      return child.pid;
    },
    send: (request) => child.postMessage(request),
    onEvent: (listener) => child.on('message', (message: unknown) => listener(message as InferenceEvent)),
    onExit: (listener) => child.once('exit', (code: number) => listener(`exited with code ${code}`)),
    kill: () => {
      child.kill();
    },
  };
}
