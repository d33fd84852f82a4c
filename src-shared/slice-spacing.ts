/**
 * Spacing of slices along their normal, for the library (a stack of files) and the renderer (the
 * frames of a multi-frame image): the usual step, the gaps and whether the steps are irregular.
 */
import { dot, type Vec3 } from './geometry';

export interface SpacingReport {
  /** The usual distance between neighbouring slices along the normal, mm; null under 2 slices. */
  readonly sliceSpacing: number | null;
  /** Steps more than 1.5 times the usual spacing: missing slices. */
  readonly gaps: number;
  /** Steps that differ from the usual spacing by more than 10 % (gaps included). */
  readonly irregular: boolean;
}

/** The spacing of slices at these positions along the normal of their planes. */
export function measureSliceSpacing(positions: readonly Vec3[], normal: Vec3): SpacingReport {
  if (positions.length < 2) return { sliceSpacing: null, gaps: 0, irregular: false };
  const along = positions.map((position) => dot(position, normal)).sort((a, b) => a - b);
  const steps = along.slice(1).map((value, i) => value - along[i]!);
  const sorted = [...steps].sort((a, b) => a - b);
  const usual = sorted[Math.floor(sorted.length / 2)]!;
  if (usual <= 1e-6) return { sliceSpacing: null, gaps: 0, irregular: true };
  const gaps = steps.filter((step) => step > usual * 1.5).length;
  const irregular = steps.some((step) => Math.abs(step - usual) > usual * 0.1);
  return { sliceSpacing: usual, gaps, irregular };
}
