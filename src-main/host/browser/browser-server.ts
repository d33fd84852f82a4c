/**
 * Browser mode: the backend over HTTP and WebSocket on 127.0.0.1 only. A random token per run is
 * exchanged once for an HttpOnly cookie; every request and the socket must carry it, and the Host
 * header must be the loopback address (no DNS rebinding).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { WebSocketServer } from 'ws';
import type { ServerEvent } from '../../../src-shared/api';
import {
  EVENTS_PATH,
  INSTANCE_BATCH_MAX,
  instanceBatchIds,
  TOKEN_COOKIE,
} from '../../../src-shared/http-protocol';
import type { Workstation } from '../../backend/workstation';
import { dispatch, InvalidArgumentsError } from '../../backend/validate-args';
import type { ImportSource } from '../../library/import-service';
import { errorText } from '../../library/dicom-header';
import { ModelInstallError } from '../../models/model-install';
import { contentTypeFor, SECURITY_HEADERS } from '../security-headers';
import { resolveRendererFile } from '../renderer-files';
import { receiveUploadPart, UploadPartError } from './upload-part';

export interface BrowserServerOptions {
  readonly workstation: Workstation;
  readonly rendererDir: string;
  readonly port: number;
}

export interface RunningBrowserServer {
  readonly url: string;
  readonly token: string;
  readonly port: number;
  close(): Promise<void>;
}

const MAX_JSON_BYTES = 1024 * 1024;
const BATCH_ID = /^[0-9a-f-]{36}$/;

export async function startBrowserServer(options: BrowserServerOptions): Promise<RunningBrowserServer> {
  const token = randomBytes(24).toString('base64url');
  const uploads = new Map<string, ImportSource[]>();
  /** Batches cancelled during their upload: files still arriving for them are not kept. */
  const discarded = new Set<string>();
  const uploadRoot = join(options.workstation.options.dataDir, 'uploads');
  const modelUploadRoot = join(options.workstation.options.dataDir, 'model-uploads');
  let port = 0;

  const authorised = (req: IncomingMessage): boolean => {
    const host = req.headers.host ?? '';
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return false;
    const presented = readCookie(req.headers.cookie, TOKEN_COOKIE);
    return presented !== null && sameSecret(presented, token);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => reply(res, 500, { error: errorText(error) }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const offered = url.searchParams.get('token');
    if (req.method === 'GET' && url.pathname === '/' && offered !== null) {
      if (!sameSecret(offered, token)) return reply(res, 403, { error: 'wrong token' });
      res.writeHead(303, {
        'Set-Cookie': `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        Location: '/',
      });
      res.end();
      return;
    }
    if (!authorised(req))
      return reply(res, 403, { error: 'open the URL printed by the app (it carries the token)' });

    const parts = url.pathname.split('/').filter(Boolean);
    if (req.method === 'POST' && parts[0] === 'api' && parts[1] === 'rpc' && parts.length === 3) {
      try {
        return reply(res, 200, await dispatch(options.workstation, parts[2]!, await readJson(req)));
      } catch (error) {
        return reply(res, error instanceof InvalidArgumentsError ? 400 : 500, { error: errorText(error) });
      }
    }
    if (parts[0] === 'api' && parts[1] === 'uploads' && parts.length === 4 && BATCH_ID.test(parts[2]!)) {
      const batchId = parts[2]!;
      if (req.method === 'PUT' && /^\d{1,7}$/.test(parts[3]!)) {
        const dir = join(uploadRoot, batchId);
        mkdirSync(dir, { recursive: true });
        if (discarded.has(batchId)) {
          req.resume();
          return reply(res, 410, { error: 'this upload was cancelled' });
        }
        // The stored names are ours; the user's names are kept only for the report.
        let received: ImportSource[];
        try {
          received = await receiveUploadPart(req, dir, Number(parts[3]));
        } catch (error) {
          if (error instanceof UploadPartError) return reply(res, 400, { error: error.message });
          throw error;
        }
        if (discarded.has(batchId)) {
          for (const { path } of received) rmSync(path, { force: true });
          return reply(res, 410, { error: 'this upload was cancelled' });
        }
        const batch = uploads.get(batchId) ?? [];
        batch.push(...received);
        uploads.set(batchId, batch);
        return reply(res, 200, { stored: received.length });
      }
      if (req.method === 'POST' && parts[3] === 'discard') {
        discarded.add(batchId);
        uploads.delete(batchId);
        rmSync(join(uploadRoot, batchId), { recursive: true, force: true });
        return reply(res, 200, { discarded: true });
      }
      if (req.method === 'POST' && parts[3] === 'import') {
        const batch = uploads.get(batchId) ?? [];
        uploads.delete(batchId);
        batch.sort((a, b) => a.displayName.localeCompare(b.displayName));
        return reply(res, 200, await options.workstation.importSources(batch));
      }
    }
    if (
      parts[0] === 'api' &&
      parts[1] === 'model-uploads' &&
      parts.length === 4 &&
      BATCH_ID.test(parts[2]!)
    ) {
      const dir = join(modelUploadRoot, parts[2]!);
      if (req.method === 'PUT' && (parts[3] === 'model.onnx' || parts[3] === 'manifest.json')) {
        mkdirSync(dir, { recursive: true });
        await pipeline(req, createWriteStream(join(dir, parts[3])));
        return reply(res, 200, { stored: true });
      }
      if (req.method === 'POST' && parts[3] === 'install') {
        try {
          return reply(
            res,
            200,
            await options.workstation.installModel({
              onnxPath: join(dir, 'model.onnx'),
              manifestPath: join(dir, 'manifest.json'),
            }),
          );
        } catch (error) {
          return reply(res, error instanceof ModelInstallError ? 400 : 500, { error: errorText(error) });
        } finally {
          // The installed model was copied into the models folder; the upload is not needed either way.
          rmSync(dir, { recursive: true, force: true });
        }
      }
    }
    if (req.method === 'GET' && parts[0] === 'api' && parts[1] === 'results' && parts[3] === 'labelmap') {
      const labelmap = options.workstation.labelmap(Number(parts[2]));
      if (!labelmap) return reply(res, 404, { error: 'no such result' });
      res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'application/octet-stream' });
      res.end(labelmap);
      return;
    }
    if (req.method === 'GET' && parts[0] === 'instances' && parts.length === 1) {
      const ids = instanceBatchIds(url.searchParams);
      if (!ids) return reply(res, 400, { error: `ids must be 1 to ${INSTANCE_BATCH_MAX} instance ids` });
      res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'application/octet-stream' });
      await pipeline(Readable.from(options.workstation.instanceBatch(ids)), res);
      return;
    }
    if (req.method === 'GET' && parts[0] === 'instances' && parts.length === 2) {
      const content = await options.workstation.instanceContent(Number(parts[1]));
      if (!content) return reply(res, 404, { error: 'no such instance' });
      res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'application/dicom' });
      if ('bytes' in content) res.end(content.bytes);
      else await pipeline(createReadStream(content.path), res);
      return;
    }
    if (req.method === 'GET') {
      const file = resolveRendererFile(options.rendererDir, url.pathname);
      if (!file) return reply(res, 404, { error: 'not found' });
      res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': contentTypeFor(file) });
      await pipeline(createReadStream(file), res);
      return;
    }
    reply(res, 405, { error: 'method not allowed' });
  }

  const sockets = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    if (new URL(req.url ?? '/', 'http://127.0.0.1').pathname !== EVENTS_PATH || !authorised(req)) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => sockets.emit('connection', ws));
  });
  const unsubscribe = options.workstation.onEvent((event: ServerEvent) => {
    const message = JSON.stringify(event);
    for (const client of sockets.clients) if (client.readyState === client.OPEN) client.send(message);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    token,
    port,
    close: async () => {
      unsubscribe();
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body ?? null));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_JSON_BYTES) throw new InvalidArgumentsError('request too large');
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new InvalidArgumentsError('request body is not JSON');
  }
}

function readCookie(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return null;
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
