import { cache } from '@cornerstonejs/core';

/** The loaded image's naturalized data set (keyword → value), which Cornerstone's image modules do not fully carry. */
function naturalized(imageId: string): Record<string, unknown> | undefined {
  const data = (cache.getImage(imageId) as unknown as { data?: unknown } | undefined)?.data;
  return typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : undefined;
}

/** Patient Orientation (0020,0020) as 'row\column' letters, '' when absent. */
export function patientOrientation(imageId: string): string {
  const value = naturalized(imageId)?.PatientOrientation;
  if (Array.isArray(value)) return value.map(String).join('\\');
  return typeof value === 'string' ? value : '';
}

/** Whether the file itself gives Image Orientation (Patient) (0020,0037), rather than the loader's default. */
export function hasImageOrientation(imageId: string): boolean {
  const value = naturalized(imageId)?.ImageOrientationPatient;
  return Array.isArray(value) ? value.length === 6 : typeof value === 'string' && value.length > 0;
}
