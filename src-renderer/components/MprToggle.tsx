import { useState } from 'react';
import type { InstanceRef, SeriesSummary } from '../../src-shared/api';
import { mprUnavailableReason } from '../viewer/mprEligibility';

export interface MprMode {
  /** MPR is on screen (asked for, and possible for this series). */
  readonly active: boolean;
  /** Why MPR cannot be offered for the opened series; null when it can. */
  readonly unavailable: string | null;
  readonly setRequested: (requested: boolean) => void;
}

/** Stack view or MPR for the opened series; a series that cannot form a volume stays in the stack view. */
export function useMprMode(series: SeriesSummary | null, instances: readonly InstanceRef[]): MprMode {
  const [requested, setRequested] = useState(false);
  const unavailable = series ? mprUnavailableReason(series, instances) : 'No series is open.';
  return { active: requested && unavailable === null, unavailable, setRequested };
}

/** The toolbar switch between the stack view and the 1+3 MPR layout, with the reason when disabled. */
export function MprToggle({ mode }: { mode: MprMode }) {
  return (
    <span className="mpr-toggle">
      <button
        type="button"
        data-testid="mpr-toggle"
        aria-pressed={mode.active}
        disabled={mode.unavailable !== null}
        title={
          mode.unavailable ?? (mode.active ? 'Back to the stack view' : 'Axial, sagittal and coronal views')
        }
        onClick={() => mode.setRequested(!mode.active)}
      >
        {mode.active ? 'Stack' : 'MPR'}
      </button>
      {mode.unavailable !== null && (
        <span className="muted mpr-unavailable" data-testid="mpr-unavailable">
          {mode.unavailable}
        </span>
      )}
    </span>
  );
}
