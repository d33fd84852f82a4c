import type { ReactNode } from 'react';
import type { SeriesSummary, StudySummary } from '../../src-shared/api';
import type { OrientationMarkers } from '../viewer/orientationMarkers';
import { formatDicomDate, formatPersonName } from '../util/format';

/** The pieces of corner text that stack viewports and MPR views share. */

/** Patient and study (top left, after any `children`), series (top right). */
export function StudyCorners({
  study,
  series,
  children,
}: {
  study: StudySummary | null;
  series: SeriesSummary;
  children?: ReactNode;
}) {
  return (
    <>
      <div className="corner top-left">
        {children}
        {study && <div>{formatPersonName(study.patientName)}</div>}
        {study?.patientId && <div>ID {study.patientId}</div>}
        {study && <div>{formatDicomDate(study.studyDate)}</div>}
      </div>
      <div className="corner top-right">
        <div>{series.seriesDescription}</div>
        <div>
          {series.modality} #{series.seriesNumber ?? '—'}
        </div>
      </div>
    </>
  );
}

/** The display's readout: the VOI LUT while one is shown, else the linear window. */
export function windowText(width: number | null, center: number | null, voiLut: string | null): string {
  if (voiLut !== null) return `VOI LUT${voiLut ? ` ${voiLut}` : ''}`;
  return width !== null && center !== null ? `W: ${Math.round(width)} L: ${Math.round(center)}` : '';
}

/** The four edge markers; each has the test id `${testIdPrefix}-${edge}`. */
export function OrientationLabels({
  orientation,
  testIdPrefix,
}: {
  orientation: OrientationMarkers;
  testIdPrefix: string;
}) {
  const edges = ['top', 'bottom', 'left', 'right'] as const;
  return (
    <>
      {edges.map((edge) => (
        <div key={edge} className={`orientation ${edge}`} data-testid={`${testIdPrefix}-${edge}`}>
          {orientation[edge]}
        </div>
      ))}
    </>
  );
}

/** The longest round length (1 mm to 20 cm) that fits in `maxPixels` screen pixels. */
function scaleBar(
  mmPerScreenPixel: number,
  maxPixels: number,
): { millimetres: number; pixels: number } | null {
  const lengths = [1, 2, 5, 10, 20, 50, 100, 200];
  const fitting = lengths.filter((mm) => mm / mmPerScreenPixel <= maxPixels);
  const millimetres = fitting[fitting.length - 1];
  return millimetres === undefined ? null : { millimetres, pixels: millimetres / mmPerScreenPixel };
}

/**
 * A scale bar: centred above the bottom edge, or `inline` (a small view, whose corners would overlap
 * it there) as a shorter bar in the flow of a corner's text.
 */
export function ScaleBar({
  mmPerScreenPixel,
  testId,
  inline = false,
}: {
  mmPerScreenPixel: number;
  testId: string;
  inline?: boolean;
}) {
  const bar = scaleBar(mmPerScreenPixel, inline ? 80 : 150);
  if (!bar) return null;
  return (
    <div
      className={inline ? 'scale-bar inline' : 'scale-bar'}
      data-testid={testId}
      style={{ width: `${bar.pixels}px` }}
    >
      {bar.millimetres >= 10 ? `${bar.millimetres / 10} cm` : `${bar.millimetres} mm`}
    </div>
  );
}
