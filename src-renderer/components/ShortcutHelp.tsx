import type { Shortcut } from '../viewer/useViewerKeys';
import { presetsFor } from '../viewer/windowPresets';

/** The help overlay: the keyboard shortcuts of the view shown, and the window presets behind the digit keys. */
export function ShortcutHelp({
  shortcuts,
  modality,
  onClose,
}: {
  shortcuts: readonly Shortcut[];
  modality: string;
  onClose: () => void;
}) {
  return (
    <div className="shortcut-help" role="dialog" aria-label="Keyboard shortcuts" data-testid="shortcut-help">
      <button type="button" className="close" onClick={onClose} aria-label="Close">
        ×
      </button>
      <h2>Keyboard shortcuts</h2>
      <table>
        <tbody>
          {shortcuts.map(({ keys, action }) => (
            <tr key={keys}>
              <th>{keys}</th>
              <td>{action}</td>
            </tr>
          ))}
          {presetsFor(modality).map((preset, index) => (
            <tr key={preset.id}>
              <th>{index + 1}</th>
              <td>
                {preset.label}
                {preset.kind === 'fixed' ? ` — W ${preset.width} / L ${preset.center}` : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
