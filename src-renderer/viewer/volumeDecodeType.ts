import { getRenderingCapabilities, type StreamingImageVolume, type Types } from '@cornerstonejs/core';

/**
 * The most a volume may take once its slices are decoded to 32-bit floats: a 512 x 512 CT of up to
 * 256 slices. Larger ones keep 16 bits a voxel in memory (a 1,000-slice CT is 500 MiB as Int16,
 * 1 GiB as floats).
 */
export const FLOAT_VOLUME_BUDGET_BYTES = 256 * 1024 * 1024;

/**
 * The type a volume's slices are decoded to. Where WebGL has no exact 16-bit texture (norm16),
 * vtk.js converts every 16-bit slice to a new Float32Array on the page's main thread before it
 * uploads it; decoding small volumes straight to floats moves that conversion into the decode
 * worker. Floats hold every 16-bit integer exactly.
 */
export function volumeDecodeType(
  dataType: Types.PixelDataTypedArrayString,
  voxels: number,
  norm16Textures: boolean,
): Types.PixelDataTypedArrayString {
  const sixteenBits = dataType === 'Int16Array' || dataType === 'Uint16Array';
  return sixteenBits && !norm16Textures && voxels * 4 <= FLOAT_VOLUME_BUDGET_BYTES
    ? 'Float32Array'
    : dataType;
}

/** Whether Cornerstone uploads 16-bit volumes as they are (its own test for norm16 textures). */
export function norm16Textures(): boolean {
  const { norm16, norm16Linear } = getRenderingCapabilities();
  return norm16 && norm16Linear;
}

/**
 * Sets the type a streaming volume's slices are decoded to, before it loads. Cornerstone 5.14
 * chooses the type from the first headers alone and has no option for it; the volume reads
 * `dataType` when it asks the loader for each slice, and its texture reads the image data's.
 */
export function chooseVolumeDecodeType(volume: StreamingImageVolume): void {
  if (!volume.dataType) return;
  const [columns, rows, slices] = volume.dimensions;
  const chosen = volumeDecodeType(volume.dataType, columns * rows * slices, norm16Textures());
  if (chosen === volume.dataType) return;
  volume.dataType = chosen;
  volume.imageData?.set({ dataType: chosen }, true);
}
