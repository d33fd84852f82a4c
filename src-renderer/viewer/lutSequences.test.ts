import { describe, expect, it } from 'vitest';
import { firstInput, lutEntries, lutRamp, type LookupTable } from './lutSequences';

const words = (values: readonly number[]): ArrayBuffer => new Uint16Array(values).buffer;

describe('lutEntries', () => {
  it('takes US LUT Data as the numbers it is', () => {
    expect(lutEntries([0, 40000, 65535], 3)).toEqual([0, 40000, 65535]);
  });

  it('reads OW LUT Data as 16-bit little-endian entries, in one buffer or several', () => {
    expect(lutEntries([words([1, 300, 65535])], 3)).toEqual([1, 300, 65535]);
    expect(lutEntries(words([7, 8]), 2)).toEqual([7, 8]);
    const bytes = new Uint8Array(words([1, 300, 65535]));
    expect(lutEntries([bytes.slice(0, 3).buffer, bytes.slice(3).buffer], 3)).toEqual([1, 300, 65535]);
  });

  it('reads 8-bit entries packed one a byte (8 bits allocated)', () => {
    expect(lutEntries([new Uint8Array([0, 128, 255, 0]).buffer], 3)).toEqual([0, 128, 255]);
  });

  it('gives nothing for no data', () => {
    expect(lutEntries(undefined, 4)).toEqual([]);
  });
});

describe('firstInput', () => {
  it('takes a first input past the signed range as negative where the inputs may be negative', () => {
    expect(firstInput(64512, true)).toBe(-1024);
    expect(firstInput(-1024, true)).toBe(-1024);
    expect(firstInput(32767, true)).toBe(32767);
  });

  it('keeps it unsigned where the inputs cannot be negative', () => {
    expect(firstInput(64512, false)).toBe(64512);
  });
});

describe('lutRamp', () => {
  const lut = (first: number, data: number[]): LookupTable => ({ first, bits: 16, data, explanation: 'X' });

  it('drops the flat start and end but the entries where the ramp leaves and meets them', () => {
    expect(lutRamp(lut(-10, [0, 0, 0, 5, 9, 9, 9]))).toEqual(lut(-8, [0, 5, 9]));
  });

  it('keeps a LUT that changes from its first entry to its last', () => {
    const ramp = lut(100, [0, 1, 2]);
    expect(lutRamp(ramp)).toBe(ramp);
  });

  it('keeps a falling ramp and the steps in its middle', () => {
    expect(lutRamp(lut(0, [9, 9, 4, 4, 1, 1]))).toEqual(lut(1, [9, 4, 4, 1]));
  });

  it('keeps the whole range of a flat LUT', () => {
    const flat = lut(5, [3, 3, 3, 3]);
    expect(lutRamp(flat)).toBe(flat);
  });
});
