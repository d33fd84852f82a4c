import type { SeriesSummary, StudySummary } from '../../src-shared/api';
import { useViewportState } from '../state/viewerStore';
import { formatDicomDate, formatPersonName } from '../util/format';

/** Corner text over the image; pointer events pass through to Cornerstone. */
export function ViewportOverlay({
  slot,
  study,
  series,
}: {
  slot: number;
  study: StudySummary | null;
  series: SeriesSummary;
}) {
  const sliceIndex = useViewportState(slot, (s) => s.sliceIndex);
  const sliceCount = useViewportState(slot, (s) => s.sliceCount);
  const ww = useViewportState(slot, (s) => s.windowWidth);
  const wc = useViewportState(slot, (s) => s.windowCenter);
  const voiLut = useViewportState(slot, (s) => s.voiLut);
  const zoom = useViewportState(slot, (s) => s.zoom);
  const thickness = useViewportState(slot, (s) => s.sliceThickness);
  const position = useViewportState(slot, (s) => s.slicePosition);
  const orientation = useViewportState(slot, (s) => s.orientation);
  const spacing = useViewportState(slot, (s) => s.columnSpacing);
  const bar = zoom && spacing ? scaleBar(spacing / zoom) : null;

  return (
    <div className="viewport-overlay" aria-hidden="true">
      <div className="corner top-left">
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
      <div className="corner bottom-left">
        <div data-testid="slice-indicator">{sliceCount > 0 ? `${sliceIndex + 1}/${sliceCount}` : ''}</div>
        {position !== null && <div data-testid="slice-position">Pos {position.toFixed(1)} mm</div>}
        {thickness !== null && <div data-testid="slice-thickness">Thick {thickness.toFixed(1)} mm</div>}
      </div>
      <div className="corner bottom-right">
        <div data-testid="wl-indicator">
          {voiLut !== null
            ? `VOI LUT${voiLut ? ` ${voiLut}` : ''}`
            : ww !== null && wc !== null
              ? `W: ${Math.round(ww)} L: ${Math.round(wc)}`
              : ''}
        </div>
        {zoom !== null && <div data-testid="zoom-indicator">Zoom {Math.round(zoom * 100)}%</div>}
      </div>
      {orientation && (
        <>
          <div className="orientation top" data-testid="orientation-top">
            {orientation.top}
          </div>
          <div className="orientation bottom" data-testid="orientation-bottom">
            {orientation.bottom}
          </div>
          <div className="orientation left" data-testid="orientation-left">
            {orientation.left}
          </div>
          <div className="orientation right" data-testid="orientation-right">
            {orientation.right}
          </div>
        </>
      )}
      {bar && (
        <div className="scale-bar" data-testid="scale-bar" style={{ width: `${bar.pixels}px` }}>
          {bar.millimetres >= 10 ? `${bar.millimetres / 10} cm` : `${bar.millimetres} mm`}
        </div>
      )}
    </div>
  );
}

/** The longest round length (1 mm to 20 cm) that fits in about 150 screen pixels. */
function scaleBar(mmPerScreenPixel: number): { millimetres: number; pixels: number } | null {
  const lengths = [1, 2, 5, 10, 20, 50, 100, 200];
  const fitting = lengths.filter((mm) => mm / mmPerScreenPixel <= 150);
  const millimetres = fitting[fitting.length - 1];
  return millimetres === undefined ? null : { millimetres, pixels: millimetres / mmPerScreenPixel };
}
