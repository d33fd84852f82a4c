import type { AnalysisResult } from '../../src-shared/api';
import { useAnalysisStore } from '../state/analysisStore';
import { ModelProvenance } from './ModelProvenance';

/**
 * A classification's scores against the model's calibrated thresholds, the activation-map toggle,
 * and provenance. A test model's output (random weights) is labelled so and never flagged as a finding.
 */
export function ClassificationPanel({ result }: { result: AnalysisResult }) {
  const heatMapVisible = useAnalysisStore((s) => s.heatMapVisible);
  const heatMapFinding = useAnalysisStore((s) => s.heatMapFinding);
  const setHeatMap = useAnalysisStore((s) => s.setHeatMap);
  const test = result.testOnly;

  return (
    <aside className="analysis-panel" data-testid="analysis-panel">
      <p className="investigational" data-testid="investigational-notice">
        Investigational use only — not for diagnosis.
      </p>
      {test && (
        <p className="test-model" data-testid="test-model-notice">
          Test model with random weights: these numbers mean nothing and are not findings.
        </p>
      )}
      <header className="panel-title">{test ? 'Test model output' : 'Classification'}</header>
      {result.inputNote && (
        <p className="input-note" data-testid="input-note">
          {result.inputNote}
        </p>
      )}
      <table className="findings" data-testid="findings">
        <thead>
          <tr>
            <th>{test ? 'output' : 'finding'}</th>
            <th>score</th>
            <th title="the model's calibrated threshold">thresh.</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {result.findings.map((finding, n) => (
            <tr
              key={finding.name}
              data-testid="finding-row"
              data-score={finding.score}
              data-threshold={finding.threshold}
              className={!test && finding.aboveThreshold ? 'above' : undefined}
              onClick={() => result.camSize && setHeatMap(true, n)}
            >
              <td>{finding.name}</td>
              <td>{finding.score.toFixed(3)}</td>
              <td>{finding.threshold.toFixed(3)}</td>
              <td data-testid="finding-flag">
                {test ? 'not a finding' : finding.aboveThreshold ? 'above' : 'below'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {result.camSize && (
        <label className="control">
          <input
            type="checkbox"
            data-testid="toggle-heat-map"
            checked={heatMapVisible}
            onChange={(event) => setHeatMap(event.target.checked, heatMapFinding)}
          />
          Heat map: {result.findings[heatMapFinding]?.name ?? ''}
        </label>
      )}
      <ModelProvenance result={result} />
    </aside>
  );
}
