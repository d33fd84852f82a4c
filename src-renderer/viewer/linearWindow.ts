import { Enums, type StackViewport, type Types } from '@cornerstonejs/core';

/**
 * A linear window over the range, on a transfer function Cornerstone builds anew: it only rescales
 * the one it finds, which keeps the shape of a VOI LUT or comes out reversed after a zero width.
 * Changing the VOI LUT function and back makes it build a new one.
 */
export function setLinearWindow(viewport: StackViewport, range: Types.VOIRange): void {
  const { VOILUTFunctionType } = Enums;
  viewport.setProperties({ VOILUTFunction: VOILUTFunctionType.SAMPLED_SIGMOID }, true);
  viewport.setProperties({ voiRange: range, VOILUTFunction: VOILUTFunctionType.LINEAR });
}
