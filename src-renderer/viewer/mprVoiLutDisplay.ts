import { Enums, utilities, type Types, type VolumeViewport } from '@cornerstonejs/core';
import type vtkVolume from '@kitware/vtk.js/Rendering/Core/Volume';
import { lutRamp, voiLut, voiLutTransferFunction, type LookupTable } from './lutSequences';

/** Two VOI ranges the same to within float rounding of a transfer function's node positions. */
function sameRange(a: Types.VOIRange, b: Types.VOIRange): boolean {
  const tolerance = 1e-6 * Math.max(1, Math.abs(b.upper - b.lower));
  return Math.abs(a.lower - b.lower) <= tolerance && Math.abs(a.upper - b.upper) <= tolerance;
}

function volumeProperty(viewport: VolumeViewport): ReturnType<vtkVolume['getProperty']> | null {
  const actor = viewport.getDefaultActor()?.actor as vtkVolume | undefined;
  return actor?.getProperty ? actor.getProperty() : null;
}

/**
 * Shows the MPR views through the volume's VOI LUT Sequence (Cornerstone's volume views ignore it),
 * the one of the slice the volume takes its window from. It stays until the window changes; the
 * file's display (preset or reset) brings it back.
 *
 * Each view holds its own transfer function: inverting flips a view's function in place. While the
 * LUT is shown a view's window range is the LUT's ramp, so a window/level drag starts from there.
 */
export class MprVoiLutDisplay {
  private shown: { lut: LookupTable; range: Types.VOIRange } | null = null;
  private readonly dispose: () => void;

  constructor(
    private readonly viewports: () => readonly VolumeViewport[],
    elements: readonly HTMLDivElement[],
  ) {
    // A window set by anyone else (the window/level tool, the views' synchroniser) leaves the LUT on
    // every view; the LUT's own range comes back in the events inverting fires.
    const onVoi = (event: Event): void => {
      const range = (event as CustomEvent<{ range?: Types.VOIRange }>).detail?.range;
      if (this.shown && range && !sameRange(range, this.shown.range)) this.leave(range);
    };
    for (const element of elements) element.addEventListener(Enums.Events.VOI_MODIFIED, onVoi);
    this.dispose = () => {
      for (const element of elements) element.removeEventListener(Enums.Events.VOI_MODIFIED, onVoi);
    };
  }

  get lutShown(): boolean {
    return this.shown !== null;
  }

  /** The LUT's explanation ('' when it has none) while it is shown; null otherwise. */
  get label(): string | null {
    return this.shown ? this.shown.lut.explanation : null;
  }

  /**
   * Puts the VOI LUT of the slice the volume's file display comes from on every view, if that slice
   * has one; true when it did.
   */
  show(fileImageId: string | null): boolean {
    const found = fileImageId ? voiLut(fileImageId) : null;
    const views = this.viewports();
    const properties = views.map(volumeProperty);
    if (!found || properties.some((property) => property === null)) {
      this.shown = null;
      return false;
    }
    const lut = lutRamp(found);
    views.forEach((viewport, n) => {
      const invert = viewport.getProperties()?.invert === true;
      properties[n]!.setRGBTransferFunction(0, voiLutTransferFunction(lut, invert));
    });
    this.shown = { lut, range: { lower: lut.first, upper: lut.first + lut.data.length - 1 } };
    for (const viewport of views) viewport.render();
    return true;
  }

  /** A linear window over the range on every view instead (Cornerstone only rescales what it finds). */
  leave(range: Types.VOIRange): void {
    if (!this.shown) return;
    this.shown = null;
    for (const viewport of this.viewports()) {
      const linear = utilities.createLinearRGBTransferFunction(range);
      if (viewport.getProperties()?.invert === true) utilities.invertRgbTransferFunction(linear);
      volumeProperty(viewport)?.setRGBTransferFunction(0, linear);
      viewport.setProperties({ voiRange: range });
    }
  }

  destroy(): void {
    this.dispose();
  }
}
