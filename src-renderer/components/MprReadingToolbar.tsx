import type { MprSlot } from '../viewer/mprViewer';
import type { WindowPreset } from '../viewer/windowPresets';
import { MPR_PRIMARY_TOOLS, type MprPrimaryToolName, type MprReadingTools } from '../viewer/mprReadingTools';
import { WindowPresetMenu } from './WindowPresetMenu';

/**
 * The MPR views' reading tools as menus and buttons; the keyboard offers the same (see the help).
 * Without tools (no whole volume on screen: still building, or failed) only the help is offered.
 */
export function MprReadingToolbar({
  tools,
  modality,
  moreWindows,
  activeSlot,
  tool,
  onTool,
  onHelp,
}: {
  /** Null while no whole volume is on screen. */
  tools: MprReadingTools | null;
  modality: string;
  /** The file's further windows (of the slice the volume's window comes from). */
  moreWindows: readonly WindowPreset[];
  activeSlot: MprSlot;
  tool: MprPrimaryToolName;
  onTool: (tool: MprPrimaryToolName) => void;
  onHelp: () => void;
}) {
  return (
    <span className="reading-toolbar">
      {/* One switch for every control that acts on the volume (a disabled fieldset disables them all). */}
      <fieldset className="toolbar-group" disabled={tools === null}>
        <WindowPresetMenu
          modality={modality}
          more={moreWindows}
          testId="mpr-wl-preset"
          onPick={(preset) => tools?.applyPreset(preset)}
        />
        <select
          aria-label="Left-button tool"
          data-testid="mpr-tool-menu"
          value={tool}
          onChange={(event) => {
            const chosen = MPR_PRIMARY_TOOLS.find((candidate) => candidate.name === event.target.value);
            if (chosen) onTool(chosen.name);
          }}
        >
          {MPR_PRIMARY_TOOLS.map((candidate) => (
            <option key={candidate.name} value={candidate.name}>
              {candidate.label} ({candidate.key.toUpperCase()})
            </option>
          ))}
        </select>
        <button type="button" title="Invert every view (I)" onClick={() => tools?.toggleInvert()}>
          Invert
        </button>
        <button
          type="button"
          title="Rotate the active view 90° (R)"
          onClick={() => tools?.rotate(activeSlot)}
        >
          Rotate
        </button>
        <button
          type="button"
          title="Flip the active view horizontally (H)"
          onClick={() => tools?.flip(activeSlot, 'horizontal')}
        >
          Flip H
        </button>
        <button
          type="button"
          title="Flip the active view vertically (V)"
          onClick={() => tools?.flip(activeSlot, 'vertical')}
        >
          Flip V
        </button>
        <button
          type="button"
          title="Zoom the active view to fit (F)"
          onClick={() => tools?.zoomToFit(activeSlot)}
        >
          Fit
        </button>
        <button
          type="button"
          title="Zoom the active view 1:1 (Z)"
          onClick={() => tools?.zoomOneToOne(activeSlot)}
        >
          1:1
        </button>
        <button type="button" title="Reset every view (Esc)" onClick={() => tools?.reset()}>
          Reset
        </button>
      </fieldset>
      <button type="button" title="Keyboard shortcuts (?)" data-testid="mpr-help-button" onClick={onHelp}>
        ?
      </button>
    </span>
  );
}
