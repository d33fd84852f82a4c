import { describe, expect, it } from 'vitest';
import type { Types } from '@cornerstonejs/core';
import { directionLetters, projectionMarkers } from './orientationMarkers';

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

describe('projectionMarkers', () => {
  // A viewport showing an image the loader placed as axial: screen right is +x, screen down is +y.
  const viewport = (flip: boolean) =>
    ({
      canvas: { clientWidth: 100, clientHeight: 80 },
      canvasToWorld: ([x, y]: [number, number]) => [flip ? -x : x, y, 0],
    }) as unknown as Types.IViewport;

  it('puts Patient Orientation on the edges of a PA chest radiograph', () => {
    expect(projectionMarkers(viewport(false), 'L\\F')).toEqual({
      right: 'L',
      left: 'R',
      bottom: 'F',
      top: 'H',
    });
  });

  it('follows a horizontal flip', () => {
    expect(projectionMarkers(viewport(true), 'L\\F')).toEqual({
      right: 'R',
      left: 'L',
      bottom: 'F',
      top: 'H',
    });
  });

  it('handles two-letter directions and refuses nonsense', () => {
    expect(projectionMarkers(viewport(false), 'A\\FR')).toEqual({
      right: 'A',
      left: 'P',
      bottom: 'FR',
      top: 'HL',
    });
    expect(projectionMarkers(viewport(false), '')).toBeNull();
    expect(projectionMarkers(viewport(false), 'X\\Y')).toBeNull();
    expect(projectionMarkers(viewport(false), 'L\\F\\H')).toBeNull();
  });
});
