import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { IPC_CALL, IPC_EVENT, IPC_OPEN_DIALOG } from './ipc-channels';
import { APP_ORIGIN } from './app-protocol';

vi.mock('electron', () => ({ protocol: {} }));

describe('the sandboxed preload', () => {
  const source = readFileSync(join(__dirname, 'preload.ts'), 'utf8');

  it('uses the same channel names and origin as main', () => {
    expect(source).toContain(`const IPC_CALL = '${IPC_CALL}'`);
    expect(source).toContain(`const IPC_OPEN_DIALOG = '${IPC_OPEN_DIALOG}'`);
    expect(source).toContain(`const IPC_EVENT = '${IPC_EVENT}'`);
    expect(source).toContain(`const APP_ORIGIN = '${APP_ORIGIN}'`);
  });

  it('requires nothing but electron at run time', () => {
    const valueImports = source.match(/^import (?!type ).*from '([^']+)'/gm) ?? [];
    expect(valueImports.map((line) => line.replace(/.*from '([^']+)'.*/, '$1'))).toEqual(['electron']);
  });
});
