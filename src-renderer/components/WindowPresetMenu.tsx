import { presetsFor, type WindowPreset } from '../viewer/windowPresets';

/** The window presets of a modality as a menu, numbered as their digit keys. */
export function WindowPresetMenu({
  modality,
  testId,
  onPick,
}: {
  modality: string;
  testId: string;
  onPick: (preset: WindowPreset) => void;
}) {
  const presets = presetsFor(modality);
  return (
    <select
      aria-label="Window preset"
      data-testid={testId}
      value=""
      onChange={(event) => {
        const preset = presets.find((candidate) => candidate.id === event.target.value);
        if (preset) onPick(preset);
      }}
    >
      <option value="" disabled>
        Window…
      </option>
      {presets.map((preset, index) => (
        <option key={preset.id} value={preset.id}>
          {index + 1} {preset.label}
          {preset.kind === 'fixed' ? ` (${preset.width}/${preset.center})` : ''}
        </option>
      ))}
    </select>
  );
}
