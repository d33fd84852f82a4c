/**
 * Native (uncompressed) YBR_FULL_422 frames: two values a pixel, each pair of pixels stored as
 * Y1 Y2 Cb Cr (PS3.3 C.7.6.3.1.2). Cornerstone's loader (dicom-image-loader 5.14) decides whether a
 * colour frame needs converting from its length, and has the 4:2:2 and 4:2:0 lengths swapped
 * (isColorConversionRequired), so these frames come out unconverted and are drawn as if their bytes
 * were RGB. They are converted here to RGB, with the loader's own full-range formulas. JPEG frames
 * of that photometric decode to RGB (three values a pixel) and are left alone.
 */
import { metaData, utilities, type Types } from '@cornerstonejs/core';
import { withPixelData } from './replacedPixelData';

/** Two values a pixel: the 4:2:2 frame as stored, not yet turned into RGB by any decoder. */
function isNative422(image: Types.IImage): boolean {
  const pixelModule = metaData.get('imagePixelModule', image.imageId) as
    { photometricInterpretation?: string } | undefined;
  return (
    pixelModule?.photometricInterpretation === 'YBR_FULL_422' &&
    image.getPixelData().length === 2 * image.rows * image.columns
  );
}

/** RGB (or RGBA) bytes from Y1 Y2 Cb Cr groups; each pair of pixels shares its Cb and Cr. */
export function ybrFull422ToRgb(ybr: ArrayLike<number>, components: 3 | 4): Uint8ClampedArray {
  const pixels = ybr.length / 2;
  const rgb = new Uint8ClampedArray(pixels * components);
  for (let pair = 0; pair < pixels / 2; pair++) {
    const cb = ybr[pair * 4 + 2]! - 128;
    const cr = ybr[pair * 4 + 3]! - 128;
    for (let k = 0; k < 2; k++) {
      const y = ybr[pair * 4 + k]!;
      const at = (pair * 2 + k) * components;
      rgb[at] = y + 1.402 * cr;
      rgb[at + 1] = y - 0.34414 * cb - 0.71414 * cr;
      rgb[at + 2] = y + 1.772 * cb;
      if (components === 4) rgb[at + 3] = 255;
    }
  }
  return rgb;
}

function converted(image: Types.IImage): Types.IImage {
  const components = image.rgba ? 4 : 3;
  const rgb = ybrFull422ToRgb(image.getPixelData(), components);
  // The loader's getCanvas (CPU drawing) reads the frame object it made: it gets the RGB too.
  if (image.imageFrame) Object.assign(image.imageFrame, { pixelData: rgb, pixelDataLength: rgb.length });
  // The extremes as the loader takes them for the colour frames it converts itself.
  return withPixelData(image, rgb, utilities.getMinMax(rgb), components);
}

/** The loader, with native YBR_FULL_422 frames turned into RGB as they load. */
export function withYbr422Conversion(load: Types.ImageLoaderFn): Types.ImageLoaderFn {
  return (imageId, options) => {
    const loaded = load(imageId, options);
    return {
      ...loaded,
      promise: loaded.promise.then((image) => (isNative422(image) ? converted(image) : image)),
    };
  };
}
