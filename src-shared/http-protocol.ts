/**
 * Browser mode carries the preload API over loopback HTTP + WebSocket. The page is opened once
 * with `/?token=…`; the host answers with an HttpOnly, SameSite=Strict cookie and every later
 * request and the socket are checked against it, so no script ever handles the token.
 */
import type { BackendMethodName } from './api';

export const TOKEN_COOKIE = 'lumen_token';

/** POST, JSON body = the method's argument object (or {}), JSON reply = its result. */
export function rpcPath(method: BackendMethodName): string {
  return `/api/rpc/${method}`;
}

/**
 * PUT one part of a batch: several files in one body (uploadPartHead, then each file's bytes in
 * order). Chromium spends about 30 ms on each request here whatever its size, so 128 CT slices
 * as 128 PUTs took 1.0 s and as 8 PUTs 0.24 s.
 */
export function uploadPath(batchId: string, part: number): string {
  return `/api/uploads/${batchId}/${part}`;
}

/** One file of an upload part: its path as the user gave it, and its size in bytes. */
export interface UploadPartEntry {
  readonly name: string;
  readonly size: number;
}

/** The most files one part may carry (the server refuses more). */
export const UPLOAD_PART_MAX_FILES = 64;

/** A part's head: the byte length of its manifest (uint32, little-endian), then the manifest as JSON. */
export function uploadPartHead(entries: readonly UploadPartEntry[]): Uint8Array<ArrayBuffer> {
  const manifest = new TextEncoder().encode(JSON.stringify(entries));
  const head = new Uint8Array(4 + manifest.length);
  new DataView(head.buffer).setUint32(0, manifest.length, true);
  head.set(manifest, 4);
  return head;
}

/** POST after every file of the batch is stored: imports them and replies with an ImportReport. */
export function uploadImportPath(batchId: string): string {
  return `/api/uploads/${batchId}/import`;
}

/** POST when the user cancels during the upload: the server drops the batch and its stored files. */
export function uploadDiscardPath(batchId: string): string {
  return `/api/uploads/${batchId}/discard`;
}

/** "Install model…" in browser mode: PUT the raw bytes of `model.onnx` and `manifest.json`, one each. */
export function modelUploadPath(batchId: string, file: 'model.onnx' | 'manifest.json'): string {
  return `/api/model-uploads/${batchId}/${file}`;
}

/** POST after both files are stored: checks and installs the model; replies with its ModelInfo or an ErrorReply. */
export function modelInstallPath(batchId: string): string {
  return `/api/model-uploads/${batchId}/install`;
}

/** GET the labelmap bytes of a stored result (application/octet-stream). */
export function labelmapPath(resultId: number): string {
  return `/api/results/${resultId}/labelmap`;
}

/** GET one instance's DICOM bytes (application/dicom); InstanceRef.url points here. */
export function instancePath(instanceId: number): string {
  return `/instances/${instanceId}`;
}

/**
 * GET several instances' DICOM bytes in one reply, for the stack's prefetch and the MPR volume: for
 * each instance asked, in the order asked, a record (instance-batch-records.ts) of its bytes as
 * instancePath serves them. An instance that cannot be read is left out (the viewer then asks for
 * it alone and reports what that says). 128 CT slices fetched one a request took about 0.9 s in
 * Chromium here, most of it the cost of each request.
 */
export function instanceBatchPath(instanceIds: readonly number[]): string {
  return `/instances?ids=${instanceIds.join(',')}`;
}

/** The most instances one batch may ask for (the server refuses more). */
export const INSTANCE_BATCH_MAX = 64;

/** The ids of a batch request's query (`ids=1,2,3`), or null when they are not 1 to INSTANCE_BATCH_MAX positive integers. */
export function instanceBatchIds(query: URLSearchParams): number[] | null {
  const ids = (query.get('ids') ?? '').split(',').map(Number);
  const valid = ids.length <= INSTANCE_BATCH_MAX && ids.every((id) => Number.isSafeInteger(id) && id > 0);
  return valid ? ids : null;
}

/** The instance id of an instance URL (instancePath under any origin); null for other URLs. */
export function instanceIdOfUrl(url: string): number | null {
  const match = /\/instances\/(\d+)$/.exec(url);
  return match ? Number(match[1]) : null;
}

/** WebSocket: the server pushes ServerEvent JSON messages. */
export const EVENTS_PATH = '/api/events';

/** Error replies: HTTP status >= 400 with this JSON body. */
export interface ErrorReply {
  readonly error: string;
}
