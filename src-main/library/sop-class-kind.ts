/**
 * What kind of object a SOP class is, so that non-image objects (structured reports,
 * segmentations, RT structures, waveforms, presentation states) are listed but never offered as images.
 */
import type { SeriesKind } from '../../src-shared/api';

const PREFIX = '1.2.840.10008.5.1.4.1.1.';

/** Exact classes first; then families by their UID prefix. */
const EXACT: ReadonlyMap<string, SeriesKind> = new Map([
  [`${PREFIX}66.4`, 'seg'], // Segmentation Storage
  [`${PREFIX}66.7`, 'seg'], // Label Map Segmentation Storage
  [`${PREFIX}481.3`, 'rtstruct'],
  [`${PREFIX}481.1`, 'image'], // RT Image
]);

const FAMILIES: ReadonlyArray<readonly [string, SeriesKind]> = [
  [`${PREFIX}88.`, 'sr'], // structured reports, key object selection
  [`${PREFIX}9.`, 'waveform'], // ECG, audio, haemodynamic and other waveforms
  [`${PREFIX}11.`, 'pr'], // presentation states
  [`${PREFIX}481.`, 'other'], // RT dose, plan, treatment records
  [`${PREFIX}66.`, 'other'], // raw data, registration, fiducials, surfaces
  [`${PREFIX}104.`, 'other'], // encapsulated PDF / CDA / STL
];

/**
 * The kind of a SOP class. The remaining standard storage classes are images (so an image that
 * lost its pixel data is refused, not listed as 'other'); private classes are images when they
 * carry pixel data.
 */
export function sopClassKind(sopClassUid: string, hasPixelData: boolean): SeriesKind {
  const exact = EXACT.get(sopClassUid);
  if (exact) return exact;
  for (const [prefix, kind] of FAMILIES) if (sopClassUid.startsWith(prefix)) return kind;
  return sopClassUid.startsWith(PREFIX) || hasPixelData ? 'image' : 'other';
}
