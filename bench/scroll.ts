/**
 * Scripted scrolling through a stack viewport in Chromium, as a hand on the down arrow: the
 * frame times from rAF and the slices drawn on screen (Cornerstone's STACK_NEW_IMAGE). Shared by
 * the viewer's benchmark and OHIF's (bench/ohif.ts), so that both viewers are scrolled alike.
 */
import type { Page } from '@playwright/test';
import { figure } from './report';

/** The few browser globals the page script uses (this project's Node build has no DOM types). */
interface PageGlobals {
  requestAnimationFrame(callback: (now: number) => void): number;
  dispatchEvent(event: unknown): boolean;
  KeyboardEvent: new (type: string, init: { key: string; keyCode: number; bubbles: boolean }) => unknown;
  document: {
    dispatchEvent(event: unknown): boolean;
    addEventListener(type: string, listener: (event: StackNewImageEvent) => void, capture: boolean): void;
    removeEventListener(type: string, listener: (event: StackNewImageEvent) => void, capture: boolean): void;
  };
}

/** Cornerstone's event for an image drawn in a stack viewport (dispatched on its element). */
interface StackNewImageEvent {
  detail?: { imageIdIndex?: number };
}

export interface ScrollRun {
  /** Animation-frame intervals (ms) from the first step to the last slice drawn. */
  readonly intervals: number[];
  /** Different slices drawn on screen meanwhile. */
  readonly slicesDrawn: number;
  /** Milliseconds from the first step to the last slice drawn. */
  readonly elapsed: number;
}

export interface ScrollOptions {
  /** The number of slices: the scroll goes from the first (shown already) to the last. */
  readonly slices: number;
  /** Step only once the slice asked for is drawn (see scrollThrough). */
  readonly paced: boolean;
  /**
   * Where the key presses are dispatched: the window (this viewer listens there) or the document
   * (OHIF's hotkeys listen there; the event bubbles on to the window).
   */
  readonly keysOn: 'window' | 'document';
}

/**
 * Scrolls from the first slice to the last with the down arrow, at most one step per animation
 * frame, until the last slice is drawn. Free-running (`paced` false), it steps every frame, as a
 * fast hand does: the viewer may skip slices it cannot draw in time, so the slices actually drawn
 * are counted (Cornerstone's STACK_NEW_IMAGE) — a frame rate alone would flatter a viewer that
 * draws nothing until the hand stops. Paced, it steps only once the slice asked for is drawn: the
 * rate at which every slice can be seen.
 */
export function scrollThrough(page: Page, { slices, paced, keysOn }: ScrollOptions): Promise<ScrollRun> {
  return page.evaluate(
    ({ last: lastIndex, paced, keysOn }) =>
      new Promise<ScrollRun>((resolve) => {
        const page = globalThis as unknown as PageGlobals;
        const keyTarget = keysOn === 'window' ? page : page.document;
        const drawn = new Set<number>();
        let newest = 0;
        const onDrawn = (event: StackNewImageEvent): void => {
          newest = event.detail?.imageIdIndex ?? newest;
          drawn.add(newest);
        };
        page.document.addEventListener('CORNERSTONE_STACK_NEW_IMAGE', onDrawn, true);
        const intervals: number[] = [];
        const started = performance.now();
        let previous = started;
        let asked = 0;
        const frame = (now: number): void => {
          intervals.push(now - previous);
          previous = now;
          if (drawn.has(lastIndex)) {
            page.document.removeEventListener('CORNERSTONE_STACK_NEW_IMAGE', onDrawn, true);
            resolve({ intervals: intervals.slice(1), slicesDrawn: drawn.size, elapsed: now - started });
            return;
          }
          if (asked < lastIndex && (!paced || newest === asked)) {
            asked++;
            // keyCode as well as key: OHIF's hotkeys (Mousetrap) read the legacy code.
            keyTarget.dispatchEvent(
              new page.KeyboardEvent('keydown', { key: 'ArrowDown', keyCode: 40, bubbles: true }),
            );
          }
          page.requestAnimationFrame(frame);
        };
        page.requestAnimationFrame(frame);
      }),
    { last: slices - 1, paced, keysOn },
  );
}

/** Prints a scroll run's figures, each name ending in `suffix`. */
export function reportScroll(group: string, slices: number, run: ScrollRun, suffix: string): void {
  const sorted = [...run.intervals].sort((a, b) => a - b);
  const mean = run.intervals.reduce((sum, value) => sum + value, 0) / run.intervals.length;
  figure(group, `scroll_fps${suffix}`, 1000 / mean, 'fps');
  figure(group, `scroll_frame_p95${suffix}`, sorted[Math.floor(sorted.length * 0.95)]!, 'ms');
  figure(group, `scroll_slices_drawn${suffix}`, run.slicesDrawn, `of ${slices}`, 0);
  figure(group, `scroll_slices_drawn_per_s${suffix}`, (run.slicesDrawn * 1000) / run.elapsed, 'slices/s');
}
