/** The inference process as a Node child process (browser mode, the CLI and tests). */
import { fork } from 'node:child_process';
import type { InferenceEvent } from '../../src-shared/inference-protocol';
import type { InferenceChannel } from './inference-channel';

export function forkInferenceProcess(entryFile: string): InferenceChannel {
  // 'advanced' serialization is structured clone: volumes cross as typed arrays, not JSON.
  const child = fork(entryFile, [], {
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return {
    get pid() {
      return child.pid;
    },
    send: (request) => {
      if (child.connected) child.send(request);
    },
    onEvent: (listener) => child.on('message', (message) => listener(message as InferenceEvent)),
    onExit: (listener) =>
      child.once('exit', (code, signal) =>
        listener(signal ? `killed by ${signal}` : `exited with code ${code}`),
      ),
    kill: () => {
      child.kill('SIGKILL');
    },
  };
}
