import { metaData, type Types } from '@cornerstonejs/core';
import { internal, wadouri } from '@cornerstonejs/dicom-image-loader';
import * as dicomParser from 'dicom-parser';

/**
 * The DICOM loader keeps each loaded file's parsed data set, pixel data included, in Cornerstone's
 * metadata cache ('naturalized') for good. Once a volume holds a series' decoded voxels, those
 * (compressed) frames are dead weight: about 200 MB for 1,000 JPEG-lossless CT slices. They are
 * released here; the headers stay, so every metadata lookup still works. An image whose frame was
 * released and has to be decoded again (it left the image cache) gets its file fetched again and
 * the frame put back first.
 */
const NATURALIZED = 'naturalized';
/** Byte-swapped on reading: the file's bytes are not what the cache held. (Deflated files arrive inflated.) */
const NOT_RESTORABLE = new Set(['1.2.840.10008.1.2.2']);
const released = new Set<string>();

interface NaturalizedInstance {
  PixelData?: unknown[];
  TransferSyntaxUID?: string;
}

const naturalized = (imageId: string): NaturalizedInstance | undefined =>
  metaData.get(NATURALIZED, imageId) as NaturalizedInstance | undefined;

/** Drops the pixel data of these single-frame wadouri images from the metadata cache. */
export function releaseCompressedFrames(imageIds: readonly string[]): void {
  for (const imageId of imageIds) {
    if (!imageId.startsWith('wadouri:') || imageId.includes('frame=')) continue;
    const natural = naturalized(imageId);
    if (natural?.PixelData?.length !== 1 || NOT_RESTORABLE.has(natural.TransferSyntaxUID ?? '')) continue;
    delete natural.PixelData;
    released.add(imageId);
  }
}

/** The one frame of a single-frame file, as the cache holds it: all its fragments, or the native bytes. */
function framePixelData(file: ArrayBuffer): Uint8Array {
  const dataSet = dicomParser.parseDicom(new Uint8Array(file));
  const element = dataSet.elements['x7fe00010'];
  if (!element) throw new Error('The file has no pixel data.');
  if (element.encapsulatedPixelData && element.fragments)
    return dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, element, 0, element.fragments.length);
  return new Uint8Array(file, element.dataOffset, element.length);
}

async function restore(imageId: string): Promise<void> {
  const file = await internal.xhrRequest(imageId.slice('wadouri:'.length), imageId);
  const natural = naturalized(imageId);
  if (natural) natural.PixelData = [framePixelData(file)];
  released.delete(imageId);
}

/** The wadouri: loader, putting a released frame back before decoding it. */
export const loadRestoringFrames: Types.ImageLoaderFn = (imageId, options) => {
  const load = wadouri.loadImageFromNaturalizedMetadata;
  if (!released.has(imageId)) return load(imageId, options);
  return { promise: restore(imageId).then(() => load(imageId, options).promise) };
};
