import { naturalized } from './naturalized';

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

/**
 * Whether the file states the pixel spacing (Pixel Spacing, Imager Pixel Spacing, or the Pixel
 * Measures of a multi-frame's functional groups); without it the loader assumes 1 mm, which no
 * scale bar may show. Images from other loaders (NIfTI) carry their own spacing.
 */
export function hasStatedPixelSpacing(imageId: string): boolean {
  const data = naturalized(imageId);
  if (!data) return true;
  const groups = [data.SharedFunctionalGroupsSequence, data.PerFrameFunctionalGroupsSequence].flatMap(
    (sequence) => (Array.isArray(sequence) ? (sequence as Array<Record<string, unknown>>) : []),
  );
  return (
    data.PixelSpacing !== undefined ||
    data.ImagerPixelSpacing !== undefined ||
    groups.some((group) => group?.PixelMeasuresSequence !== undefined)
  );
}
