import type { RenderingEngine, StackViewport } from '@cornerstonejs/core';

/**
 * Resizes the canvases of a rendering engine's stack viewports to their elements, keeping what the
 * reader set relative to the new size: each resized viewport is fitted again, then given back its
 * zoom relative to the fit, its pan, rotation and flips. A viewport nobody zoomed stays fitted.
 *
 * Cornerstone's own resize (keepCamera) restores each camera's absolute scale while it refits the
 * camera that zoom is measured against: after 1x1 -> 1x2 the image kept its full-width scale in a
 * half-width viewport, and an empty viewport recorded a zoom that the next series it showed took
 * over (setStack keeps the view presentation). When a render is pending it also skips the camera
 * step altogether, so the refit here is done whatever the engine did.
 */
export function resizeStackViewports(engine: RenderingEngine): void {
  const before = (engine.getViewports() as StackViewport[]).map((viewport) => ({
    viewport,
    width: viewport.sWidth,
    height: viewport.sHeight,
    presentation: viewport.getViewPresentation(),
  }));
  engine.resize(true, true);
  for (const { viewport, width, height, presentation } of before) {
    if (viewport.sWidth === width && viewport.sHeight === height) continue;
    // Cornerstone's own fit for a new size (no camera event for this passing unrotated camera).
    viewport.resetCameraForResize();
    viewport.setViewPresentation(presentation);
    viewport.render();
  }
}
