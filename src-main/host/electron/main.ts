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
import { electronUserArgs, importFromCommandLine, pathsToImport } from '../command-line';
import { startUtilityInferenceProcess } from './utility-channel';

registerAppScheme();
app.enableSandbox();
// Where no GPU can be used (a virtual machine, a remote desktop) Chromium composites in software and
// gives WebGL, which every viewport needs, SwiftShader only with this switch. It is "unsafe" for
// WebGL from the web; this app loads no remote content.
app.commandLine.appendSwitch('enable-unsafe-swiftshader');

// macOS opens files (Finder, file associations) through 'open-file', possibly before the app is
// ready: they wait here until the library can take them.
const filesOpenedEarly: string[] = [];
let importOpened: ((paths: string[]) => void) | null = null;
app.on('open-file', (event, path) => {
  event.preventDefault();
  if (importOpened) importOpened([path]);
  else filesOpenedEarly.push(path);
});

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
  const window = createWindow(workstation);
  // Paths given on the command line (file associations, `app path…`) are imported at start; a
  // second launch hands its paths to this instance and quits.
  importOpened = (paths) => void importFromCommandLine(workstation, paths);
  const userArgs = electronUserArgs(process.argv, app.isPackaged);
  importOpened([...pathsToImport(userArgs, process.cwd()), ...filesOpenedEarly.splice(0)]);
  app.on('second-instance', (_event, argv, workingDirectory) => {
    importOpened?.(pathsToImport(electronUserArgs(argv, app.isPackaged), workingDirectory));
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('window-all-closed', () => {
    workstation.close();
    app.quit();
  });
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}

if (app.requestSingleInstanceLock()) void start();
else app.quit();
