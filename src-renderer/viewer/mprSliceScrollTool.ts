import { BaseVolumeViewport, getEnabledElement, utilities } from '@cornerstonejs/core';
import { StackScrollTool, type Types as ToolTypes } from '@cornerstonejs/tools';
import { sliceStepSign } from './cameraPlane';

/**
 * The wheel on an MPR view: down goes to the next slice as the view's readout counts it, whichever
 * way the view is flipped (Cornerstone's own stack scroll steps along the camera's normal, which a
 * flip turns round).
 */
export class MprSliceScrollTool extends StackScrollTool {
  static override toolName = 'MprSliceScroll';

  override mouseWheelCallback(evt: ToolTypes.EventTypes.MouseWheelEventType): void {
    const { element, wheel } = evt.detail;
    const viewport = getEnabledElement(element)?.viewport;
    if (!(viewport instanceof BaseVolumeViewport)) return;
    // The declared parameter type lists only the base viewport types; a volume viewport is one.
    utilities.scroll(viewport as unknown as Parameters<typeof utilities.scroll>[0], {
      delta: wheel.direction * sliceStepSign(viewport.getCamera()),
      volumeId: viewport.getVolumeId(),
    });
  }
}
