import type { SeriesSummary, StudySummary } from '../../src-shared/api';
import { useViewportState } from '../state/viewerStore';
import { OrientationLabels, ScaleBar, StudyCorners, windowText } from './overlayParts';

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

  return (
    <div className="viewport-overlay" aria-hidden="true">
      <StudyCorners study={study} series={series} />
      <div className="corner bottom-left">
        <div data-testid="slice-indicator">{sliceCount > 0 ? `${sliceIndex + 1}/${sliceCount}` : ''}</div>
        {position !== null && <div data-testid="slice-position">Pos {position.toFixed(1)} mm</div>}
        {thickness !== null && <div data-testid="slice-thickness">Thick {thickness.toFixed(1)} mm</div>}
      </div>
      <div className="corner bottom-right">
        <div data-testid="wl-indicator">{windowText(ww, wc, voiLut)}</div>
        {zoom !== null && <div data-testid="zoom-indicator">Zoom {Math.round(zoom * 100)}%</div>}
      </div>
      {orientation && <OrientationLabels orientation={orientation} testIdPrefix="orientation" />}
      {zoom && spacing ? <ScaleBar mmPerScreenPixel={spacing / zoom} testId="scale-bar" /> : null}
    </div>
  );
}
