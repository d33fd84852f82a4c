/**
 * Where the long frames of the frame-time benchmark come from: the page records every frame
 * (requestAnimationFrame), long tasks, long animation frames with their scripts, and the job events
 * the renderer receives; this process samples the CPU time of the host (main services), of the
 * inference process and of the whole machine. The run is then cut into phases at the job events.
 */
import { readFileSync } from 'node:fs';
import { descendantPids, processChildren } from '../test-support/process-tree';
import { percentile } from '../src-main/analysis/engine-stats';

/** Installed before the app's scripts (the WebSocket wrapper must exist before the app opens one). */
export const PAGE_INSTRUMENTS = `(() => {
  const rec = { frames: [], longTasks: [], loafs: [], events: [], legendAt: null };
  window.__frameBreakdown = rec;
  const epoch = (t) => performance.timeOrigin + t;
  let last = performance.now();
  const tick = (now) => {
    rec.frames.push([epoch(now), now - last]);
    last = now;
    if (rec.legendAt === null && document.querySelector('[data-testid="legend-item"]')) rec.legendAt = epoch(now);
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) rec.longTasks.push([epoch(e.startTime), e.duration]);
  }).observe({ type: 'longtask', buffered: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      rec.loafs.push({
        start: epoch(e.startTime),
        duration: e.duration,
        scripts: e.scripts.map((s) => ({
          what: s.invoker + ' ' + (s.sourceFunctionName || '?') + ' @' + s.sourceCharPosition,
          duration: s.duration,
        })),
      });
  }).observe({ type: 'long-animation-frame', buffered: true });
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (m) => {
        try {
          const e = JSON.parse(m.data);
          const label = e.type === 'job' ? e.job.state + (e.job.state === 'running' ? ':' + e.job.stage : '') : e.type;
          rec.events.push([epoch(performance.now()), label]);
        } catch {}
      });
    }
  };
})();`;

export interface PageRecord {
  /** [end of the frame (epoch ms), its length (ms)] */
  readonly frames: [number, number][];
  readonly longTasks: [number, number][];
  readonly loafs: { start: number; duration: number; scripts: { what: string; duration: number }[] }[];
  readonly events: [number, string][];
  readonly legendAt: number | null;
  /** The labelmap's fetch, from its resource timing entry: [start, end] (epoch ms). */
  readonly labelmapFetch: [number, number] | null;
}

/** The page's record; run in the page by page.evaluate (main's project has no DOM types). */
export const READ_PAGE_RECORD = `(() => {
  const rec = window.__frameBreakdown;
  const fetch = performance.getEntriesByType('resource').find((e) => e.name.includes('/labelmap'));
  return { ...rec, labelmapFetch: fetch ? [performance.timeOrigin + fetch.startTime, performance.timeOrigin + fetch.responseEnd] : null };
})()`;

interface CpuSample {
  readonly at: number;
  readonly host: number;
  readonly inference: number;
  readonly chromium: number;
  readonly busy: number;
  readonly total: number;
}

const TICKS_PER_MS = 100 / 1000;

