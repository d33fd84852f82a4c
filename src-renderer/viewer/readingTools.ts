import { utilities, type StackViewport, type VolumeViewport } from '@cornerstonejs/core';
import { applyWindow, showFileVoiLut } from './voiLutDisplay';
import type { WindowPreset } from './windowPresets';

/**
 * The one-shot reading actions on a stack viewport: windowing presets, orientation, zoom, reset.
 * Rotation and flips work the same on an MPR (orthographic volume) view.
 */

export function applyPreset(viewport: StackViewport, preset: WindowPreset): void {
  if (preset.kind === 'fixed') {
    applyWindow(viewport, utilities.windowLevel.toLowHighRange(preset.width, preset.center));
  } else if (preset.kind === 'file') {
    viewport.resetProperties();
    showFileVoiLut(viewport);
  } else {
    const image = viewport.getCornerstoneImage();
    // The image's modality value range: the loader computes it when it decodes.
    applyWindow(viewport, { lower: image.minPixelValue, upper: image.maxPixelValue });
  }
  viewport.render();
}

export function toggleInvert(viewport: StackViewport): void {
  viewport.setProperties({ invert: !viewport.getProperties().invert });
  viewport.render();
}

export function rotateClockwise(viewport: StackViewport | VolumeViewport): void {
  const rotation = viewport.getViewPresentation().rotation ?? 0;
  viewport.setViewPresentation({ rotation: (rotation + 90) % 360 });
  viewport.render();
}

export function flip(viewport: StackViewport | VolumeViewport, direction: 'horizontal' | 'vertical'): void {
  // Through the camera: setViewPresentation({ flipHorizontal: false }) cannot undo a flip in
  // Cornerstone 5.14 (it passes `false` to a flip that acts only on `true`), so a second press did nothing.
  const camera = viewport.getCamera();
  viewport.setCamera(
    direction === 'horizontal'
      ? { flipHorizontal: !camera.flipHorizontal }
      : { flipVertical: !camera.flipVertical },
  );
  viewport.render();
}

/** Fit the image to the viewport (zoom 1 is Cornerstone's fit). */
export function zoomToFit(viewport: StackViewport): void {
  viewport.resetCamera({ resetPan: true, resetZoom: true });
  viewport.render();
}

/** One image pixel per screen (CSS) pixel. */
export function zoomOneToOne(viewport: StackViewport): void {
  const image = viewport.getCornerstoneImage();
  const canvas = viewport.canvas;
  const fitScale = Math.min(canvas.clientWidth / image.columns, canvas.clientHeight / image.rows);
  viewport.setZoom(1 / fitScale);
  viewport.render();
}

/** Back to how the image first appeared: camera, orientation, window and inversion. */
export function resetView(viewport: StackViewport): void {
  viewport.resetCamera();
  viewport.setViewPresentation({ rotation: 0, flipHorizontal: false, flipVertical: false });
  viewport.resetProperties();
  showFileVoiLut(viewport);
  viewport.render();
}
