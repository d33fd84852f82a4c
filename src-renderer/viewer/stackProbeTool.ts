import { cache, type Types } from '@cornerstonejs/core';
import { annotation as annotations, ProbeTool, type Enums } from '@cornerstonejs/tools';
import { reportFileUnits } from './pixelValueUnits';

/** What the probe caches per target (an `imageId:` for a stack image, a volume otherwise). */
interface ProbeStats {
  index?: readonly number[];
  value?: unknown;
}

/**
 * Cornerstone 5.14's probe reads a stack image at depth k = that image's index in its stack, past
 * the one layer a stack image has: a probe on any image but a stack's first showed no value. This
 * one reads the image it was placed on at depth 0 where the tool found the point on the image but
 * no value. Same tool name, so keys, menus and saved measurements are unchanged. Its value is
 * labelled in the file's units.
 */
export class StackProbeTool extends ProbeTool {
  static override toolName = ProbeTool.toolName;

  constructor(props?: ConstructorParameters<typeof ProbeTool>[0]) {
    super(props);
    // Its on-image value in the file's units.
    reportFileUnits(this);
  }

  override _calculateCachedStats(
    annotation: Parameters<typeof annotations.state.triggerAnnotationModified>[0],
    renderingEngine: Types.IRenderingEngine,
    enabledElement: Types.IEnabledElement,
    changeType?: Enums.ChangeTypes,
  ): Record<string, ProbeStats> {
    const stats = super._calculateCachedStats(
      annotation,
      renderingEngine,
      enabledElement,
      changeType,
    ) as Record<string, ProbeStats>;
    let filled = false;
    for (const [targetId, entry] of Object.entries(stats)) {
      // The tool leaves `value` out for a point off the image, and undefined when it misread it.
      if (!targetId.startsWith('imageId:') || !('value' in entry) || entry.value !== undefined) continue;
      const image = cache.getImage(targetId.slice('imageId:'.length));
      const [i = -1, j = -1] = entry.index ?? [];
      if (!image || !(i >= 0 && i < image.columns && j >= 0 && j < image.rows)) continue;
      entry.value = image.voxelManager?.getAtIJK(i, j, 0);
      filled = entry.value !== undefined || filled;
    }
    // The tool announced its stats before they were filled in: the measurements list reads them again.
    if (filled)
      annotations.state.triggerAnnotationModified(annotation, enabledElement.viewport.element, changeType);
    return stats;
  }
}
