/**
 * Electron's main entry: one hardened window on the app:// scheme, the backend bridged over IPC,
 * the inference process as a utilityProcess. Everything else lives in host-free services.
 */
import { app, BrowserWindow, session } from 'electron';
import { join } from 'node:path';
import { Workstation } from '../../backend/workstation';
import { inferenceEntry, modelsDir, rendererDir } from '../../app-paths';
import { APP_ORIGIN, registerAppScheme, serveAppScheme } from './app-protocol';
import { bridgeBackend } from './ipc-bridge';
import { startUtilityInferenceProcess } from './utility-channel';

registerAppScheme();
app.enableSandbox();

function createWindow(workstation: Workstation): BrowserWindow {
  const window = new BrowserWindow({
    width: 1440,
    height: 900,
    backgroundColor: '#0b0d10',
    title: 'Lumen Workstation',
    webPreferences: {
      preload: join(__dirname, 'preload.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  // No navigation away from the app and no new windows.
  window.webContents.on('will-navigate', (event, url) => {
    if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
  });
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  const dispose = bridgeBackend(workstation, window);
  window.on('closed', dispose);
  void window.loadURL(`${APP_ORIGIN}/index.html`);
  return window;
}

async function start(): Promise<void> {
  await app.whenReady();
  // No permission (camera, notifications…) is ever needed, and no remote content is loaded.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, grant) => grant(false));
  session.defaultSession.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !/^(app|devtools|blob|data):/.test(details.url) });
  });
  const workstation = new Workstation({
    dataDir: app.getPath('userData'),
    modelsDir,
    inferenceEntry,
    startInferenceProcess: startUtilityInferenceProcess,
  });
  serveAppScheme(workstation, rendererDir);
  createWindow(workstation);
  // Paths given on the command line (file associations, `app path…`) are imported at start.
  const paths = process.argv.slice(app.isPackaged ? 1 : 2).filter((arg) => !arg.startsWith('-'));
  if (paths.length > 0) void workstation.importPaths({ paths });
  app.on('window-all-closed', () => {
    workstation.close();
    app.quit();
  });
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}

void start();
