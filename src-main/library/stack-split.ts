/**
 * Splits the images of one DICOM series into the stacks a radiologist would read separately:
 * different orientation, image size or pixel spacing; and, where slice positions repeat, different
 * echoes or acquisitions. Also measures the slice spacing of a stack and finds gaps.
 */
import { measureSliceSpacing, type SpacingReport } from '../../src-shared/slice-spacing';
import type { Vec3 } from '../../src-shared/geometry';
import { sliceNormal } from './slice-order';

export interface StackImage {
  readonly id: number;
  readonly position: Vec3 | null;
  readonly orientation: readonly number[] | null;
  readonly rows: number;
  readonly columns: number;
  readonly pixelSpacing: readonly [number, number] | null;
  readonly echoNumber: number | null;
  readonly acquisitionNumber: number | null;
}

export interface Stack {
  readonly ids: readonly number[];
  /** Why this stack is apart from the others of its series; null when the series is one stack. */
  readonly reason: string | null;
}

const round = (value: number, step: number): string => (Math.round(value / step) * step).toFixed(3);

function orientationKey(image: StackImage): string {
  return image.orientation ? image.orientation.map((v) => round(v, 1e-3)).join(',') : '-';
}

function spacingKey(image: StackImage): string {
  return image.pixelSpacing ? image.pixelSpacing.map((v) => round(v, 1e-3)).join('x') : '-';
}

type Splitter = readonly [
  name: string,
  key: (image: StackImage) => string,
  describe: (key: string) => string,
];

/** The plane a stack is read in, named by the axis its normal is nearest to. */
function planeName(key: string): string {
  if (key === '-') return 'no orientation';
  const normal = sliceNormal(key.split(',').map(Number));
  const size = normal.map(Math.abs);
  const largest = Math.max(...size);
  if (largest < 0.9) return 'oblique';
  return size[2] === largest ? 'axial' : size[1] === largest ? 'coronal' : 'sagittal';
}

const GEOMETRY: readonly Splitter[] = [
  ['orientation', orientationKey, planeName],
  ['size', (i) => `${i.rows}x${i.columns}`, (key) => `image size ${key}`],
  ['spacing', spacingKey, (key) => `pixel spacing ${key} mm`],
];
/** Only applied where positions repeat: otherwise echoes or acquisitions are parts of one stack. */
const REPEATS: readonly Splitter[] = [
  ['echo', (i) => String(i.echoNumber ?? '-'), (key) => `echo ${key}`],
  ['acquisition', (i) => String(i.acquisitionNumber ?? '-'), (key) => `acquisition ${key}`],
];

function positionsRepeat(images: readonly StackImage[]): boolean {
  const seen = new Set<string>();
  for (const image of images) {
    if (!image.position) continue;
    const key = image.position.map((v) => round(v, 1e-2)).join(',');
    if (seen.has(key)) return true;
    seen.add(key);
  }
  return false;
}

function splitBy(
  groups: Array<{ images: StackImage[]; reasons: string[] }>,
  [, key, describe]: Splitter,
  only: (images: readonly StackImage[]) => boolean = () => true,
): Array<{ images: StackImage[]; reasons: string[] }> {
  return groups.flatMap((group) => {
    if (!only(group.images)) return [group];
    const parts = new Map<string, StackImage[]>();
    for (const image of group.images) {
      const k = key(image);
      parts.set(k, [...(parts.get(k) ?? []), image]);
    }
    if (parts.size === 1) return [group];
    return [...parts].map(([k, images]) => ({ images, reasons: [...group.reasons, describe(k)] }));
  });
}

/** The stacks of a series, largest first (the first keeps the series' own row). */
export function splitStacks(images: readonly StackImage[]): Stack[] {
  let groups = [{ images: [...images], reasons: [] as string[] }];
  for (const splitter of GEOMETRY) groups = splitBy(groups, splitter);
  for (const splitter of REPEATS) groups = splitBy(groups, splitter, positionsRepeat);
  groups.sort((a, b) => b.images.length - a.images.length || a.images[0]!.id - b.images[0]!.id);
  return groups.map((group) => ({
    ids: group.images.map((image) => image.id),
    reason: groups.length > 1 ? group.reasons.join(', ') : null,
  }));
}

/** Spacing along the normal of a stack whose images all have a position and orientation. */
export function measureSpacing(images: readonly StackImage[]): SpacingReport {
  const orientation = images.find((image) => image.orientation)?.orientation;
  if (!orientation || images.length < 2 || images.some((image) => !image.position)) {
    return { sliceSpacing: null, gaps: 0, irregular: false };
  }
  return measureSliceSpacing(
    images.map((image) => image.position!),
    sliceNormal(orientation),
  );
}
