import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { connectToParent } from './transport';

/** Stands in for Electron's process.parentPort: 'message' events carry { data }. */
class FakeParentPort extends EventEmitter {
  readonly posted: unknown[] = [];
  postMessage(message: unknown): void {
    this.posted.push(message);
  }
}

const host = process as { parentPort?: unknown };

describe('connectToParent under Electron utilityProcess', () => {
  afterEach(() => {
    delete host.parentPort;
  });

  it('sends with postMessage and unwraps message events', () => {
    const port = new FakeParentPort();
    host.parentPort = port;
    const transport = connectToParent();
    expect(transport.host).toBe('electron-utility');
    const received: unknown[] = [];
    transport.onMessage((m) => received.push(m));
    port.emit('message', { data: { type: 'ping', requestId: 1 }, ports: [] });
    expect(received).toEqual([{ type: 'ping', requestId: 1 }]);
    transport.send({ type: 'pong', requestId: 1, rssBytes: 5 });
    expect(port.posted).toEqual([{ type: 'pong', requestId: 1, rssBytes: 5 }]);
  });
});
