import { utilities, type Types } from '@cornerstonejs/core';

/**
 * A loaded image over a new pixel array: its voxel manager, frame, extremes and size follow, so
 * that every reader (viewport, probes, ROIs, a volume built from it) sees the new values.
 */
export function withPixelData(
  image: Types.IImage,
  data: Types.PixelDataTypedArray,
  extremes: { min: number; max: number },
): Types.IImage {
  const voxelManager = utilities.VoxelManager.createImageVoxelManager({
    scalarData: data,
    width: image.columns,
    height: image.rows,
    numberOfComponents: 1,
  });
  return {
    ...image,
    minPixelValue: extremes.min,
    maxPixelValue: extremes.max,
    dataType: data.constructor.name as Types.PixelDataTypedArrayString,
    sizeInBytes: data.byteLength,
    voxelManager,
    imageFrame: image.imageFrame && {
      ...image.imageFrame,
      pixelData: data,
      smallestPixelValue: extremes.min,
      largestPixelValue: extremes.max,
    },
    getPixelData: () => data,
  } as Types.IImage;
}
