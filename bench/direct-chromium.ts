/**
 * The app in a Chromium started directly and driven over the DevTools protocol with the Runtime
 * domain only. Playwright turns on the Network domain of every page, and Chromium then keeps a copy
 * of every response body in the renderer for DevTools (235 MB after the 1,000-slice MPR load, in
 * Blink's buffer partition, through any garbage collection): memory the app does not use in a
 * window nobody inspects. Memory figures are read here; Playwright serves the rest.
 */
import { startBrowserHost } from '../test-support/browser-host';
import { startChromium } from '../test-support/chromium-process';

export interface DirectPage {
  /** Chromium's browser process; its descendants are the renderers and the GPU process. */
  readonly browserPid: number;
  /** Evaluates an expression in the page (awaiting a promise) and returns its value. */
  evaluate<T>(expression: string): Promise<T>;
  /** Waits until an expression is true in the page. */
  waitFor(expression: string, timeoutMs: number): Promise<void>;
}

interface DevToolsTarget {
  type: string;
  url: string;
  webSocketDebuggerUrl: string;
}

interface ProtocolReply {
  id?: number;
  result?: { result?: { value?: unknown }; exceptionDetails?: { text: string } };
  error?: { message: string };
}

async function connect(port: number, pageUrl: string): Promise<(expression: string) => Promise<unknown>> {
  const origin = new URL(pageUrl).origin;
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as DevToolsTarget[];
  const target = targets.find((entry) => entry.type === 'page' && entry.url.startsWith(origin));
  if (!target) throw new Error(`no page of ${origin} among Chromium's targets`);
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve, { once: true });
    socket.addEventListener('error', reject, { once: true });
  });
  const pending = new Map<number, (reply: ProtocolReply) => void>();
  socket.addEventListener('message', (message: MessageEvent) => {
    const reply = JSON.parse(String(message.data)) as ProtocolReply;
    if (reply.id !== undefined) pending.get(reply.id)?.(reply);
    if (reply.id !== undefined) pending.delete(reply.id);
  });
  let lastId = 0;
  return async (expression) => {
    const id = ++lastId;
    const reply = await new Promise<ProtocolReply>((resolve) => {
      pending.set(id, resolve);
      socket.send(
        JSON.stringify({
          id,
          method: 'Runtime.evaluate',
          params: { expression, awaitPromise: true, returnByValue: true },
        }),
      );
    });
    const failure = reply.error?.message ?? reply.result?.exceptionDetails?.text;
    if (failure) throw new Error(`in the page: ${failure}`);
    return reply.result?.result?.value;
  };
}

export async function withDirectPage<T>(dataDir: string, work: (page: DirectPage) => Promise<T>): Promise<T> {
  const host = await startBrowserHost(dataDir);
  const chromium = await startChromium(host.url).catch(async (error: unknown) => {
    await host.stop();
    throw error;
  });
  try {
    const evaluate = await connect(chromium.port, host.url);
    const page: DirectPage = {
      browserPid: chromium.process.pid!,
      evaluate: async <R>(expression: string) => (await evaluate(expression)) as R,
      waitFor: async (expression, timeoutMs) => {
        const end = Date.now() + timeoutMs;
        // While the page is still loading (the token redirect) it has no context to evaluate in yet.
        const holds = (): Promise<unknown> =>
          evaluate(`Boolean(${expression})`).catch((error: Error) => {
            if (error.message.includes('Cannot find default execution context')) return false;
            throw error;
          });
        while (!(await holds())) {
          if (Date.now() > end) throw new Error(`timed out waiting for ${expression}`);
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      },
    };
    return await work(page);
  } finally {
    await chromium.stop();
    await host.stop();
  }
}
