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

/**
 * The toolbar switch between the stack view and the 1+3 MPR layout. Where MPR is not possible the
 * button stays greyed, and a click on it says why (in a pop-up, so the toolbar keeps its size).
 */
export function MprToggle({ mode }: { mode: MprMode }) {
  const [reasonShown, setReasonShown] = useState(false);
  const unavailable = mode.unavailable;
  return (
    <span className="mpr-toggle">
      <button
        type="button"
        data-testid="mpr-toggle"
        className={unavailable === null ? undefined : 'unavailable'}
        aria-pressed={mode.active}
        aria-disabled={unavailable !== null}
        title={unavailable ?? (mode.active ? 'Back to the stack view' : 'Axial, sagittal and coronal views')}
        onClick={() =>
          unavailable === null ? mode.setRequested(!mode.active) : setReasonShown((shown) => !shown)
        }
        onBlur={() => setReasonShown(false)}
      >
        {mode.active ? 'Stack' : 'MPR'}
      </button>
      {unavailable !== null && reasonShown && (
        <span className="mpr-unavailable" role="status" data-testid="mpr-unavailable">
          {unavailable}
        </span>
      )}
    </span>
  );
}
