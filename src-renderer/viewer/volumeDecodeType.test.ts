import { describe, expect, it } from 'vitest';
import { FLOAT_VOLUME_BUDGET_BYTES, volumeDecodeType } from './volumeDecodeType';

const ct = (slices: number): number => 512 * 512 * slices;

describe('volumeDecodeType', () => {
  it('decodes 16-bit volumes to floats where WebGL has no norm16 texture and the floats fit', () => {
    expect(volumeDecodeType('Int16Array', ct(128), false)).toBe('Float32Array');
    expect(volumeDecodeType('Uint16Array', ct(256), false)).toBe('Float32Array');
  });

  it('keeps 16 bits a voxel for volumes whose floats would pass the budget', () => {
    expect(ct(257) * 4).toBeGreaterThan(FLOAT_VOLUME_BUDGET_BYTES);
    expect(volumeDecodeType('Int16Array', ct(257), false)).toBe('Int16Array');
    expect(volumeDecodeType('Int16Array', ct(1000), false)).toBe('Int16Array');
  });

  it('keeps 16 bits where norm16 textures take them as they are', () => {
    expect(volumeDecodeType('Int16Array', ct(128), true)).toBe('Int16Array');
  });

  it('leaves 8-bit and float volumes alone', () => {
    expect(volumeDecodeType('Uint8Array', ct(128), false)).toBe('Uint8Array');
    expect(volumeDecodeType('Float32Array', ct(1000), false)).toBe('Float32Array');
  });
});
