import { wadouri } from '@cornerstonejs/dicom-image-loader';

function dataSetOf(imageId: string) {
  return imageId.startsWith('wadouri:')
    ? wadouri.dataSetCacheManager.get(wadouri.parseImageId(imageId).url)
    : undefined;
}

/** Patient Orientation (0020,0020) of a loaded wadouri image, '' when absent; Cornerstone's metadata omits it. */
export function patientOrientation(imageId: string): string {
  return dataSetOf(imageId)?.string('x00200020') ?? '';
}

/** Whether the file itself gives Image Orientation (Patient) (0020,0037), rather than the loader's default. */
export function hasImageOrientation(imageId: string): boolean {
  return !!dataSetOf(imageId)?.string('x00200037');
}
