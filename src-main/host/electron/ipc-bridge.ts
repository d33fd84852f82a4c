/**
 * Wires the backend to ipcMain. Every call is checked: it must come from our own window's main
 * frame on the app:// origin, and its arguments must pass the method's validator.
 */
import { dialog, ipcMain } from 'electron';
import type { BrowserWindow, IpcMainInvokeEvent } from 'electron';
import type { ServerEvent } from '../../../src-shared/api';
import type { Workstation } from '../../backend/workstation';
import { dispatch } from '../../backend/validate-args';
import { APP_ORIGIN } from './app-protocol';
import { IPC_CALL, IPC_EVENT, IPC_OPEN_DIALOG } from './ipc-channels';

export function bridgeBackend(workstation: Workstation, window: BrowserWindow): () => void {
  const checkSender = (event: IpcMainInvokeEvent): void => {
    const frame = event.senderFrame;
    if (event.sender !== window.webContents || !frame || frame !== window.webContents.mainFrame) {
      throw new Error('IPC from an unknown sender');
    }
    if (new URL(frame.url).origin !== APP_ORIGIN) throw new Error('IPC from an unexpected origin');
  };
  ipcMain.handle(IPC_CALL, (event, method: unknown, args: unknown) => {
    checkSender(event);
    if (typeof method !== 'string') throw new Error('method must be a string');
    return dispatch(workstation, method, args);
  });
  ipcMain.handle(IPC_OPEN_DIALOG, async (event, kind: unknown) => {
    checkSender(event);
    if (kind !== 'files' && kind !== 'folder') throw new Error('kind must be "files" or "folder"');
    const choice = await dialog.showOpenDialog(window, {
      properties: kind === 'files' ? ['openFile', 'multiSelections'] : ['openDirectory', 'multiSelections'],
    });
    return choice.canceled || choice.filePaths.length === 0
      ? null
      : workstation.importPaths({ paths: choice.filePaths });
  });
  const unsubscribe = workstation.onEvent((event: ServerEvent) => {
    if (!window.isDestroyed()) window.webContents.send(IPC_EVENT, event);
  });
  return () => {
    unsubscribe();
    ipcMain.removeHandler(IPC_CALL);
    ipcMain.removeHandler(IPC_OPEN_DIALOG);
  };
}
