/**
 * `npm start`: opens the Electron app where its binary is installed, otherwise (or with --browser)
 * runs browser mode and says so.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { appRoot } from './app-paths';

function electronBinary(): string | null {
  try {
    // The electron package exports the path of its downloaded binary, or throws when there is none.
    const path = createRequire(join(appRoot, 'package.json'))('electron') as unknown;
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

const args = process.argv.slice(2);
const wantsBrowser = args.includes('--browser');
const forwarded = args.filter((arg) => arg !== '--browser');
const electron = wantsBrowser ? null : electronBinary();

if (electron) {
  spawn(electron, [appRoot, ...forwarded], { stdio: 'inherit' }).on('exit', (code) =>
    process.exit(code ?? 0),
  );
} else {
  if (!wantsBrowser) {
    console.log('The Electron binary is not installed here: starting in browser mode instead.');
  }
  const child = spawn(
    process.execPath,
    [join(__dirname, 'host', 'browser', 'browser-cli.js'), ...forwarded],
    {
      stdio: 'inherit',
    },
  );
  child.on('exit', (code) => process.exit(code ?? 0));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
}
