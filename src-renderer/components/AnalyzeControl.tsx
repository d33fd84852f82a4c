import { useEffect } from 'react';
import type { SeriesSummary } from '../../src-shared/api';
import { isJobActive, modelsForModality, useAnalysisStore } from '../state/analysisStore';
import { useEngineStore } from '../state/engineStore';

/** Analyze button for the opened series, the model's install hint, and the running job's progress. */
export function AnalyzeControl({ series }: { series: SeriesSummary }) {
  const models = useAnalysisStore((s) => s.models);
  const job = useAnalysisStore((s) => s.jobs[series.seriesId]);
  const startAnalysis = useAnalysisStore((s) => s.startAnalysis);
  const cancel = useEngineStore((s) => s.cancel);
  const prioritize = useEngineStore((s) => s.prioritize);
  const queuedJobId = job?.state === 'queued' ? job.jobId : null;

  // The series on screen goes first: its queued job moves ahead of the others.
  useEffect(() => {
    if (queuedJobId !== null) void prioritize(queuedJobId);
  }, [queuedJobId, prioritize]);

  const candidates = modelsForModality(models, series.modality);
  const model = candidates[0];
  const running = isJobActive(job);

  if (model && !model.installed) {
    return (
      <div className="model-missing" data-testid="model-missing">
        {model.name} is not installed. {model.installHint ?? ''}
      </div>
    );
  }

  return (
    <div className="analyze-control">
      <button
        type="button"
        className="primary"
        data-testid="analyze-button"
        disabled={!model || running}
        title={model ? `${model.name} ${model.version}` : `No model analyses ${series.modality} series`}
        onClick={() => model && void startAnalysis(series.seriesId, model.id)}
      >
        {running ? 'Analyzing…' : 'Analyze'}
      </button>
      {job && running && (
        <div className="job-progress" data-testid="job-progress">
          <progress max={1} value={job.fraction} />
          <span>
            {job.stage || job.state} {Math.round(job.fraction * 100)}%
          </span>
          <button type="button" data-testid="cancel-job" onClick={() => void cancel(job.jobId)}>
            Cancel
          </button>
        </div>
      )}
    </div>
  );
}
