import type { ServerEvent } from '../../src-shared/api';
import { EVENTS_PATH } from '../../src-shared/http-protocol';

type Listener = (event: ServerEvent) => void;

const MIN_DELAY_MS = 500;
const MAX_DELAY_MS = 10_000;

/**
 * One WebSocket shared by every listener, reopened with exponential backoff when it drops.
 * After a reconnect the listeners get a synthetic `library-changed`, because events sent while
 * the socket was down are lost and the library may have moved on.
 */
export function createEventSocket(): (listener: Listener) => () => void {
  const listeners = new Set<Listener>();
  let socket: WebSocket | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let delay = MIN_DELAY_MS;
  let connectedBefore = false;

  const emit = (event: ServerEvent): void => {
    for (const listener of listeners) listener(event);
  };

  const open = (): void => {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(`${scheme}//${location.host}${EVENTS_PATH}`);
    socket = ws;
    ws.onopen = () => {
      delay = MIN_DELAY_MS;
      if (connectedBefore) emit({ type: 'library-changed' });
      connectedBefore = true;
    };
    ws.onmessage = (message) => {
      if (typeof message.data !== 'string') return;
      try {
        emit(JSON.parse(message.data) as ServerEvent);
      } catch {
        // A malformed message is dropped; the next one may be fine.
      }
    };
    ws.onclose = () => {
      if (socket !== ws || listeners.size === 0) return;
      socket = null;
      timer = setTimeout(open, delay);
      delay = Math.min(delay * 2, MAX_DELAY_MS);
    };
  };

  const close = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    const ws = socket;
    socket = null;
    ws?.close();
  };

  return (listener) => {
    listeners.add(listener);
    if (!socket && !timer) open();
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) close();
    };
  };
}
