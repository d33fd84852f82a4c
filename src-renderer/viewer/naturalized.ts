import { metaData } from '@cornerstonejs/core';

/**
 * A loaded DICOM image's data set as keyword → value, which Cornerstone's image modules do not fully
 * carry (LUT sequences, every window, whether a value was in the file or is the loader's default).
 * For a frame of an enhanced multi-frame image, the frame's view of it: its per-frame and shared
 * functional groups (Frame VOI LUT, Plane Orientation...) laid over the top level, as Cornerstone's
 * own 'instance' module combines them (the 'naturalized' one is the top level only).
 */
export function naturalized(imageId: string): Record<string, unknown> | undefined {
  const data: unknown = metaData.get('instance', imageId);
  return typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : undefined;
}

/**
 * A naturalized attribute's first value: multi-valued attributes (and IS/DS numbers) may arrive as
 * arrays, and a one-item sequence as its item or a list of one.
 */
export function firstValue(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}
