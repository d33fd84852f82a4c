import type { AnalysisResult } from '../../src-shared/api';
import { shortenHash } from '../util/format';

/** Which model made a result, on what, and when: shown with every result. */
export function ModelProvenance({ result }: { result: AnalysisResult }) {
  return (
    <dl className="model-info" data-testid="model-info">
      <dt>Model</dt>
      <dd>{result.modelName}</dd>
      <dt>Version</dt>
      <dd>{result.modelVersion}</dd>
      <dt>Weights</dt>
      <dd title={result.weightsSha256} data-testid="model-sha256" data-sha256={result.weightsSha256}>
        sha256 {shortenHash(result.weightsSha256)}
      </dd>
      <dt>Provider</dt>
      <dd data-testid="model-provider">{result.executionProvider}</dd>
      <dt>Run time</dt>
      <dd>{(result.timings.totalMs / 1000).toFixed(1)} s</dd>
      <dt>Created</dt>
      <dd>{new Date(result.createdAt).toLocaleString()}</dd>
    </dl>
  );
}
