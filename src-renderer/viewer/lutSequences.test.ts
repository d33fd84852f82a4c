import { describe, expect, it } from 'vitest';
import { firstInput, lutEntries } from './lutSequences';

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
