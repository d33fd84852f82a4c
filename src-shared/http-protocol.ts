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

/** PUT one file's raw bytes; header UPLOAD_NAME_HEADER carries encodeURIComponent(relative path). */
export function uploadPath(batchId: string, index: number): string {
  return `/api/uploads/${batchId}/${index}`;
}
export const UPLOAD_NAME_HEADER = 'x-file-name';

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

/** WebSocket: the server pushes ServerEvent JSON messages. */
export const EVENTS_PATH = '/api/events';

/** Error replies: HTTP status >= 400 with this JSON body. */
export interface ErrorReply {
  readonly error: string;
}
