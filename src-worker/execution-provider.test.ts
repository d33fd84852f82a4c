import { describe, expect, it } from 'vitest';
import { availableProviders, preferredProviders, sessionOptions } from './execution-provider';

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
});
