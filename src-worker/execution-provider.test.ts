import type * as ort from 'onnxruntime-node';
import { describe, expect, it, vi } from 'vitest';
import {
  availableProviders,
  getSession,
  preferredProviders,
  readableReason,
  runOrFallBack,
  sessionOptions,
} from './execution-provider';
import type { ModelSession } from './execution-provider';
import { hasSharedData, MESHNET_MODEL, sharedPath } from '../test-support/shared-data';

describe('execution providers', () => {
  it('tries the platform accelerator first, then WebGPU, and CPU last', () => {
    expect(preferredProviders('linux', {})).toEqual(['cuda', 'webgpu', 'cpu']);
    expect(preferredProviders('win32', {})).toEqual(['dml', 'webgpu', 'cpu']);
    expect(preferredProviders('darwin', {})).toEqual(['coreml', 'webgpu', 'cpu']);
    expect(preferredProviders('freebsd', {})).toEqual(['webgpu', 'cpu']);
  });

  it('tries only the providers LUMEN_EXECUTION_PROVIDERS names', () => {
    expect(preferredProviders('linux', { LUMEN_EXECUTION_PROVIDERS: 'cpu' })).toEqual(['cpu']);
    expect(preferredProviders('linux', { LUMEN_EXECUTION_PROVIDERS: ' webgpu, cpu ' })).toEqual([
      'webgpu',
      'cpu',
    ]);
    expect(preferredProviders('linux', { LUMEN_EXECUTION_PROVIDERS: '' })).toEqual(['cuda', 'webgpu', 'cpu']);
  });

  it('names one provider per attempt with explicit threading', () => {
    const options = sessionOptions('cuda');
    expect(options.executionProviders).toEqual(['cuda']);
    expect(options.intraOpNumThreads).toBeGreaterThanOrEqual(1);
    expect(options.interOpNumThreads).toBe(1);
    expect(options.graphOptimizationLevel).toBe('all');
    expect(options.extra).toEqual({
      session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } },
    });
  });

  it('lists what this onnxruntime build carries', () => {
    expect(availableProviders()).toContain('cpu');
  });

  it.skipIf(!hasSharedData)(
    'runs a model again on the CPU when its run fails on an accelerator',
    async () => {
      const model = sharedPath(MESHNET_MODEL);
      const release = vi.fn(() => Promise.resolve());
      const failing = { release } as unknown as ort.InferenceSession;
      const chosen: ModelSession = {
        session: failing,
        provider: 'webgpu',
        skipped: [{ provider: 'cuda', reason: 'not installed' }],
      };
      const { result, used } = await runOrFallBack(model, chosen, (session) =>
        session === failing
          ? Promise.reject(new Error('out of GPU memory'))
          : Promise.resolve(session.inputNames),
      );
      expect(result).toEqual(['input']);
      expect(used.provider).toBe('cpu');
      expect(used.skipped).toEqual([
        { provider: 'cuda', reason: 'not installed' },
        { provider: 'webgpu', reason: 'its run failed: out of GPU memory' },
      ]);
      expect(release).toHaveBeenCalled();
      // The CPU session now serves the model.
      expect(await getSession(model)).toBe(used);
    },
  );

  it.skipIf(!hasSharedData)("throws a CPU run's failure: it is the model's own", async () => {
    const model = sharedPath(MESHNET_MODEL);
    const chosen = await getSession(model);
    await expect(
      runOrFallBack(model, { ...chosen, provider: 'cpu' }, () => Promise.reject(new Error('bad input'))),
    ).rejects.toThrow('bad input');
  });

  it("shows onnxruntime's reason without its source location", () => {
    const raw = new Error(
      '/onnxruntime_src/onnxruntime/core/providers/webgpu/webgpu_context.cc:136 onnxruntime::webgpu::WebGpuContext::Initialize(const onnxruntime::webgpu::WebGpuContextConfig&)::<lambda()> adapter_result.status == wgpu::RequestAdapterStatus::Success was false. Failed to get a WebGPU adapter: No supported adapters\n',
    );
    expect(readableReason(raw)).toBe('Failed to get a WebGPU adapter: No supported adapters');
    expect(readableReason(new Error('out of memory'))).toBe('out of memory');
  });
});
