/** A process's descendants, read from /proc (Linux), for tests and benchmarks that watch Chromium. */
import { readFileSync, readdirSync } from 'node:fs';

/**
 * Every process's children, from one pass over /proc. Parents are read from each process's stat: a
 * process's `children` file lists only the children of one thread.
 */
export function processChildren(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'latin1');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(name)]);
    } catch {
      // The process ended while it was being listed.
    }
  }
  return children;
}

/**
 * Every descendant of `root`, leaving out `except` and its own descendants; `children` may come
 * from one processChildren() pass shared by several calls.
 */
export function descendantPids(
  root: number,
  except?: number,
  children: ReadonlyMap<number, readonly number[]> = processChildren(),
): number[] {
  const found: number[] = [];
  const visit = (pid: number): void => {
    for (const child of children.get(pid) ?? []) {
      if (child === except) continue;
      found.push(child);
      visit(child);
    }
  };
  visit(root);
  return found;
}
