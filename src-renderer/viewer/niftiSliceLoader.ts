/**
 * NIfTI volumes in the stack viewer: `nifti-slice:<url>#<k>` is slice k (third voxel axis) of the
 * volume the library serves at <url>. The file is fetched, inflated (.nii.gz) and parsed once per
 * volume; each slice becomes an image with the volume's geometry in patient space and its
 * scl_slope/scl_inter already applied (the values shown are the file's real values).
 */
import { imageLoader, utilities, type Types } from '@cornerstonejs/core';
import { parseNifti, type NiftiVolume } from '../../src-shared/nifti';
import { niftiSlicePlane } from './niftiSlicePlane';

export const NIFTI_SLICE_SCHEME = 'nifti-slice';

interface LoadedVolume {
  readonly volume: NiftiVolume;
  /** The whole volume's value range: every slice gets the same window. */
  readonly min: number;
  readonly max: number;
}

/** Volumes parsed, by URL; only the latest few are kept (a 256³ volume is 64 MB of floats). */
const volumes = new Map<string, Promise<LoadedVolume>>();
const KEPT_VOLUMES = 2;

export function niftiSliceImageId(url: string, slice: number): string {
  return `${NIFTI_SLICE_SCHEME}:${url}#${slice}`;
}

export function registerNiftiSliceLoader(): void {
  imageLoader.registerImageLoader(NIFTI_SLICE_SCHEME, (imageId) => ({ promise: loadSlice(imageId) }));
}

async function loadSlice(imageId: string): Promise<Types.IImage> {
  const hash = imageId.lastIndexOf('#');
  const url = imageId.slice(NIFTI_SLICE_SCHEME.length + 1, hash);
  const k = Number(imageId.slice(hash + 1));
  const { volume, min, max } = await volumeAt(url);
  const [nx, ny, nz] = volume.dims;
  if (!Number.isInteger(k) || k < 0 || k >= nz) throw new Error(`NIfTI: no slice ${k} in ${nz} slices`);
  const plane = niftiSlicePlane(volume.affine, k);
  // Voxel i + nx*(j + ny*k): a slice is rows of j, columns of i, already in image order.
  const scalarData = volume.data.slice(k * nx * ny, (k + 1) * nx * ny);
  const modules = {
    // NIfTI names no modality; Cornerstone needs the module all the same.
    generalSeriesModule: { modality: 'OT' },
    imagePlaneModule: {
      frameOfReferenceUID: url,
      rows: ny,
      columns: nx,
      imageOrientationPatient: [...plane.rowCosines, ...plane.columnCosines],
      rowCosines: plane.rowCosines,
      columnCosines: plane.columnCosines,
      imagePositionPatient: plane.origin,
      pixelSpacing: [plane.rowSpacing, plane.columnSpacing],
      rowPixelSpacing: plane.rowSpacing,
      columnPixelSpacing: plane.columnSpacing,
      sliceThickness: volume.spacing[2],
    },
    imagePixelModule: {
      samplesPerPixel: 1,
      photometricInterpretation: 'MONOCHROME2',
      rows: ny,
      columns: nx,
      bitsAllocated: 32,
      bitsStored: 32,
      highBit: 31,
      pixelRepresentation: 1,
    },
  };
  for (const [type, metadata] of Object.entries(modules))
    utilities.genericMetadataProvider.add(imageId, { type, metadata });
  const voxelManager = utilities.VoxelManager.createImageVoxelManager({
    width: nx,
    height: ny,
    numberOfComponents: 1,
    scalarData,
    id: imageId,
  });
  return {
    imageId,
    rows: ny,
    columns: nx,
    height: ny,
    width: nx,
    color: false,
    rgba: false,
    numberOfComponents: 1,
    dataType: 'Float32Array',
    slope: 1,
    intercept: 0,
    // NIfTI stores no window: the volume's whole range, the same on every slice.
    windowCenter: (min + max) / 2,
    windowWidth: Math.max(1, max - min),
    minPixelValue: min,
    maxPixelValue: max,
    columnPixelSpacing: plane.columnSpacing,
    rowPixelSpacing: plane.rowSpacing,
    invert: false,
    sizeInBytes: scalarData.byteLength,
    getPixelData: () => voxelManager.getScalarData(),
    getCanvas: undefined as unknown as Types.IImage['getCanvas'],
    voxelManager,
  } as Types.IImage;
}

function volumeAt(url: string): Promise<LoadedVolume> {
  let volume = volumes.get(url);
  if (!volume) {
    volume = fetchVolume(url);
    volumes.set(url, volume);
    volume.catch(() => volumes.delete(url));
    for (const oldest of volumes.keys()) if (volumes.size > KEPT_VOLUMES) volumes.delete(oldest);
  }
  return volume;
}

async function fetchVolume(url: string): Promise<LoadedVolume> {
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`NIfTI: the library answered ${response.status} for the volume`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  // gzip's magic number; the file name is not in the URL.
  const gzipped = bytes[0] === 0x1f && bytes[1] === 0x8b;
  const raw = gzipped
    ? new Uint8Array(
        await new Response(
          new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip')),
        ).arrayBuffer(),
      )
    : bytes;
  const volume = parseNifti(raw);
  return { volume, ...range(volume.data) };
}

function range(values: Float32Array): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const value of values) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return Number.isFinite(min) ? { min, max } : { min: 0, max: 0 };
}
