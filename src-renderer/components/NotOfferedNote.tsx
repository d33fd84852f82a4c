import type { SeriesSummary } from '../../src-shared/api';
import { analysisChoice, useAnalysisStore } from '../state/analysisStore';

/** Why the opened series is not offered to its modality's model (the model's input gate), beside the image. */
export function NotOfferedNote({ series }: { series: SeriesSummary }) {
  const models = useAnalysisStore((s) => s.models);
  const eligibility = useAnalysisStore((s) => s.eligibility[series.seriesId]);
  const { model, refusal } = analysisChoice(models, eligibility, series.modality);
  if (!model?.installed || !refusal) return null;
  return (
    <p className="model-missing not-offered" data-testid="analysis-ineligible">
      {refusal}
    </p>
  );
}
