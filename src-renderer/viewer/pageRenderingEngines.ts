import { RenderingEngine } from '@cornerstonejs/core';

const engines = new Map<string, RenderingEngine>();

/**
 * The rendering engine of that id, made on first use and kept for the page's life. Each engine holds
 * a WebGL context: one destroyed and made again takes a new context while the old one lives on until
 * it is collected, and past 16 live contexts Chromium loses the least recently used, which toggling
 * MPR a few times made the stack's.
 */
export function pageRenderingEngine(id: string): RenderingEngine {
  let engine = engines.get(id);
  if (!engine) {
    engine = new RenderingEngine(id);
    engines.set(id, engine);
  }
  return engine;
}
