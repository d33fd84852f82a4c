/**
 * Builds one scalar volume from the images of a series, in display order, with the affine from
 * the DICOM geometry. Reads only the pixel data bytes of each file (offsets come from the index).
 */
import { open } from 'node:fs/promises';
import type { GreyImage, SeriesVolume } from '../../src-shared/inference-protocol';
import { cross, dot } from '../../src-shared/geometry';
import type { Vec3 } from '../../src-shared/geometry';
import type { StoredInstance } from '../library/library-store';
import { BIG_ENDIAN_TRANSFER_SYNTAX, NATIVE_TRANSFER_SYNTAXES } from '../library/dicom-tags';

export class VolumeBuildError extends Error {}

export async function buildSeriesVolume(instances: readonly StoredInstance[]): Promise<SeriesVolume> {
  const first = instances[0];
  if (!first) throw new VolumeBuildError('the series has no images');
  checkStackable(instances);
  const { columns, rows } = first;
  const sliceVoxels = rows * columns;
  const data = new Float32Array(sliceVoxels * instances.length);
  for (let k = 0; k < instances.length; k++) {
    await readSlice(instances[k]!, data.subarray(k * sliceVoxels, (k + 1) * sliceVoxels));
  }
  return { dims: [columns, rows, instances.length], affine: seriesAffine(instances), data };
}

/**
 * One greyscale image for a 2D model, as the display shows it (MONOCHROME1 inverted), with the
 * largest value its stored bits allow after rescaling.
 */
export async function buildGreyImage(instance: StoredInstance): Promise<GreyImage> {
  checkReadable(instance);
  const data = new Float32Array(instance.rows * instance.columns);
  await readSlice(instance, data);
  const { rescaleSlope: slope, rescaleIntercept: intercept } = instance;
  const bits = instance.bitsStored > 0 ? instance.bitsStored : instance.bitsAllocated;
  const [low, high] =
    instance.pixelRepresentation === 1
      ? [-(2 ** (bits - 1)) * slope + intercept, (2 ** (bits - 1) - 1) * slope + intercept]
      : [intercept, (2 ** bits - 1) * slope + intercept];
  // From 0 to the range's top: the classifier scales by the maximum.
  const invert = instance.photometric === 'MONOCHROME1';
  for (let v = 0; v < data.length; v++) data[v] = invert ? high - data[v]! : data[v]! - low;
  return { rows: instance.rows, columns: instance.columns, maxValue: high - low, data };
}

function checkReadable(instance: StoredInstance): void {
  if (!NATIVE_TRANSFER_SYNTAXES.has(instance.transferSyntax)) {
    throw new VolumeBuildError(`compressed pixel data (${instance.transferSyntax}) cannot be analysed yet`);
  }
  if (instance.frames !== 1 || instance.samplesPerPixel !== 1) {
    throw new VolumeBuildError('only single-frame greyscale images can be analysed');
  }
  if (instance.pixelOffset === null) throw new VolumeBuildError('an image has no pixel data');
}

function checkStackable(instances: readonly StoredInstance[]): void {
  const first = instances[0]!;
  if (instances.length < 2) throw new VolumeBuildError('a volume needs at least two slices');
  for (const instance of instances) {
    checkReadable(instance);
    if (instance.rows !== first.rows || instance.columns !== first.columns) {
      throw new VolumeBuildError('the images of the series differ in size');
    }
    if (!instance.position || !instance.orientation || !instance.pixelSpacing) {
      throw new VolumeBuildError('an image lacks position, orientation or pixel spacing');
    }
  }
}

/** Voxel (i column, j row, k slice) to patient LPS mm, row-major 4x4. */
export function seriesAffine(instances: readonly StoredInstance[]): number[] {
  const first = instances[0]!;
  const last = instances[instances.length - 1]!;
  const o = first.orientation!;
  const rowDir: Vec3 = [o[0]!, o[1]!, o[2]!];
  const colDir: Vec3 = [o[3]!, o[4]!, o[5]!];
  const [rowSpacing, columnSpacing] = first.pixelSpacing!;
  const p0 = first.position!;
  const pN = last.position!;
  const n = instances.length;
  const step: Vec3 = [(pN[0] - p0[0]) / (n - 1), (pN[1] - p0[1]) / (n - 1), (pN[2] - p0[2]) / (n - 1)];
  if (Math.abs(dot(step, cross(rowDir, colDir))) < 1e-6) {
    throw new VolumeBuildError('the images do not advance along the slice normal');
  }
  return [
    rowDir[0] * columnSpacing,
    colDir[0] * rowSpacing,
    step[0],
    p0[0],
    rowDir[1] * columnSpacing,
    colDir[1] * rowSpacing,
    step[1],
    p0[1],
    rowDir[2] * columnSpacing,
    colDir[2] * rowSpacing,
    step[2],
    p0[2],
    0,
    0,
    0,
    1,
  ];
}

async function readSlice(instance: StoredInstance, into: Float32Array): Promise<void> {
  const bytesPerSample = instance.bitsAllocated / 8;
  const needed = into.length * bytesPerSample;
  if (![1, 2, 4].includes(bytesPerSample) || (instance.pixelLength ?? 0) < needed) {
    throw new VolumeBuildError(`unsupported pixel layout (${instance.bitsAllocated} bits allocated)`);
  }
  const raw = Buffer.alloc(needed);
  const handle = await open(instance.path, 'r');
  try {
    const { bytesRead } = await handle.read(raw, 0, needed, instance.pixelOffset!);
    if (bytesRead < needed) throw new VolumeBuildError('the pixel data is shorter than the image');
  } finally {
    await handle.close();
  }
  const bigEndian = instance.transferSyntax === BIG_ENDIAN_TRANSFER_SYNTAX;
  const signed = instance.pixelRepresentation === 1;
  const { rescaleSlope: slope, rescaleIntercept: intercept, bitsStored } = instance;
  // Bits above Bits Stored may hold overlay data: mask them, then sign-extend for signed pixels.
  const mask = bitsStored > 0 && bitsStored < 32 ? 2 ** bitsStored - 1 : 0xffffffff;
  const signBit = bitsStored > 0 && bitsStored < 32 ? 2 ** (bitsStored - 1) : 0;
  for (let v = 0; v < into.length; v++) {
    let value: number;
    if (bytesPerSample === 1) value = raw[v]!;
    else if (bytesPerSample === 2) value = bigEndian ? raw.readUInt16BE(v * 2) : raw.readUInt16LE(v * 2);
    else value = bigEndian ? raw.readUInt32BE(v * 4) : raw.readUInt32LE(v * 4);
    if (mask !== 0xffffffff) {
      value &= mask;
      if (signed && value >= signBit) value -= 2 * signBit;
    } else if (signed) value |= 0;
    into[v] = value * slope + intercept;
  }
}
