import { describe, expect, it } from 'vitest';
import { directionLetters } from './orientationMarkers';

describe('directionLetters', () => {
  it('names the patient axes as radiologists do', () => {
    expect(directionLetters([1, 0, 0])).toBe('L');
    expect(directionLetters([-1, 0, 0])).toBe('R');
    expect(directionLetters([0, 1, 0])).toBe('P');
    expect(directionLetters([0, -1, 0])).toBe('A');
    expect(directionLetters([0, 0, 1])).toBe('H');
    expect(directionLetters([0, 0, -1])).toBe('F');
  });

  it('gives an oblique direction two letters, strongest first', () => {
    expect(directionLetters([0.8, -0.6, 0])).toBe('LA');
    expect(directionLetters([0.1, 0, -0.99])).toBe('F');
  });
});
