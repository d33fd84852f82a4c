import { SHORTCUTS } from '../viewer/useViewerKeys';
import { presetsFor } from '../viewer/windowPresets';

/** The help overlay: every keyboard shortcut, and the window presets behind the digit keys. */
export function ShortcutHelp({ modality, onClose }: { modality: string; onClose: () => void }) {
  return (
    <div className="shortcut-help" role="dialog" aria-label="Keyboard shortcuts" data-testid="shortcut-help">
      <button type="button" className="close" onClick={onClose} aria-label="Close">
        ×
      </button>
      <h2>Keyboard shortcuts</h2>
      <table>
        <tbody>
          {SHORTCUTS.map(({ keys, action }) => (
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
