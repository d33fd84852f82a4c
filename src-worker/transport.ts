/**
 * The link to the parent, whichever host started this process: Electron's utilityProcess
 * (process.parentPort) or Node's child_process.fork (process.send / 'message').
 */
import type { ParentPort } from 'electron';
import type { InferenceEvent } from '../src-shared/inference-protocol';

export interface Transport {
  readonly host: 'electron-utility' | 'node-fork';
  send(event: InferenceEvent): void;
  onMessage(listener: (message: unknown) => void): void;
}

export function connectToParent(): Transport {
  // Electron's typings declare parentPort on every process; at runtime it exists only in a utilityProcess.
  const parentPort = (process as { parentPort?: ParentPort }).parentPort;
  if (parentPort) {
    return {
      host: 'electron-utility',
      send: (event) => parentPort.postMessage(event),
      onMessage: (listener) => parentPort.on('message', (e) => listener(e.data)),
    };
  }
  const send = process.send?.bind(process);
  if (!send) {
    throw new Error(
      'inference process must be started by utilityProcess.fork or child_process.fork with IPC',
    );
  }
  // Without a parent there is nobody to serve: leave instead of lingering as an orphan.
  process.on('disconnect', () => process.exit(0));
  return {
    host: 'node-fork',
    // The callback swallows "channel closed" after the parent left; 'disconnect' ends the process then.
    send: (event) => void send(event, undefined, {}, () => undefined),
    onMessage: (listener) => process.on('message', (message) => listener(message)),
  };
}
