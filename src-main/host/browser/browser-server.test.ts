import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Workstation } from '../../backend/workstation';
import { forkInferenceProcess } from '../../inference/fork-channel';
import { startBrowserServer } from './browser-server';
import type { RunningBrowserServer } from './browser-server';
import {
  compiledWorker,
  hasSharedData,
  repoRoot,
  sharedPath,
  T1_SERIES,
} from '../../../test-support/shared-data';
import type { ImportReport, StudySummary } from '../../../src-shared/api';
import { INSTANCE_BATCH_MAX, instanceBatchPath, uploadPartHead } from '../../../src-shared/http-protocol';
import { readInstanceRecords } from '../../../src-shared/instance-batch-records';

describe('browser-mode server', () => {
  let server: RunningBrowserServer;
  let workstation: Workstation;
  let cookie: string;
  const origin = (): string => `http://127.0.0.1:${server.port}`;

  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lumen-server-'));
    const rendererDir = join(dataDir, 'renderer');
    mkdirSync(rendererDir);
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Lumen</title>');
    workstation = new Workstation({
      dataDir,
      modelsDir: join(repoRoot, 'models'),
      inferenceEntry: compiledWorker,
      startInferenceProcess: forkInferenceProcess,
    });
    server = await startBrowserServer({ workstation, rendererDir, port: 0 });
    const exchange = await fetch(server.url, { redirect: 'manual' });
    expect(exchange.status).toBe(303);
    cookie = exchange.headers.get('set-cookie')!.split(';')[0]!;
  });

  afterAll(async () => {
    await server.close();
    workstation.close();
  });

  it('listens on loopback only and prints a URL with the token', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32}$/);
  });

  it('refuses requests without the token, with a wrong one, or with a foreign Host header', async () => {
    expect((await fetch(`${origin()}/`)).status).toBe(403);
    expect((await fetch(`${origin()}/api/rpc/listStudies`, { method: 'POST' })).status).toBe(403);
    expect((await fetch(`${origin()}/?token=wrong`, { redirect: 'manual' })).status).toBe(403);
    // fetch() will not send a foreign Host header, so this one goes through node:http.
    const rebound = await new Promise<number>((resolve, reject) => {
      request({ host: '127.0.0.1', port: server.port, path: '/api/rpc/listStudies', method: 'POST' }, (res) =>
        resolve(res.statusCode ?? 0),
      )
        .on('error', reject)
        .setHeader('host', 'evil.example')
        .setHeader('cookie', cookie)
        .end();
    });
    expect(rebound).toBe(403);
  });

  it('serves the renderer with a strict CSP and cross-origin isolation', async () => {
    const page = await fetch(`${origin()}/`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(page.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(page.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    expect((await fetch(`${origin()}/..%2f..%2fetc%2fpasswd`, { headers: { cookie } })).status).toBe(404);
  });

  it('rejects bad RPC arguments with 400 and a reason', async () => {
    const bad = await fetch(`${origin()}/api/rpc/listInstances`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ seriesId: 'all' }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/seriesId/);
  });

  it('refuses an instance batch of no ids, bad ids or too many', async () => {
    const many = Array.from({ length: INSTANCE_BATCH_MAX + 1 }, (_, i) => i + 1);
    for (const query of [
      '',
      '?ids=',
      '?ids=1,x',
      '?ids=0',
      '?ids=-3',
      '?ids=1.5',
      `?ids=${many.join(',')}`,
    ]) {
      const response = await fetch(`${origin()}/instances${query}`, { headers: { cookie } });
      expect(response.status, query).toBe(400);
      expect(((await response.json()) as { error: string }).error).toContain('instance ids');
    }
  });

  it('refuses a WebSocket without the cookie and accepts one with it', async () => {
    const refused = await new Promise<string>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/events`);
      ws.on('error', (error) => resolve(error.message));
      ws.on('open', () => resolve('open'));
    });
    expect(refused).toMatch(/403/);
    const accepted = await new Promise<string>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/events`, { headers: { cookie } });
      ws.on('open', () => {
        ws.close();
        resolve('open');
      });
      ws.on('error', (error) => resolve(error.message));
    });
    expect(accepted).toBe('open');
  });

  it.skipIf(!hasSharedData)(
    'takes uploads, imports them, pushes library-changed and serves instance bytes',
    async () => {
      const events: string[] = [];
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/events`, { headers: { cookie } });
      ws.on('message', (data) => events.push(String(data)));
      await new Promise((resolve) => ws.on('open', resolve));

      const batch = crypto.randomUUID();
      const files = readdirSync(sharedPath(T1_SERIES)).slice(0, 3);
      const content = (name: string): Buffer =>
        name.endsWith('.txt') ? Buffer.from('hello') : readFileSync(sharedPath(T1_SERIES, name));
      // Two parts: two slices, then a slice and a text file.
      const parts = [files.slice(0, 2), [files[2]!, 'readme.txt']];
      for (const [index, names] of parts.entries()) {
        const head = uploadPartHead(
          names.map((name) => ({ name: `t1/${name}`, size: content(name).length })),
        );
        const put = await fetch(`${origin()}/api/uploads/${batch}/${index}`, {
          method: 'PUT',
          headers: { cookie },
          body: Buffer.concat([head, ...names.map(content)]),
        });
        expect(await put.json()).toEqual({ stored: 2 });
      }
      const malformed = await fetch(`${origin()}/api/uploads/${batch}/2`, {
        method: 'PUT',
        headers: { cookie },
        body: Buffer.concat([uploadPartHead([{ name: 'x.dcm', size: 10 }]), Buffer.from('short')]),
      });
      expect(malformed.status).toBe(400);
      expect(await malformed.json()).toEqual({ error: 'the upload part was cut short' });
      const report = (await (
        await fetch(`${origin()}/api/uploads/${batch}/import`, { method: 'POST', headers: { cookie } })
      ).json()) as ImportReport;
      expect(report.indexed).toBe(3);
      expect(report.failures).toEqual([
        { path: 't1/readme.txt', outcome: 'not-dicom', reason: expect.any(String) },
      ]);

      const rpc = async <T>(method: string, args?: object): Promise<T> =>
        (await (
          await fetch(`${origin()}/api/rpc/${method}`, {
            method: 'POST',
            headers: { cookie, 'content-type': 'application/json' },
            body: JSON.stringify(args ?? {}),
          })
        ).json()) as T;
      const [study] = await rpc<StudySummary[]>('listStudies');
      const [series] = await rpc<Array<{ seriesId: number }>>('listSeries', {
        studyInstanceUid: study!.studyInstanceUid,
      });
      const instances = await rpc<Array<{ instanceId: number }>>('listInstances', {
        seriesId: series!.seriesId,
      });
      const bytes = await fetch(`${origin()}/instances/${instances[0]!.instanceId}`, { headers: { cookie } });
      expect(bytes.headers.get('content-type')).toBe('application/dicom');
      const body = new Uint8Array(await bytes.arrayBuffer());
      expect(String.fromCharCode(...body.subarray(128, 132))).toBe('DICM');

      // A batch: the instances asked for in the order asked, one not in the library left out.
      const [first, second] = instances.map((instance) => instance.instanceId);
      const batchReply = await fetch(`${origin()}${instanceBatchPath([second!, 999_999, first!])}`, {
        headers: { cookie },
      });
      expect(batchReply.status).toBe(200);
      const records = [];
      for await (const record of readInstanceRecords(batchReply.body!)) records.push(record);
      expect(records.map((record) => record.instanceId)).toEqual([second, first]);
      expect(new Uint8Array(records[1]!.bytes)).toEqual(body);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(events).toContain(JSON.stringify({ type: 'library-changed' }));
      ws.close();
    },
  );
});
