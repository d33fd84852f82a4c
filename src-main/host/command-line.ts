/**
 * The app's command line, shared by the launcher, browser mode and Electron (its start, a second
 * instance's argv, file associations): options, and the paths to import.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { BackendMethods } from '../../src-shared/api';

export const LAUNCH_OPTIONS = {
  'data-dir': { type: 'string' },
  port: { type: 'string' },
  'models-dir': { type: 'string' },
  browser: { type: 'boolean' },
} as const;

/**
 * The paths to import from command-line arguments (without the program and app path), made
 * absolute against `cwd`. Option values are not paths; unknown switches (Chromium's, macOS's
 * `-psn_…`) are ignored; everything after `--` is a path.
 */
export function pathsToImport(args: readonly string[], cwd: string): string[] {
  const { positionals } = parseArgs({
    args: [...args],
    options: LAUNCH_OPTIONS,
    strict: false,
    allowPositionals: true,
  });
  return positionals.filter((path) => path !== '').map((path) => resolve(cwd, path));
}

/** Electron's argv: the program, then (unpackaged) the app's folder, then the user's arguments. */
export function electronUserArgs(argv: readonly string[], isPackaged: boolean): string[] {
  return argv.slice(isPackaged ? 1 : 2);
}

/** Imports paths given on a command line; says how it went in counts only (paths may name patients). */
export async function importFromCommandLine(
  backend: Pick<BackendMethods, 'importPaths'>,
  paths: readonly string[],
): Promise<void> {
  if (paths.length === 0) return;
  try {
    const report = await backend.importPaths({ paths: [...paths] });
    console.log(
      `Command-line import: ${report.indexed} indexed, ${report.duplicates} already in the library, ` +
        `${report.failures.length} not imported${report.cancelled ? ' (cancelled)' : ''}`,
    );
  } catch (error) {
    console.error(`Command-line import failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
