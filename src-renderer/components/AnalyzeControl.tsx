import { useEffect } from 'react';
import type { SeriesSummary } from '../../src-shared/api';
import { analysisChoice, isJobActive, useAnalysisStore } from '../state/analysisStore';
import { useEngineStore } from '../state/engineStore';

/**
 * Analyze button for the opened series (the first installed model whose input gate it passes), the
 * model's install hint or why the series is not offered, and the running job's progress.
 */
export function AnalyzeControl({ series }: { series: SeriesSummary }) {
  const models = useAnalysisStore((s) => s.models);
  const job = useAnalysisStore((s) => s.jobs[series.seriesId]);
  const startAnalysis = useAnalysisStore((s) => s.startAnalysis);
  const eligibility = useAnalysisStore((s) => s.eligibility[series.seriesId]);
  const loadEligibility = useAnalysisStore((s) => s.loadEligibility);
  const cancel = useEngineStore((s) => s.cancel);
  const prioritize = useEngineStore((s) => s.prioritize);
  const queuedJobId = job?.state === 'queued' ? job.jobId : null;

  // The series on screen goes first: its queued job moves ahead of the others.
  useEffect(() => {
    if (queuedJobId !== null) void prioritize(queuedJobId);
  }, [queuedJobId, prioritize]);

  useEffect(() => {
    void loadEligibility(series.seriesId);
  }, [series.seriesId, models, loadEligibility]);

  const { model, refusal } = analysisChoice(models, eligibility, series.modality);
  const running = isJobActive(job);

  if (model && !model.installed) {
    return (
      <div className="model-missing" data-testid="model-missing">
        {model.name} is not installed. {model.installHint ?? ''}
      </div>
    );
  }

  if (model && refusal) {
    // The reason itself is shown beside the image (NotOfferedNote): the toolbar keeps its size.
    return (
      <button type="button" disabled title={refusal} data-testid="analyze-not-offered">
        Not offered
      </button>
    );
  }

  return (
    <div className="analyze-control">
      <button
        type="button"
        className="primary"
        data-testid="analyze-button"
        disabled={!model || running || !eligibility}
        title={model ? `${model.name} ${model.version}` : `No model analyses ${series.modality} series`}
        onClick={() => model && void startAnalysis(series.seriesId, model.id)}
      >
        {running ? 'Analyzing…' : 'Analyze'}
        {model?.testOnly && ' (test model)'}
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
