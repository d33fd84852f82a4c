import type { SeriesSummary, StudySummary } from '../../src-shared/api';
import { useViewerStore } from '../state/viewerStore';
import { formatDicomDate, formatPersonName } from '../util/format';

/** Corner text over the image; pointer events pass through to Cornerstone. */
export function ViewportOverlay({ study, series }: { study: StudySummary | null; series: SeriesSummary }) {
  const sliceIndex = useViewerStore((s) => s.sliceIndex);
  const sliceCount = useViewerStore((s) => s.sliceCount);
  const ww = useViewerStore((s) => s.windowWidth);
  const wc = useViewerStore((s) => s.windowCenter);

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
      </div>
      <div className="corner bottom-right">
        <div data-testid="wl-indicator">
          {ww !== null && wc !== null ? `W: ${Math.round(ww)} L: ${Math.round(wc)}` : ''}
        </div>
      </div>
    </div>
  );
}
