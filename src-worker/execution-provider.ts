/**
 * Creates onnxruntime sessions on the best execution provider this machine can actually use, and
 * keeps one per model file for the life of the process.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { intraOpThreads } from './thread-policy';

export interface SkippedProvider {
  readonly provider: string;
  readonly reason: string;
}

export interface ModelSession {
  readonly session: ort.InferenceSession;
  readonly provider: string;
  readonly skipped: readonly SkippedProvider[];
}

/**
 * Providers to try, best first: the platform's native accelerator, then WebGPU (bundled with
 * onnxruntime-node: Vulkan on Linux, D3D12 on Windows, Metal on macOS), then CPU. The variable
 * LUMEN_EXECUTION_PROVIDERS (comma-separated, e.g. `cpu`) replaces the list, to force a provider or
 * to compare them; only those it names are tried.
 */
export function preferredProviders(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): string[] {
  const forced = env.LUMEN_EXECUTION_PROVIDERS?.split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (forced && forced.length > 0) return forced;
  const native: Partial<Record<NodeJS.Platform, string>> = {
    linux: 'cuda',
    win32: 'dml',
    darwin: 'coreml',
  };
  const first = native[platform];
  return [...(first ? [first] : []), 'webgpu', 'cpu'];
}

/** Provider names this onnxruntime build knows about (not all of them usable here). */
export function availableProviders(): string[] {
  return ort.listSupportedBackends().map((b) => b.name);
}

export function sessionOptions(provider: string): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: [provider],
    // Explicit, so two sessions never silently oversubscribe the cores (thread-policy.ts).
    intraOpNumThreads: intraOpThreads(),
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    // Pool threads waiting for work sleep rather than spin: spinning takes cycles from the viewer.
    extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
  };
}

/**
 * Why a provider cannot run here, when that is known without trying: CUDA needs provider libraries
 * that onnxruntime-node downloads at install time (skipped offline), and a failed probe only logs noise.
 */
function missingLibrary(provider: string): string | null {
  if (provider !== 'cuda') return null;
  const binaries = join(
    dirname(require.resolve('onnxruntime-node')),
    '..',
    'bin',
    'napi-v6',
    process.platform,
    process.arch,
  );
  const library =
    process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';
  return existsSync(join(binaries, library))
    ? null
    : `its provider library ${library} is not installed (onnxruntime-node's CUDA download was skipped)`;
}

/**
 * Tries each preferred provider on its own: onnxruntime throws for ['cuda','cpu'] when CUDA is
 * unusable instead of falling back, so the fallback is ours.
 */
export async function createSession(modelPath: string): Promise<ModelSession> {
  const known = new Set(availableProviders());
  const skipped: SkippedProvider[] = [];
  for (const provider of preferredProviders()) {
    if (!known.has(provider)) {
      skipped.push({ provider, reason: 'not included in this onnxruntime build' });
      continue;
    }
    const missing = missingLibrary(provider);
    if (missing) {
      skipped.push({ provider, reason: missing });
      continue;
    }
    try {
      const session = await ort.InferenceSession.create(modelPath, sessionOptions(provider));
      // The protocol reports only the provider in use; the reasons for the others go to the log.
      for (const s of skipped)
        console.warn(`inference: ${s.provider} not used for ${modelPath}: ${s.reason}`);
      return { session, provider, skipped };
    } catch (err) {
      const reason = readableReason(err);
      // CPU is the last resort: its failure means the model itself is unusable.
      if (provider === 'cpu') throw new Error(`cannot load model ${modelPath}: ${reason}`, { cause: err });
      skipped.push({ provider, reason });
    }
  }
  const reasons = skipped.map((s) => `${s.provider}: ${s.reason}`).join('; ');
  throw new Error(`no execution provider could load ${modelPath} (${reasons})`);
}

/**
 * onnxruntime's message without the source location and failed check it starts with
 * ("/onnxruntime_src/…cc:136 … was false. Failed to get a WebGPU adapter: …"): the panel shows it.
 */
export function readableReason(error: unknown): string {
  const message = (error instanceof Error ? error.message : String(error)).trim();
  return /^\/onnxruntime_src\/.*? was false\.\s*(.+)$/s.exec(message)?.[1] ?? message;
}

const cache = new Map<string, Promise<ModelSession>>();

/** One session per model path, created on first use; a failed load is forgotten so it can be retried. */
export function getSession(modelPath: string): Promise<ModelSession> {
  let pending = cache.get(modelPath);
  if (!pending) {
    pending = createSession(modelPath);
    cache.set(modelPath, pending);
    pending.catch(() => cache.delete(modelPath));
  }
  return pending;
}

/**
 * Runs `run` on the model's session. A run that fails on an accelerator (out of its memory, an
 * operator it cannot execute) runs again on the CPU, which then serves the model for the life of
 * the process; a failure on the CPU is the model's own and is thrown.
 */
export async function runOnBestSession<R>(
  modelPath: string,
  run: (session: ort.InferenceSession) => Promise<R>,
): Promise<{ readonly result: R; readonly used: ModelSession }> {
  return runOrFallBack(modelPath, await getSession(modelPath), run);
}

/** runOnBestSession's fallback, given the session chosen (apart, so a failing one can be tested). */
export async function runOrFallBack<R>(
  modelPath: string,
  chosen: ModelSession,
  run: (session: ort.InferenceSession) => Promise<R>,
): Promise<{ readonly result: R; readonly used: ModelSession }> {
  try {
    return { result: await run(chosen.session), used: chosen };
  } catch (error) {
    if (chosen.provider === 'cpu') throw error;
    const reason = `its run failed: ${readableReason(error)}`;
    console.warn(`inference: ${chosen.provider} dropped for ${modelPath}, ${reason}; running on cpu`);
    const session = await ort.InferenceSession.create(modelPath, sessionOptions('cpu'));
    const used: ModelSession = {
      session,
      provider: 'cpu',
      skipped: [...chosen.skipped, { provider: chosen.provider, reason }],
    };
    cache.set(modelPath, Promise.resolve(used));
    void chosen.session.release().catch(() => undefined);
    return { result: await run(session), used };
  }
}
