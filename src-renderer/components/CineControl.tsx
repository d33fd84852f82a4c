import { useViewportState } from '../state/viewerStore';
import type { CinePlayer } from '../viewer/cinePlayer';
import type { ViewerHandle } from '../viewer/viewportRegistry';

/** Play/pause and the frame rate of the active grid viewport's cine. */
export function CineControl({ handle, slot }: { handle: ViewerHandle; slot: number }) {
  const playing = useViewportState(slot, (s) => s.cinePlaying);
  const rate = useViewportState(slot, (s) => s.frameRate);
  const frames = useViewportState(slot, (s) => s.sliceCount);
  return (
    <CineButtons player={handle.cine} playing={playing} rate={rate} canPlay={frames >= 2} testId="cine" />
  );
}

/** Play/pause and the frame rate of one cine player, wherever its state is kept. */
export function CineButtons({
  player,
  playing,
  rate,
  canPlay,
  testId,
}: {
  player: CinePlayer | null;
  playing: boolean;
  rate: number;
  canPlay: boolean;
  /** Prefix of the controls' test ids. */
  testId: string;
}) {
  return (
    <div className="cine-control">
      <button
        type="button"
        data-testid={`${testId}-toggle`}
        title="Play or pause cine (C)"
        disabled={!canPlay}
        onClick={() => player?.toggle()}
      >
        {playing ? 'Pause' : 'Play'}
      </button>
      <input
        type="number"
        aria-label="Cine frames per second"
        data-testid={`${testId}-fps`}
        min={1}
        max={120}
        value={rate}
        onChange={(event) => player?.setFrameRate(event.target.valueAsNumber)}
      />
      <span className="muted">fps</span>
    </div>
  );
}
