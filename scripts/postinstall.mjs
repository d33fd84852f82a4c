// Runs after `npm install`. Electron's own download script is disabled in package.json's
// allowScripts (it cannot reach GitHub on offline build machines and would fail the install);
// here it is tried, and a failure only means `npm start` will use browser mode.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const electronInstall = join(root, 'node_modules', 'electron', 'install.js');
if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  console.log('electron: binary download skipped (ELECTRON_SKIP_BINARY_DOWNLOAD).');
} else if (existsSync(electronInstall)) {
  const result = spawnSync(process.execPath, [electronInstall], {
    cwd: dirname(electronInstall),
    stdio: 'pipe',
    timeout: 300_000,
  });
  if (result.status === 0) console.log('electron: binary installed.');
  else console.warn('electron: binary could not be downloaded here; `npm start` will run in browser mode.');
}
const models = spawnSync(process.execPath, [join(root, 'scripts', 'install-models.mjs')], {
  stdio: 'inherit',
});
process.exit(models.status ?? 0);
