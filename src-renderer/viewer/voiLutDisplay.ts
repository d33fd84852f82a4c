import { Enums, type StackViewport, type Types } from '@cornerstonejs/core';
import type vtkImageSlice from '@kitware/vtk.js/Rendering/Core/ImageSlice';
import { voiLut, voiLutTransferFunction, type LookupTable } from './lutSequences';
import { setLinearWindow } from './linearWindow';

/** The displays by viewport id, for the reading tools that return a viewport to the file's display. */
const displays = new Map<string, VoiLutDisplay>();

/** After a reset to the file's window: the file's VOI LUT instead, where the image has one. */
export function showFileVoiLut(viewport: StackViewport): void {
  displays.get(viewport.id)?.show();
}

/** A window chosen by the user (a preset): it replaces the VOI LUT, if one is shown. */
export function applyWindow(viewport: StackViewport, range: Types.VOIRange): void {
  const display = displays.get(viewport.id);
  if (display?.lutShown) display.leave(range);
  else viewport.setProperties({ voiRange: range });
}

/**
 * Shows a stack viewport's image through the file's VOI LUT Sequence, the display the file asks for,
 * until the user changes the window; the "file's window" preset brings it back.
 */
export class VoiLutDisplay {
  /** The LUT on screen, and the VOI range Cornerstone held when it was put there. */
  private shown: { lut: LookupTable; range: Types.VOIRange | undefined } | null = null;
  private wanted = true;
  private readonly dispose: () => void;

  constructor(
    private readonly viewport: () => StackViewport,
    element: HTMLDivElement,
    private readonly onChange: () => void,
  ) {
    displays.set(viewport().id, this);
    const onNewImage = (): void => {
      if (this.wanted) this.show();
    };
    const onVoi = (event: Event): void => {
      const range = (event as CustomEvent<{ range?: Types.VOIRange }>).detail?.range;
      const before = this.shown?.range;
      // Cornerstone repeats the range it holds on some image changes: only a new range is the user's.
      if (!this.shown || (range && before && range.lower === before.lower && range.upper === before.upper))
        return;
      if (range) this.leave(range);
    };
    element.addEventListener(Enums.Events.STACK_NEW_IMAGE, onNewImage);
    element.addEventListener(Enums.Events.VOI_MODIFIED, onVoi);
    this.dispose = () => {
      displays.delete(this.viewport().id);
      element.removeEventListener(Enums.Events.STACK_NEW_IMAGE, onNewImage);
      element.removeEventListener(Enums.Events.VOI_MODIFIED, onVoi);
    };
  }

  /** Whether the file's VOI LUT is on screen (rather than a linear window). */
  get lutShown(): boolean {
    return this.shown !== null;
  }

  /** The LUT's explanation ('' when it has none) while it is shown; null otherwise. */
  get label(): string | null {
    return this.shown ? this.shown.lut.explanation : null;
  }

  /** Puts the current image's VOI LUT on screen, if it has one; true when it did. */
  show(): boolean {
    this.wanted = true;
    const viewport = this.viewport();
    const imageId = viewport.getCurrentImageId();
    const lut = imageId ? voiLut(imageId) : null;
    const actor = viewport.getDefaultActor()?.actor as vtkImageSlice | undefined;
    if (!lut || !actor?.getProperty) {
      this.shown = null;
      return false;
    }
    const invert = viewport.getProperties().invert === true;
    actor.getProperty().setRGBTransferFunction(0, voiLutTransferFunction(lut, invert));
    this.shown = { lut, range: viewport.getProperties().voiRange };
    viewport.render();
    this.onChange();
    return true;
  }

  /** Back to a linear window over the range (Cornerstone only rescales the transfer function it finds). */
  leave(range: Types.VOIRange): void {
    this.wanted = false;
    this.shown = null;
    setLinearWindow(this.viewport(), range);
    this.onChange();
  }

  destroy(): void {
    this.dispose();
  }
}
