import { useAnalysisStore } from '../state/analysisStore';
import { ClassificationPanel } from './ClassificationPanel';
import { ModelProvenance } from './ModelProvenance';

/** Legend, overlay controls and provenance of the result shown over the opened series. */
export function AnalysisPanel() {
  const result = useAnalysisStore((s) => s.result);
  const opacity = useAnalysisStore((s) => s.opacity);
  const visible = useAnalysisStore((s) => s.visible);
  const setOpacity = useAnalysisStore((s) => s.setOpacity);
  const setVisible = useAnalysisStore((s) => s.setVisible);
  if (!result) return null;
  if (result.task === 'classification') return <ClassificationPanel result={result} />;

  const volumeOf = (value: number): number | undefined =>
    result.volumes.find((v) => v.value === value)?.millilitres;

  return (
    <aside className="analysis-panel" data-testid="analysis-panel">
      <p className="investigational" data-testid="investigational-notice">
        Investigational use only — not for diagnosis.
      </p>
      <header className="panel-title">Segmentation</header>
      <ul className="legend">
        {result.labels
          .filter((label) => label.value !== 0)
          .map((label) => {
            const ml = volumeOf(label.value);
            const [r, g, b] = label.color;
            return (
              <li
                key={label.value}
                data-testid="legend-item"
                data-label-value={label.value}
                data-ml={ml === undefined ? '' : ml.toFixed(1)}
              >
                <span className="swatch" style={{ background: `rgb(${r}, ${g}, ${b})` }} />
                <span className="legend-name">{label.name}</span>
                <span className="legend-volume">{ml === undefined ? '—' : `${ml.toFixed(1)} mL`}</span>
              </li>
            );
          })}
      </ul>
      <label className="control">
        <input
          type="checkbox"
          data-testid="toggle-overlay"
          checked={visible}
          onChange={(event) => setVisible(event.target.checked)}
        />
        Show overlay
      </label>
      <label className="control">
        Opacity
        <input
          type="range"
          min={0}
          max={1}
          step={0.05}
          value={opacity}
          data-testid="opacity-slider"
          onChange={(event) => setOpacity(Number(event.target.value))}
        />
        <span className="muted">{Math.round(opacity * 100)}%</span>
      </label>
      <ModelProvenance result={result} />
    </aside>
  );
}
