import { annotation } from '@cornerstonejs/tools';
import { PRIMARY_TOOLS } from './measurementTools';
import { withFileUnits } from './pixelValueUnits';

/** One measurement as the panel lists it, with its figures in the image's units (mm, HU, the file's...). */
export interface Measurement {
  readonly uid: string;
  readonly tool: string;
  readonly label: string;
  /** Display text, e.g. "12.3 mm" or "mean 40.1 HU, SD 3.2 ...". */
  readonly text: string;
  readonly stats: Readonly<Record<string, number>>;
}

interface CachedStats {
  length?: number;
  unit?: string;
  angle?: number;
  area?: number;
  areaUnit?: string;
  mean?: number;
  stdDev?: number;
  min?: number;
  max?: number;
  value?: number;
  modalityUnit?: string;
}

const round = (value: number): string => (Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(1));

function describe(stats: CachedStats): string {
  if (stats.length !== undefined) return `${round(stats.length)} ${stats.unit ?? ''}`.trim();
  if (stats.angle !== undefined) return `${round(stats.angle)}°`;
  const unit = stats.modalityUnit ? ` ${stats.modalityUnit}` : '';
  if (stats.mean !== undefined) {
    return (
      `mean ${round(stats.mean)}${unit}, SD ${round(stats.stdDev ?? 0)}, ` +
      `min ${round(stats.min ?? 0)}, max ${round(stats.max ?? 0)}, area ${round(stats.area ?? 0)} ${stats.areaUnit ?? ''}`
    );
  }
  if (stats.value !== undefined) return `${round(stats.value)}${unit}`;
  return '…';
}

/** Every measurement drawn with the viewer's tools, oldest first. */
export function listMeasurements(): Measurement[] {
  const labels = new Map<string, string>(PRIMARY_TOOLS.map((tool) => [tool.name, tool.label]));
  const result: Measurement[] = [];
  for (const item of annotation.state.getAllAnnotations()) {
    const tool = item.metadata?.toolName ?? '';
    const label = labels.get(tool);
    if (!label || !item.annotationUID) continue;
    // Labelled in the file's units (Cornerstone says HU for every CT).
    const cached = withFileUnits((item.data.cachedStats ?? {}) as Record<string, CachedStats>);
    const stats = Object.values(cached)[0] ?? {};
    const numeric = Object.fromEntries(
      Object.entries(stats).filter((entry): entry is [string, number] => typeof entry[1] === 'number'),
    );
    result.push({ uid: item.annotationUID, tool, label, text: describe(stats), stats: numeric });
  }
  return result;
}

export function removeMeasurement(uid: string): void {
  annotation.state.removeAnnotation(uid);
}
