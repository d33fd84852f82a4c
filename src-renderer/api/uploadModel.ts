import type { ModelInfo } from '../../src-shared/api';
import { modelInstallPath, modelUploadPath } from '../../src-shared/http-protocol';
import { failureOf } from './httpRpc';

/** "Install model…" in browser mode: uploads the .onnx file and its manifest, then asks main to check and install them. */
export async function uploadAndInstallModel(onnx: File, manifest: File): Promise<ModelInfo> {
  const batchId = crypto.randomUUID();
  for (const [name, file] of [
    ['model.onnx', onnx],
    ['manifest.json', manifest],
  ] as const) {
    const response = await fetch(modelUploadPath(batchId, name), {
      method: 'PUT',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/octet-stream' },
      body: file,
    });
    if (!response.ok) throw await failureOf(response);
  }
  const response = await fetch(modelInstallPath(batchId), { method: 'POST', credentials: 'same-origin' });
  if (!response.ok) throw await failureOf(response);
  return (await response.json()) as ModelInfo;
}
