import { metaData } from '@cornerstonejs/core';

/**
 * A loaded DICOM image's data set as keyword → value, which Cornerstone's image modules do not fully
 * carry (LUT sequences, every window, whether a value was in the file or is the loader's default).
 */
export function naturalized(imageId: string): Record<string, unknown> | undefined {
  const data: unknown = metaData.get('naturalized', imageId);
  return typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : undefined;
}
