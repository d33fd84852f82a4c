import { describe, expect, it } from 'vitest';
import type { Vec3 } from '../../src-shared/geometry';
import {
  nearestSlice,
  planeCentre,
  planeIntersection,
  scrollTogether,
  sliceNormal,
  type ImagePlane,
} from './planeGeometry';

/** An axial 4x2 image, 2 mm columns and 3 mm rows, first pixel centre at (10, 20, z). */
const axial = (z: number): ImagePlane => ({
  position: [10, 20, z],
  rowCosines: [1, 0, 0],
  columnCosines: [0, 1, 0],
  columnSpacing: 2,
  rowSpacing: 3,
  columns: 4,
  rows: 2,
});

const close = (actual: Vec3, expected: Vec3): void =>
  actual.forEach((value, k) => expect(value).toBeCloseTo(expected[k]!, 9));

describe('slice geometry', () => {
  it('takes the normal as row × column', () => {
    close(sliceNormal([1, 0, 0, 0, 1, 0])!, [0, 0, 1]);
    // Sagittal: rows run anterior-posterior, columns foot-ward.
    close(sliceNormal([0, 1, 0, 0, 0, -1])!, [-1, 0, 0]);
    expect(sliceNormal([1, 0, 0, 1, 0, 0])).toBeNull();
    expect(sliceNormal([1, 0, 0])).toBeNull();
  });

  it('finds the nearest slice along the normal, whatever the in-plane offset and order', () => {
    const positions: Array<Vec3 | null> = [[0, 0, 30], [5, 5, 20], null, [-9, 3, 10], [0, 0, 0]];
    expect(nearestSlice(positions, [0, 0, 1], [100, -40, 21])).toBe(1);
    expect(nearestSlice(positions, [0, 0, 1], [0, 0, 14.9])).toBe(3);
    expect(nearestSlice(positions, [0, 0, 1], [0, 0, -50])).toBe(4);
    // Halfway between two slices: the first one listed.
    expect(nearestSlice(positions, [0, 0, 1], [0, 0, 25])).toBe(0);
    expect(nearestSlice([null, null], [0, 0, 1], [0, 0, 0])).toBe(-1);
  });

  it('measures along an oblique normal', () => {
    const n: Vec3 = [Math.SQRT1_2, 0, Math.SQRT1_2];
    const positions: Vec3[] = [0, 1, 2, 3].map((k) => [k * 4, 0, 0]);
    // dot(point, n) = 8·√½ lies at slice 2 (8·√½), not at slice 3.
    expect(nearestSlice(positions, n, [0, 50, 8])).toBe(2);
  });

  it('scrolls only near-parallel stacks together', () => {
    expect(scrollTogether([0, 0, 1], [0, 0, -1])).toBe(true);
    expect(scrollTogether([0, 0, 1], [0, Math.sin(0.4), Math.cos(0.4)])).toBe(true);
    expect(scrollTogether([0, 0, 1], [1, 0, 0])).toBe(false);
  });

  it('puts the centre between the corner pixels', () => {
    close(planeCentre(axial(5)), [13, 21.5, 5]);
  });

  it('crosses an axial image with a sagittal plane along the image edges', () => {
    // The plane x = 12 cuts the image (x from 9 to 17, y from 18.5 to 24.5) top to bottom.
    const ends = planeIntersection(axial(5), [12, 0, 0], [1, 0, 0])!;
    const sorted = [...ends].sort((a, b) => a[1] - b[1]);
    close(sorted[0]!, [12, 18.5, 5]);
    close(sorted[1]!, [12, 24.5, 5]);
  });

  it('crosses along an oblique line through two adjacent edges', () => {
    // The plane x + y = 30 meets the top edge (y = 18.5) at x = 11.5 and the right edge (x = 17) at y = 13 —
    // outside, so the left edge x = 9 (y = 21) and the top edge are the ones it crosses.
    const n: Vec3 = [Math.SQRT1_2, Math.SQRT1_2, 0];
    const ends = planeIntersection(axial(0), [15, 15, 0], n)!;
    const sorted = [...ends].sort((a, b) => a[0] - b[0]);
    close(sorted[0]!, [9, 21, 0]);
    close(sorted[1]!, [11.5, 18.5, 0]);
  });

  it('has no line for parallel planes or a plane that misses the image', () => {
    expect(planeIntersection(axial(5), [0, 0, 7], [0, 0, 1])).toBeNull();
    expect(planeIntersection(axial(5), [0, 0, 5], [0, 0, 1])).toBeNull();
    expect(planeIntersection(axial(5), [100, 0, 0], [1, 0, 0])).toBeNull();
  });

  it('finds one line, not three, through a corner and the opposite edge', () => {
    // Through the top-left corner (9, 18.5) and the middle of the bottom edge (13, 24.5).
    const d: Vec3 = [4, 6, 0];
    const n: Vec3 = [d[1] / Math.hypot(4, 6), -d[0] / Math.hypot(4, 6), 0];
    const ends = planeIntersection(axial(0), [9, 18.5, 0], n)!;
    const sorted = [...ends].sort((a, b) => a[1] - b[1]);
    close(sorted[0]!, [9, 18.5, 0]);
    close(sorted[1]!, [13, 24.5, 0]);
  });
});
