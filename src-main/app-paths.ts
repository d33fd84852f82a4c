/** Where the app's own files are, from the compiled layout (dist/main/src-main/… under the app root). */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const appRoot = resolve(__dirname, '..', '..', '..');
export const rendererDir = join(appRoot, 'dist', 'renderer');
/** In a packaged app the models (manifests and weights) are resources outside the asar archive. */
const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
export const modelsDir =
  resourcesPath && appRoot.includes('app.asar') ? join(resourcesPath, 'models') : join(appRoot, 'models');
export const inferenceEntry = join(appRoot, 'dist', 'main', 'src-worker', 'inference-main.js');

/** The per-user data folder outside Electron (Electron uses app.getPath('userData')). */
export function defaultDataDir(): string {
  if (process.env.LUMEN_DATA_DIR) return process.env.LUMEN_DATA_DIR;
  const name = 'lumen-workstation';
  if (process.platform === 'win32')
    return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), name);
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', name);
  return join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), name);
}
