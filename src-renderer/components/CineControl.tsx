import { useViewportState } from '../state/viewerStore';
import type { ViewerHandle } from '../viewer/viewportRegistry';

/** Play/pause and the frame rate of the active viewport's cine. */
export function CineControl({ handle, slot }: { handle: ViewerHandle; slot: number }) {
  const playing = useViewportState(slot, (s) => s.cinePlaying);
  const rate = useViewportState(slot, (s) => s.frameRate);
  const frames = useViewportState(slot, (s) => s.sliceCount);
  return (
    <div className="cine-control">
      <button
        type="button"
        data-testid="cine-toggle"
        title="Play or pause cine (C)"
        disabled={frames < 2}
        onClick={() => handle.cine.toggle()}
      >
        {playing ? 'Pause' : 'Play'}
      </button>
      <input
        type="number"
        aria-label="Cine frames per second"
        data-testid="cine-fps"
        min={1}
        max={120}
        value={rate}
        onChange={(event) => handle.cine.setFrameRate(event.target.valueAsNumber)}
      />
      <span className="muted">fps</span>
    </div>
  );
}
