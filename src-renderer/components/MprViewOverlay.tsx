import type { SeriesSummary, StudySummary } from '../../src-shared/api';
import type { MprPlane, MprSlot, MprViewReadout } from '../viewer/mprViewer';
import { OrientationLabels, ScaleBar, StudyCorners, windowText } from './overlayParts';

export const PLANE_LABEL: Record<MprPlane, string> = {
  axial: 'Axial',
  sagittal: 'Sagittal',
  coronal: 'Coronal',
};

/**
 * Corner text over one MPR view: its plane, slice, position, slab, window, zoom, orientation and
 * scale bar; the patient, study and series where `study` is given (the large view: the small ones
 * have no room for them).
 */
export function MprViewOverlay({
  slot,
  readout,
  study,
  series,
}: {
  slot: MprSlot;
  readout: MprViewReadout | null;
  /** Undefined: no study or series text on this view. */
  study: StudySummary | null | undefined;
  series: SeriesSummary;
}) {
  if (!readout) return null;
  const plane = <div data-testid={`mpr-plane-${slot}`}>{PLANE_LABEL[readout.plane]}</div>;
  const { orientation, windowWidth, windowCenter, voiLut, zoom, mmPerScreenPixel } = readout;
  return (
    <div className="viewport-overlay" aria-hidden="true" data-testid={`mpr-overlay-${slot}`}>
      {study === undefined ? (
        <div className="corner top-left">{plane}</div>
      ) : (
        <StudyCorners study={study} series={series}>
          {plane}
        </StudyCorners>
      )}
      <div className="corner bottom-left">
        <div data-testid={`mpr-slice-${slot}`}>
          {readout.sliceIndex + 1}/{readout.sliceCount}
        </div>
        <div data-testid={`mpr-position-${slot}`}>Pos {readout.position.toFixed(1)} mm</div>
        {readout.slabThickness > 0 && <div>MIP {readout.slabThickness} mm</div>}
      </div>
      <div className="corner bottom-right">
        <div data-testid={`mpr-wl-${slot}`}>{windowText(windowWidth, windowCenter, voiLut)}</div>
        {zoom !== null && <div data-testid={`mpr-zoom-${slot}`}>Zoom {Math.round(zoom * 100)}%</div>}
        {slot !== 'large' && mmPerScreenPixel !== null && (
          <ScaleBar mmPerScreenPixel={mmPerScreenPixel} testId={`mpr-scale-bar-${slot}`} inline />
        )}
      </div>
      {orientation && (
        <OrientationLabels orientation={orientation} testIdPrefix={`mpr-orientation-${slot}`} />
      )}
      {slot === 'large' && mmPerScreenPixel !== null && (
        <ScaleBar mmPerScreenPixel={mmPerScreenPixel} testId={`mpr-scale-bar-${slot}`} />
      )}
    </div>
  );
}
