import { presetsFor, type WindowPreset } from '../viewer/windowPresets';

/**
 * The window presets of a modality as a menu, numbered as their digit keys, then any further
 * presets (the file's other windows) without a key.
 */
export function WindowPresetMenu({
  modality,
  more = [],
  testId,
  onPick,
}: {
  modality: string;
  more?: readonly WindowPreset[];
  testId: string;
  onPick: (preset: WindowPreset) => void;
}) {
  const keyed = presetsFor(modality);
  const presets = [...keyed, ...more];
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
          {index < keyed.length ? `${index + 1} ` : ''}
          {preset.label}
          {preset.kind === 'fixed' ? ` (${preset.width}/${preset.center})` : ''}
        </option>
      ))}
    </select>
  );
}
