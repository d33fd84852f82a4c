/**
 * The privileged `app://` scheme: the renderer, instance bytes and labelmaps, never `file://`.
 * Registered as standard and secure so module scripts, fetch, workers and SharedArrayBuffer work.
 */
import { protocol } from 'electron';
import { readFile } from 'node:fs/promises';
import { INSTANCE_BATCH_MAX, instanceBatchIds } from '../../../src-shared/http-protocol';
import type { Workstation } from '../../backend/workstation';
import { contentTypeFor, SECURITY_HEADERS } from '../security-headers';
import { resolveRendererFile } from '../renderer-files';

export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://workstation`;

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, stream: true },
    },
  ]);
}

export function serveAppScheme(workstation: Workstation, rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'workstation') return new Response('not found', { status: 404 });
    const parts = url.pathname.split('/').filter(Boolean);
    const bytes = async (path: string | undefined, type: string): Promise<Response> =>
      path
        ? new Response(await readFile(path), { headers: { ...SECURITY_HEADERS, 'Content-Type': type } })
        : new Response('not found', { status: 404 });
    if (parts[0] === 'instances' && parts.length === 1) {
      const ids = instanceBatchIds(url.searchParams);
      return ids
        ? new Response(readableFrom(workstation.instanceBatch(ids)), {
            headers: { ...SECURITY_HEADERS, 'Content-Type': 'application/octet-stream' },
          })
        : new Response(`ids must be 1 to ${INSTANCE_BATCH_MAX} instance ids`, { status: 400 });
    }
    if (parts[0] === 'instances' && parts.length === 2) {
      const content = await workstation.instanceContent(Number(parts[1]));
      if (content && 'bytes' in content) {
        return new Response(content.bytes, {
          headers: { ...SECURITY_HEADERS, 'Content-Type': 'application/dicom' },
        });
      }
      return bytes(content?.path, 'application/dicom');
    }
    if (parts[0] === 'api' && parts[1] === 'results' && parts[3] === 'labelmap') {
      const labelmap = workstation.labelmap(Number(parts[2]));
      return labelmap
        ? new Response(new Uint8Array(labelmap), {
            headers: { ...SECURITY_HEADERS, 'Content-Type': 'application/octet-stream' },
          })
        : new Response('not found', { status: 404 });
    }
    const file = resolveRendererFile(rendererDir, url.pathname);
    return bytes(file ?? undefined, file ? contentTypeFor(file) : 'text/plain');
  });
}

/** A web stream of what an async generator yields, read as the protocol's consumer asks. */
function readableFrom(chunks: AsyncGenerator<Uint8Array>): ReadableStream<Uint8Array> {
  return new ReadableStream({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}
