import { utilities, type Types } from '@cornerstonejs/core';

/**
 * A loaded image over a new pixel array of `components` values a pixel: its voxel manager, frame,
 * extremes and size follow, so that every reader (viewport, probes, ROIs, a volume built from it)
 * sees the new values.
 */
export function withPixelData(
  image: Types.IImage,
  data: Types.PixelDataTypedArray,
  extremes: { min: number; max: number },
  components = 1,
): Types.IImage {
  const voxelManager = utilities.VoxelManager.createImageVoxelManager({
    scalarData: data,
    width: image.columns,
    height: image.rows,
    numberOfComponents: components,
  });
  return {
    ...image,
    minPixelValue: extremes.min,
    maxPixelValue: extremes.max,
    dataType: data.constructor.name as Types.PixelDataTypedArrayString,
    sizeInBytes: data.byteLength,
    numberOfComponents: components,
    voxelManager,
    imageFrame: image.imageFrame && {
      ...image.imageFrame,
      pixelData: data,
      pixelDataLength: data.length,
      smallestPixelValue: extremes.min,
      largestPixelValue: extremes.max,
    },
    getPixelData: () => data,
  } as Types.IImage;
}
