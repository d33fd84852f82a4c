/** Peak resident memory of this process across one request. */
import fs from 'node:fs';

export interface PeakMemory {
  /** Records the current RSS; call at each stage boundary. */
  sample(): void;
  /** The largest RSS seen, or the kernel's high-water mark if that is larger. */
  peakBytes(): number;
}

const PROC_STATUS = '/proc/self/status';

/** Starts tracking; on Linux it also resets the kernel's high-water mark so it covers this request only. */
export function trackPeakMemory(): PeakMemory {
  // Writing 5 to clear_refs resets VmHWM (Linux 4.0+); where it is refused, VmHWM is the process lifetime's.
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // Not Linux or not permitted: sampled RSS still gives a lower bound.
  }
  let peak = process.memoryUsage.rss();
  return {
    sample() {
      peak = Math.max(peak, process.memoryUsage.rss());
    },
    peakBytes() {
      this.sample();
      return Math.max(peak, kernelHighWaterMark());
    },
  };
}

/** VmHWM from /proc/self/status in bytes, or 0 where that file does not exist. */
export function kernelHighWaterMark(): number {
  let text: string;
  try {
    text = fs.readFileSync(PROC_STATUS, 'utf8');
  } catch {
    return 0;
  }
  const match = /^VmHWM:\s+(\d+)\s*kB/m.exec(text);
  return match ? Number(match[1]) * 1024 : 0;
}
