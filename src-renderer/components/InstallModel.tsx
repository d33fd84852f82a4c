import { useState } from 'react';
import { getApi } from '../api';
import { useAnalysisStore } from '../state/analysisStore';

/** What a manifest needs, for users who write their own (see src-shared/models.ts for every field). */
const TEMPLATE = `{
  "id": "my-chest-classifier",
  "name": "My chest X-ray classifier",
  "version": "1",
  "task": "classification",
  "description": "",
  "licence": "",
  "modalities": ["CR", "DX"],
  "weights": { "file": "model.onnx", "sha256": "", "bytes": 0, "url": "", "sharedPath": "" },
  "input": { "name": "image", "shape": ["batch", 1, 224, 224], "size": 224, "normalisation": "xrv-1024" },
  "output": { "name": "logits", "shape": ["batch", 2], "postprocess": "sigmoid" },
  "labels": [{ "name": "Finding A", "threshold": 0.5 }, { "name": "Finding B", "threshold": 0.5 }]
}`;

/**
 * "Install model…": an .onnx file and its manifest. Main opens the model in the inference process,
 * refuses it when its inputs or outputs differ from the manifest, and records its sha256.
 */
export function InstallModel() {
  const [open, setOpen] = useState(false);
  const [onnx, setOnnx] = useState<File | null>(null);
  const [manifest, setManifest] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const install = async (): Promise<void> => {
    if (!onnx || !manifest) return;
    setBusy(true);
    setMessage(null);
    try {
      const model = await getApi().installModel(onnx, manifest);
      setMessage({
        ok: true,
        text: `Installed ${model.name} ${model.version} (sha256 ${model.weightsSha256}).`,
      });
      await useAnalysisStore.getState().loadModels();
    } catch (error) {
      setMessage({
        ok: false,
        text: `Not installed: ${error instanceof Error ? error.message : String(error)}`,
      });
    } finally {
      setBusy(false);
    }
  };

  if (!open) {
    return (
      <button
        type="button"
        className="link-button"
        data-testid="install-model-open"
        onClick={() => setOpen(true)}
      >
        Install model…
      </button>
    );
  }
  return (
    <div className="install-model" data-testid="install-model">
      <label>
        Model (.onnx){' '}
        <input
          type="file"
          accept=".onnx"
          data-testid="install-model-onnx"
          onChange={(event) => setOnnx(event.target.files?.[0] ?? null)}
        />
      </label>
      <label>
        Manifest (.json){' '}
        <input
          type="file"
          accept=".json,application/json"
          data-testid="install-model-manifest"
          onChange={(event) => setManifest(event.target.files?.[0] ?? null)}
        />
      </label>
      <details>
        <summary>Manifest template</summary>
        <pre>{TEMPLATE}</pre>
      </details>
      <span>
        <button
          type="button"
          data-testid="install-model-submit"
          disabled={!onnx || !manifest || busy}
          onClick={() => void install()}
        >
          {busy ? 'Checking…' : 'Install'}
        </button>{' '}
        <button type="button" className="link-button" onClick={() => setOpen(false)}>
          close
        </button>
      </span>
      {message && (
        <p role={message.ok ? 'status' : 'alert'} data-testid="install-model-message" data-ok={message.ok}>
          {message.text}
        </p>
      )}
    </div>
  );
}
