import { VolumeViewport, type RenderingEngine, type StackViewport } from '@cornerstonejs/core';
import { moveToPlaneThrough } from './cameraPlane';

/**
 * Resizes the canvases of a rendering engine's viewports (stack or orthographic volume) to their
 * elements, keeping what the reader set relative to the new size: each resized viewport is fitted
 * again, then given back its zoom relative to the fit, its pan, rotation and flips. A viewport
 * nobody zoomed stays fitted. A volume view also keeps its slice: Cornerstone's fit for a new size
 * recentres it in the volume, which would move an MPR view (and its crosshair line) to the middle.
 *
 * Cornerstone's own resize (keepCamera) restores each camera's absolute scale while it refits the
 * camera that zoom is measured against: after 1x1 -> 1x2 the image kept its full-width scale in a
 * half-width viewport, and an empty viewport recorded a zoom that the next series it showed took
 * over (setStack keeps the view presentation). When a render is pending it also skips the camera
 * step altogether, so the refit here is done whatever the engine did.
 */
export function resizeViewports(engine: RenderingEngine): void {
  const before = (engine.getViewports() as Array<StackViewport | VolumeViewport>).map((viewport) => ({
    viewport,
    width: viewport.sWidth,
    height: viewport.sHeight,
    presentation: viewport.getViewPresentation(),
    focalPoint: viewport.getCamera().focalPoint,
  }));
  engine.resize(true, true);
  for (const { viewport, width, height, presentation, focalPoint } of before) {
    if (viewport.sWidth === width && viewport.sHeight === height) continue;
    const volume = viewport instanceof VolumeViewport;
    // A volume view without its volume yet has nothing to fit to; it is fitted when it gets one.
    if (volume && !viewport.getDefaultActor()) continue;
    if (volume) fitVolumeViewForResize(viewport);
    // Cornerstone's own fit for a new size (no camera event for this passing camera).
    else viewport.resetCameraForResize();
    viewport.setViewPresentation(presentation);
    if (volume && focalPoint) moveToPlaneThrough(viewport, focalPoint);
    viewport.render();
  }
}

/**
 * A volume view's fit for its new size, as Cornerstone's resetCameraForResize but leaving the view's
 * orientation as it is: that one first puts the plane's default orientation back and then undoes the
 * flips on it, so a flipped view came back mirrored the wrong way round after a resize.
 */
function fitVolumeViewForResize(viewport: VolumeViewport): void {
  viewport.resetCamera({
    resetPan: true,
    resetZoom: true,
    resetToCenter: true,
    resetRotation: false,
    resetOrientation: false,
    suppressEvents: true,
  });
}