function processTicks(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

function machineTicks(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const busy = user! + nice! + system! + irq! + softirq! + steal!;
  return { busy, total: busy + idle! + iowait! };
}

/**
 * Samples the CPU time of the host, its inference process (its child), Chromium (this process's
 * other descendants) and the machine every 100 ms.
 */
export function sampleCpu(hostPid: number): { stop(): CpuSample[] } {
  const samples: CpuSample[] = [];
  const ticks = (pids: readonly number[]): number => pids.reduce((sum, pid) => sum + processTicks(pid), 0);
  const take = (): void => {
    const machine = machineTicks();
    const children = processChildren();
    samples.push({
      at: performance.timeOrigin + performance.now(),
      host: processTicks(hostPid),
      inference: ticks(descendantPids(hostPid, undefined, children)),
      chromium: ticks(descendantPids(process.pid, hostPid, children)),
      ...machine,
    });
  };
  take();
  const timer = setInterval(take, 100);
  return {
    stop: () => {
      clearInterval(timer);
      take();
      return samples;
    },
  };
}

/** CPU use between two times, in cores: host, inference process, everything else (Chromium, other load). */
function cpuBetween(samples: readonly CpuSample[], from: number, to: number): string {
  const first = samples.findLast((s) => s.at <= from) ?? samples[0];
  const last = samples.find((s) => s.at >= to) ?? samples.at(-1);
  if (!first || !last || last.at <= first.at) return 'cpu n/a';
  const ms = last.at - first.at;
  const cores = (ticks: number): number => ticks / TICKS_PER_MS / ms;
  const host = cores(last.host - first.host);
  const inference = cores(last.inference - first.inference);
  const chromium = cores(last.chromium - first.chromium);
  const cpus = (last.total - first.total) / TICKS_PER_MS / ms;
  const busy = (cpus * (last.busy - first.busy)) / Math.max(1, last.total - first.total);
  const rest = busy - host - inference - chromium;
  return `cpu host ${host.toFixed(2)} inference ${inference.toFixed(2)} chromium ${chromium.toFixed(2)} other ${rest.toFixed(2)}`;
}

/** Prints one line per phase (frames, long tasks, CPU) and the scripts of the long animation frames. */
export function printBreakdown(
  label: string,
  clickAt: number,
  page: PageRecord,
  cpu: readonly CpuSample[],
): void {
  const marks: [number, string][] = [[clickAt, 'click']];
  let previous = '';
  for (const [at, name] of page.events) {
    if (name !== previous && at >= clickAt) marks.push([at, name]);
    previous = name;
  }
  if (page.labelmapFetch) {
    marks.push([page.labelmapFetch[0], 'labelmap-fetch']);
    marks.push([page.labelmapFetch[1], 'labelmap-fetched (overlay building)']);
  }
  if (page.legendAt !== null) marks.push([page.legendAt, 'legend-shown']);
  marks.sort((a, b) => a[0] - b[0]);
  const end = page.frames.at(-1)?.[0] ?? clickAt;
  console.log(`${label}: breakdown from the Analyze click (times in ms from the click)`);
  marks.forEach(([from, name], n) => {
    const to = marks[n + 1]?.[0] ?? end;
    const frames = page.frames.filter(([at]) => at > from && at <= to).map(([, length]) => length);
    frames.sort((a, b) => a - b);
    const longTasks = page.longTasks.filter(([at]) => at >= from && at < to);
    const longest = Math.max(0, ...longTasks.map(([, d]) => d));
    const longSum = longTasks.reduce((sum, [, d]) => sum + d, 0);
    console.log(
      `  ${(from - clickAt).toFixed(0).padStart(6)} +${(to - from).toFixed(0).padStart(5)} ${name.padEnd(36)}` +
        ` frames ${String(frames.length).padStart(4)} p95 ${(percentile(frames, 95) ?? 0).toFixed(1).padStart(6)}` +
        ` max ${(frames.at(-1) ?? 0).toFixed(1).padStart(6)}; long tasks ${longTasks.length} (${longSum.toFixed(0)} ms, longest ${longest.toFixed(0)});` +
        ` ${cpuBetween(cpu, from, to)}`,
    );
    const scripts = topScripts(
      page.loafs.filter((loaf) => loaf.start >= from && loaf.start < to),
      3,
    );
    for (const [what, { count, ms }] of scripts)
      console.log(`           ${count} × ${what}: ${ms.toFixed(0)} ms`);
  });
  console.log(`${label}: scripts in long animation frames after the click (count, total ms)`);
  for (const [what, { count, ms }] of topScripts(
    page.loafs.filter((loaf) => loaf.start >= clickAt),
    12,
  ))
    console.log(`  ${String(count).padStart(4)} ${ms.toFixed(0).padStart(6)} ${what}`);
}

/** The scripts that took longest in these long animation frames, summed by entry point. */
function topScripts(loafs: PageRecord['loafs'], count: number): [string, { count: number; ms: number }][] {
  const scripts = new Map<string, { count: number; ms: number }>();
  for (const loaf of loafs) {
    for (const script of loaf.scripts) {
      const entry = scripts.get(script.what) ?? { count: 0, ms: 0 };
      entry.count++;
      entry.ms += script.duration;
      scripts.set(script.what, entry);
    }
  }
  return [...scripts].sort((a, b) => b[1].ms - a[1].ms).slice(0, count);
}
