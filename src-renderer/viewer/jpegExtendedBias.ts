/**
 * JPEG extended 12-bit frames decode 15 too high in Cornerstone's loader (its JavaScript decoder's
 * level shift is wrong; src-shared/jpeg12-level-shift.ts). The error is measured once by sending a
 * stream of known value through the loader's own decode worker, so the viewer corrects exactly what
 * its decoder does (nothing, once the decoder is fixed), and taken off each such frame as it loads,
 * before the Modality LUT and before any reader (viewport, probes, ROIs, MPR volume) sees it.
 */
import { getWebWorkerManager, metaData, utilities, type Types } from '@cornerstonejs/core';
import {
  levelShiftBias,
  removeLevelShiftBias,
  ZERO_BLOCK_12BIT,
  ZERO_BLOCK_SIZE,
} from '../../src-shared/jpeg12-level-shift';
import { withPixelData } from './replacedPixelData';

const JPEG_EXTENDED = '1.2.840.10008.1.2.4.51';
/** The retired 12-bit DCT syntaxes, which the loader sends to the same decoder. */
const SAME_DECODER = new Set([JPEG_EXTENDED, '1.2.840.10008.1.2.4.53', '1.2.840.10008.1.2.4.55']);

/** The worker and task that the loader's decodeImageFrame uses (dicom-image-loader 5.14). */
const DECODE_WORKER = 'dicomImageLoader';
const DECODE_TASK = 'decodeTask';

let measuring: Promise<number> | undefined;

async function measureBias(): Promise<number> {
  const decoded = await getWebWorkerManager().executeTask<{ pixelData: ArrayLike<number> }>(
    DECODE_WORKER,
    DECODE_TASK,
    {
      imageFrame: {
        rows: ZERO_BLOCK_SIZE,
        columns: ZERO_BLOCK_SIZE,
        bitsAllocated: 16,
        bitsStored: 12,
        samplesPerPixel: 1,
        pixelRepresentation: 0,
        photometricInterpretation: 'MONOCHROME2',
      },
      transferSyntax: JPEG_EXTENDED,
      // A copy: the worker may take the buffer over.
      pixelData: ZERO_BLOCK_12BIT.slice(),
      options: { preScale: { enabled: false } },
      decodeConfig: {},
    },
  );
  const sample = decoded.pixelData[0];
  if (sample === undefined) throw new Error('the JPEG decoder returned no samples for its level-shift check');
  return levelShiftBias(sample);
}

/** What the viewer's decoder adds to every 12-bit JPEG extended sample (measured once). */
export function jpeg12Bias(): Promise<number> {
  measuring ??= measureBias().catch((error: unknown) => {
    measuring = undefined;
    throw error;
  });
  return measuring;
}

/** Greyscale frames of more than 8 bits stored: 12-bit streams (8 bits stored use 8-bit precision). */
function decodedAt12Bits(imageId: string): boolean {
  const syntax = (metaData.get('transferSyntax', imageId) as { transferSyntaxUID?: string } | undefined)
    ?.transferSyntaxUID;
  const pixel = metaData.get('imagePixelModule', imageId) as
    { bitsStored?: number; samplesPerPixel?: number } | undefined;
  return SAME_DECODER.has(syntax ?? '') && (pixel?.bitsStored ?? 0) > 8 && pixel?.samplesPerPixel === 1;
}

/** Stored value to the image's units: the loader may have applied the rescale (and SUV) already. */
function toImageUnits(image: Types.IImage): (stored: number) => number {
  if (image.preScale?.scaled !== true) return (stored) => stored;
  const parameters = image.preScale.scalingParameters ?? {};
  const slope = parameters.rescaleSlope ?? 1;
  const intercept = parameters.rescaleIntercept ?? 0;
  const suv = parameters.modality === 'PT' && typeof parameters.suvbw === 'number' ? parameters.suvbw : 1;
  return (stored) => suv * (stored * slope + intercept);
}

const UNSIGNED = [Uint8Array, Uint8ClampedArray, Uint16Array, Uint32Array];

function correct(image: Types.IImage, bias: number): Types.IImage {
  const units = toImageUnits(image);
  const lowest = units(0);
  const loaded = image.getPixelData();
  // Corrected values below zero (a negative intercept) need a signed array.
  const data =
    lowest < 0 && UNSIGNED.some((type) => loaded instanceof type) ? new Float32Array(loaded) : loaded;
  const extremes = removeLevelShiftBias(data, units(bias) - lowest, lowest);
  // The loader's default window spans the extremes it saw: span the corrected ones instead.
  const fileWindow = (metaData.get('voiLutModule', image.imageId) as { windowCenter?: unknown } | undefined)
    ?.windowCenter;
  const window =
    fileWindow === undefined
      ? utilities.windowLevel.toWindowLevel(extremes.min, extremes.max)
      : { windowCenter: image.windowCenter, windowWidth: image.windowWidth };
  return { ...withPixelData(image, data, extremes), ...window };
}

/** A loader whose 12-bit JPEG extended frames have the decoder's level-shift error taken off. */
export function withJpeg12Correction(load: Types.ImageLoaderFn): Types.ImageLoaderFn {
  return (imageId, options) => {
    const loaded = load(imageId, options);
    return {
      ...loaded,
      // The file's header is known once it has loaded.
      promise: loaded.promise.then(async (image) => {
        if (!decodedAt12Bits(imageId)) return image;
        const bias = await jpeg12Bias();
        return bias === 0 ? image : correct(image, bias);
      }),
    };
  };
}
