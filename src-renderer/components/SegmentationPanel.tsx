import { useAnalysisStore } from '../state/analysisStore';
import { segmentStyle, styleKey, useSegmentationStore } from '../state/segmentationStore';

type Rgb = readonly [number, number, number];

const toHex = ([r, g, b]: Rgb): string =>
  `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
const fromHex = (hex: string): Rgb =>
  [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as unknown as Rgb;

/** One segment's row: visibility, colour and opacity. */
function SegmentRow({
  source,
  value,
  name,
  color,
  detail,
}: {
  source: string;
  value: number;
  name: string;
  color: Rgb;
  detail: string;
}) {
  const styles = useSegmentationStore((s) => s.styles);
  const setStyle = useSegmentationStore((s) => s.setStyle);
  const style = segmentStyle(styles, source, value, color);
  const change = (next: Parameters<typeof setStyle>[2]): void =>
    setStyle(styleKey(source, value), style, next);
  return (
    <li data-testid="segment-item" data-source={source} data-value={value} data-label={name}>
      <input
        type="checkbox"
        aria-label={`Show ${name}`}
        data-testid="segment-visible"
        checked={style.visible}
        onChange={(event) => change({ visible: event.target.checked })}
      />
      <input
        type="color"
        aria-label={`Colour of ${name}`}
        data-testid="segment-color"
        value={toHex(style.color)}
        onChange={(event) => change({ color: fromHex(event.target.value) })}
      />
      <span className="legend-name">{name}</span>
      <input
        type="range"
        min={0}
        max={1}
        step={0.05}
        aria-label={`Opacity of ${name}`}
        data-testid="segment-opacity"
        value={style.opacity}
        onChange={(event) => change({ opacity: Number(event.target.value) })}
      />
      <span className="muted">{detail}</span>
    </li>
  );
}

/** The DICOM SEGs drawn on the opened series, to show as overlays, and every segment's controls. */
export function SegmentationPanel() {
  const available = useSegmentationStore((s) => s.available);
  const shown = useSegmentationStore((s) => s.shown);
  const loaded = useSegmentationStore((s) => s.loaded);
  const loading = useSegmentationStore((s) => s.loading);
  const setShown = useSegmentationStore((s) => s.setShown);
  const result = useAnalysisStore((s) => s.result);
  if (available.length === 0 && !result) return null;

  return (
    <section className="segmentation-panel" aria-label="Segmentations" data-testid="segmentation-panel">
      <h2>Segmentations</h2>
      <ul>
        {available.map((seg) => {
          const overlay = loaded[seg.seriesId]?.overlay;
          return (
            <li key={seg.seriesId} data-testid="seg-series" data-series-id={seg.seriesId}>
              <label>
                <input
                  type="checkbox"
                  data-testid="seg-toggle"
                  checked={shown[seg.seriesId] ?? false}
                  onChange={(event) => void setShown(seg.seriesId, event.target.checked)}
                />
                {seg.seriesDescription || 'Segmentation'} <span className="muted">(DICOM SEG)</span>
              </label>
              {loading[seg.seriesId] && <span className="muted"> loading…</span>}
              {overlay && shown[seg.seriesId] && (
                <ul className="segments">
                  {overlay.unplacedFrames > 0 && (
                    <li className="muted">{overlay.unplacedFrames} frames lie on no slice of this series.</li>
                  )}
                  {overlay.segments.map((segment) => (
                    <SegmentRow
                      key={segment.value}
                      source={`seg-${seg.seriesId}`}
                      value={segment.value}
                      name={segment.label}
                      color={segment.color}
                      detail={`${segment.voxels} voxels`}
                    />
                  ))}
                </ul>
              )}
            </li>
          );
        })}
        {result && (
          <li data-testid="ai-segments">
            {result.modelName} <span className="muted">(AI result)</span>
            <ul className="segments">
              {result.labels
                .filter((label) => label.value > 0)
                .map((label) => (
                  <SegmentRow
                    key={label.value}
                    source={`result-${result.resultId}`}
                    value={label.value}
                    name={label.name}
                    color={label.color}
                    detail=""
                  />
                ))}
            </ul>
          </li>
        )}
      </ul>
    </section>
  );
}
