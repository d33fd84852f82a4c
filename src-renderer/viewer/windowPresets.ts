import { naturalized } from './naturalized';

/** Window/level presets: standard CT windows (HU), and for other modalities the file's own and an automatic one. */
export type WindowPreset =
  | {
      readonly id: string;
      readonly label: string;
      readonly kind: 'fixed';
      readonly width: number;
      readonly center: number;
    }
  | { readonly id: 'file' | 'auto'; readonly label: string; readonly kind: 'file' | 'auto' };

const FILE: WindowPreset = { id: 'file', label: "File's window", kind: 'file' };
const AUTO: WindowPreset = { id: 'auto', label: 'Automatic (full range)', kind: 'auto' };

/** Widely used CT windows (width / level in HU). */
export const CT_PRESETS: readonly WindowPreset[] = [
  { id: 'brain', label: 'Brain', kind: 'fixed', width: 80, center: 40 },
  { id: 'subdural', label: 'Subdural', kind: 'fixed', width: 200, center: 75 },
  { id: 'stroke', label: 'Stroke', kind: 'fixed', width: 40, center: 40 },
  { id: 'lung', label: 'Lung', kind: 'fixed', width: 1500, center: -600 },
  { id: 'mediastinum', label: 'Mediastinum', kind: 'fixed', width: 350, center: 50 },
  { id: 'abdomen', label: 'Abdomen', kind: 'fixed', width: 400, center: 50 },
  { id: 'liver', label: 'Liver', kind: 'fixed', width: 150, center: 30 },
  { id: 'bone', label: 'Bone', kind: 'fixed', width: 1800, center: 400 },
  FILE,
];

const OTHER_PRESETS: readonly WindowPreset[] = [FILE, AUTO];

/** The presets offered for a modality, in the order of their digit keys (1, 2, ...). */
export function presetsFor(modality: string): readonly WindowPreset[] {
  return modality === 'CT' ? CT_PRESETS : OTHER_PRESETS;
}

/** A window of a number or array value of the naturalised metadata, as a list. */
function numbers(value: unknown): number[] {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return list.map(Number);
}

/**
 * The file's windows after its first (which "File's window" restores), as presets for the menu:
 * Window Center and Width are multi-valued where the modality offers several (lung and mediastinum
 * in one CT), each named by its Window Center & Width Explanation where the file gives one.
 */
export function moreFileWindows(imageId: string): WindowPreset[] {
  const natural = naturalized(imageId);
  const centers = numbers(natural?.WindowCenter);
  const widths = numbers(natural?.WindowWidth);
  const explanation = natural?.WindowCenterWidthExplanation;
  const names = Array.isArray(explanation)
    ? explanation.map(String)
    : explanation
      ? [String(explanation)]
      : [];
  const presets: WindowPreset[] = [];
  for (let n = 1; n < Math.min(centers.length, widths.length); n++) {
    const center = centers[n]!;
    const width = widths[n]!;
    if (!Number.isFinite(center) || !(width > 0)) continue;
    const name = names[n]?.trim();
    presets.push({
      id: `file-${n + 1}`,
      label: `File: ${name || `window ${n + 1}`}`,
      kind: 'fixed',
      width,
      center,
    });
  }
  return presets;
}
