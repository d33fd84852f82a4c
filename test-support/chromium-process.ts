/**
 * Debian's Chromium started as a plain child of this process, with its DevTools port. Unlike
 * Playwright's launcher, which starts the browser in a session of its own (setsid), it stays in its
 * parent's session and so in the parent's scheduler autogroup, as Electron's renderer, GPU and
 * utility processes do: measurements of CPU sharing between the page and the inference process
 * need that arrangement.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumArgs } from './chromium-args';
import { descendantPids } from './process-tree';

export interface ChromiumProcess {
  readonly process: ChildProcess;
  /** The DevTools port on 127.0.0.1. */
  readonly port: number;
  /** Ends the browser and removes its profile. */
  stop(): Promise<void>;
}

function isRunning(pid: number): boolean {
  try {
    // A zombie still has its /proc entry; its state is Z.
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'latin1'));
  } catch {
    return false;
  }
}

/** Reads the DevTools port that Chromium prints on start. */
function devToolsPort(chromium: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`Chromium printed no DevTools port:\n${output}`)),
      30_000,
    );
    chromium.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /DevTools listening on ws:\/\/127\.0\.0\.1:(\d+)\//.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    chromium.once('exit', (code) => reject(new Error(`Chromium exited with ${code}:\n${output}`)));
  });
}

/** Starts headless Chromium on `url` (about:blank when absent), 1440 × 900. */
export async function startChromium(url = 'about:blank'): Promise<ChromiumProcess> {
  const profile = mkdtempSync(join(tmpdir(), 'lumen-chromium-'));
  const chromium = spawn(
    process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    [
      ...chromiumArgs,
      '--headless',
      '--remote-debugging-port=0',
      `--user-data-dir=${profile}`,
      '--window-size=1440,900',
      url,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const stop = async (): Promise<void> => {
    // Its helpers (renderers, the GPU and network processes) are not in a process group of their
    // own to end at once: they are waited for, so that none still writes the profile below.
    const helpers = descendantPids(chromium.pid!);
    if (chromium.exitCode === null && chromium.signalCode === null) {
      const exited = new Promise((resolve) => chromium.once('exit', resolve));
      chromium.kill();
      await exited;
    }
    const end = Date.now() + 5_000;
    while (helpers.some(isRunning) && Date.now() < end)
      await new Promise((resolve) => setTimeout(resolve, 100));
    for (const pid of helpers.filter(isRunning)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // It ended meanwhile.
      }
    }
    rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  };
  try {
    return { process: chromium, port: await devToolsPort(chromium), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
