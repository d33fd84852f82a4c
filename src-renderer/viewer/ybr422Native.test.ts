import { describe, expect, it } from 'vitest';
import { ybrFull422ToRgb } from './ybr422Native';

describe('ybrFull422ToRgb', () => {
  it('gives each pixel of a pair its own luma and the pair’s shared chroma', () => {
    // Red and blue in full-range YCbCr (PS3.3 C.7.6.3.1.2; 8-bit values, so 254 of 255), then a grey
    // pair of two lumas.
    const ybr = [76, 76, 85, 255, 29, 29, 255, 107, 40, 200, 128, 128];
    expect(Array.from(ybrFull422ToRgb(ybr, 3))).toEqual([
      ...[254, 0, 0],
      ...[254, 0, 0],
      ...[0, 0, 254],
      ...[0, 0, 254],
      ...[40, 40, 40],
      ...[200, 200, 200],
    ]);
  });

  it('fills alpha for RGBA', () => {
    expect(Array.from(ybrFull422ToRgb([40, 200, 128, 128], 4))).toEqual([
      40, 40, 40, 255, 200, 200, 200, 255,
    ]);
  });
});
