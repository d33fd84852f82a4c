import type { WorkstationApi } from '../../src-shared/api';
import { createBrowserApi } from './browserApi';

declare global {
  interface Window {
    /** Set by the Electron preload through contextBridge; absent in browser mode. */
    readonly workstation?: WorkstationApi;
  }
}

let api: WorkstationApi | null = null;

/** The preload's API when running in Electron, otherwise the HTTP one; chosen once. */
export function getApi(): WorkstationApi {
  api ??= window.workstation ?? createBrowserApi();
  return api;
}
