/** Calls the renderer's test diagnostics (window.__lumenDiagnostics) from a Playwright test. */
import type { Page } from '@playwright/test';

type Probe = (...args: never[]) => unknown;

/** Calls one of window.__lumenDiagnostics' probes with arguments and awaits its answer. */
export function probe<T>(page: Page, name: string, ...args: unknown[]): Promise<T> {
  return page.evaluate(
    ([method, callArgs]) =>
      (window as unknown as { __lumenDiagnostics: Record<string, Probe> }).__lumenDiagnostics[method]!(
        ...(callArgs as never[]),
      ),
    [name, args] as const,
  ) as Promise<T>;
}
