/** Resident memory of Chromium's processes, read from /proc (Linux), for the viewer benchmarks. */
import { readFileSync, readdirSync } from 'node:fs';
import { descendantPids as descendants } from '../test-support/process-tree';

function rssMegabytes(pid: number): number {
  const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
  return Number(rss?.[1] ?? 0) / 1024;
}

/** Resident memory (MB) of a process's Chromium descendants of one type (renderer, gpu-process), summed. */
export function chromiumRss(type: string, root = process.pid): number {
  let megabytes = 0;
  for (const pid of descendants(root)) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes(`--type=${type}`))
        megabytes += rssMegabytes(pid);
    } catch {
      // Ended meanwhile.
    }
  }
  return megabytes;
}

/**
 * Resident memory (MB) of the renderer that runs the app: the renderer with a dedicated worker
 * thread (the DICOM decode worker). Chromium's other renderers are its own: the browser UI's
 * WebUI renderer (about 150 MB) and a spare one kept for the next tab (about 75 MB). Undefined
 * until the decode worker has started.
 */
export function appRendererRss(root: number): number | undefined {
  for (const pid of descendants(root)) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes('--type=renderer')) continue;
      const threads = readdirSync(`/proc/${pid}/task`).map((task) =>
        readFileSync(`/proc/${pid}/task/${task}/comm`, 'latin1'),
      );
      if (threads.some((name) => name.startsWith('DedicatedWorker'))) return rssMegabytes(pid);
    } catch {
      // Ended meanwhile.
    }
  }
  return undefined;
}
