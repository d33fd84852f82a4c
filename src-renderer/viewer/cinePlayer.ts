import { metaData } from '@cornerstonejs/core';
import { utilities as toolUtilities } from '@cornerstonejs/tools';
import { DEFAULT_FRAME_RATE } from '../state/viewerStore';
import { firstValue } from './naturalized';
import type { StackViewer } from './stackViewer';

export interface CineState {
  readonly cinePlaying: boolean;
  readonly frameRate: number;
}

const MIN_RATE = 1;
const MAX_RATE = 120;

/**
 * The file's own playback rate, frames per second: Recommended Display Frame Rate, else Cine Rate,
 * else 1000 / Frame Time; null when it names none (or the file is not loaded yet). Read from the
 * loader's naturalised metadata of the loaded file.
 */
export function fileFrameRate(imageId: string): number | null {
  const instance = metaData.get('instance', imageId) as
    { RecommendedDisplayFrameRate?: unknown; CineRate?: unknown; FrameTime?: unknown } | undefined;
  const rate =
    positive(instance?.RecommendedDisplayFrameRate) ??
    positive(instance?.CineRate) ??
    invert(positive(instance?.FrameTime));
  return rate === null ? null : clampRate(rate);
}

/** A DICOM number (IS and DS may arrive as strings or one-element arrays) when above zero. */
function positive(value: unknown): number | null {
  const number = Number(firstValue(value));
  return Number.isFinite(number) && number > 0 ? number : null;
}

function invert(milliseconds: number | null): number | null {
  return milliseconds === null ? null : 1000 / milliseconds;
}

function clampRate(rate: number): number {
  return Math.min(MAX_RATE, Math.max(MIN_RATE, Math.round(rate)));
}

/** What a cine plays: a Cornerstone viewport's element and the frames (slices) it steps through. */
export interface CineTarget {
  readonly element: HTMLDivElement;
  frameCount(): number;
  /** An image of what is shown, whose file may name its own playback rate. */
  imageId(): string | undefined;
  /** -1 where the viewport's next frame is a step back in Cornerstone's order (a flipped volume view). */
  direction?(): 1 | -1;
}

/** A grid viewport's stack (or a multi-frame image's frames) as a cine target. */
export function stackCineTarget(viewer: StackViewer): CineTarget {
  return {
    element: viewer.element,
    frameCount: () => viewer.viewport.getImageIds().length,
    imageId: () => viewer.viewport.getCurrentImageId(),
  };
}

/**
 * Plays a viewport's frames in a loop, with Cornerstone's cine (which steps a stack through its
 * images and a volume view through its slices).
 */
export class CinePlayer {
  private playing = false;
  private rate = DEFAULT_FRAME_RATE;
  /** The direction the running clip steps in. */
  private playingDirection: 1 | -1 = 1;

  constructor(
    private readonly target: CineTarget,
    private readonly onChange: (state: CineState) => void,
  ) {}

  /** Something new is on screen: stop, and take its file's rate. */
  reset(): void {
    this.stop();
    const imageId = this.target.imageId();
    this.rate = (imageId && fileFrameRate(imageId)) || DEFAULT_FRAME_RATE;
    this.publish();
  }

  toggle(): void {
    if (this.playing) this.stop();
    else this.play();
  }

  play(): void {
    if (this.target.frameCount() < 2) return;
    this.playingDirection = this.target.direction?.() ?? 1;
    // A negative rate plays Cornerstone's clip backwards.
    toolUtilities.cine.playClip(this.target.element, {
      framesPerSecond: this.rate * this.playingDirection,
      loop: true,
    });
    this.playing = true;
    this.publish();
  }

  stop(): void {
    if (!this.playing) return;
    toolUtilities.cine.stopClip(this.target.element);
    this.playing = false;
    this.publish();
  }

  /** The target's direction may have changed (a view flipped while playing): go on the new way. */
  followDirection(): void {
    if (this.playing && (this.target.direction?.() ?? 1) !== this.playingDirection) this.play();
  }

  setFrameRate(rate: number): void {
    if (!Number.isFinite(rate)) return;
    this.rate = clampRate(rate);
    // Cornerstone restarts the running clip at the new rate.
    if (this.playing) this.play();
    else this.publish();
  }

  private publish(): void {
    this.onChange({ cinePlaying: this.playing, frameRate: this.rate });
  }
}
