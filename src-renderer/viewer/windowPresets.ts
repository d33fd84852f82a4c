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
