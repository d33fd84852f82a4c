/**
 * What main needs of the inference process, whichever host started it: Electron's utilityProcess
 * or Node's child_process.fork. Both carry structured-clone messages.
 */
import type { InferenceEvent, InferenceRequest } from '../../src-shared/inference-protocol';

export interface InferenceChannel {
  readonly pid: number | undefined;
  send(request: InferenceRequest): void;
  onEvent(listener: (event: InferenceEvent) => void): void;
  /** Called once when the process is gone, with a description of why. */
  onExit(listener: (description: string) => void): void;
  kill(): void;
}

export type InferenceChannelFactory = (entryFile: string) => InferenceChannel;
