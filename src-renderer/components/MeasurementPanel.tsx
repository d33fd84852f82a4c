import { eventTarget, getRenderingEngines } from '@cornerstonejs/core';
import { Enums as ToolEnums } from '@cornerstonejs/tools';
import { useEffect, useState } from 'react';
import { listMeasurements, removeMeasurement, type Measurement } from '../viewer/measurements';

// Added: a measurement restored from the library on a slice not shown yet has no figures to
// update, and would otherwise not be listed until that slice is shown.
const EVENTS = [
  ToolEnums.Events.ANNOTATION_ADDED,
  ToolEnums.Events.ANNOTATION_COMPLETED,
  ToolEnums.Events.ANNOTATION_MODIFIED,
  ToolEnums.Events.ANNOTATION_REMOVED,
];

/**
 * The measurements drawn on the open series, with their figures; each can be deleted. `note` says
 * what happens to them where that differs from the stack view's (saved with the image).
 */
export function MeasurementPanel({ note }: { note?: string }) {
  const [items, setItems] = useState<Measurement[]>([]);

  useEffect(() => {
    const refresh = (): void => setItems(listMeasurements());
    for (const name of EVENTS) eventTarget.addEventListener(name, refresh);
    refresh();
    return () => {
      for (const name of EVENTS) eventTarget.removeEventListener(name, refresh);
    };
  }, []);

  // Always present, so that the viewport keeps its size when the first measurement starts.
  return (
    <section className="measurement-panel" aria-label="Measurements">
      <h2>Measurements</h2>
      {note && (
        <p className="muted" data-testid="measurement-note">
          {note}
        </p>
      )}
      {items.length === 0 && <p className="muted">None. Pick a tool (L, A, E, B, P) and draw.</p>}
      <ul>
        {items.map((item) => (
          <li
            key={item.uid}
            data-testid="measurement-item"
            data-tool={item.tool}
            data-stats={JSON.stringify(item.stats)}
          >
            <span className="label">{item.label}</span> <span className="value">{item.text}</span>
            <button
              type="button"
              aria-label={`Delete ${item.label}`}
              data-testid="measurement-delete"
              onClick={() => {
                removeMeasurement(item.uid);
                // Stack or MPR: every view that may show it draws again.
                for (const engine of getRenderingEngines() ?? []) engine.render();
              }}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
