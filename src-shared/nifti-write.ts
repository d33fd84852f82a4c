/**
 * A NIfTI-1 writer for label volumes (uint8), the counterpart of nifti.ts's reader: single file
 * (`n+1`), little-endian, the affine stored as the sform (scanner coordinates). Pure, like the reader.
 */
import type { Affine } from './geometry';

const HEADER_SIZE = 348;
/** Header plus the 4-byte extension flag (no extensions). */
const VOX_OFFSET = 352;

/**
 * `affine` maps voxel (i,j,k,1) to RAS millimetres, row-major 4x4; `data` is index
 * i + nx*(j + ny*k), the same order the reader returns.
 */
export function writeNiftiLabels(
  dims: readonly [number, number, number],
  affine: Affine,
  data: Uint8Array,
): Uint8Array {
  const [nx, ny, nz] = dims;
  if (data.length !== nx * ny * nz) {
    throw new Error(`NIfTI: ${data.length} voxels for a ${nx}x${ny}x${nz} volume`);
  }
  const bytes = new Uint8Array(VOX_OFFSET + data.length);
  const view = new DataView(bytes.buffer);
  view.setInt32(0, HEADER_SIZE, true);
  view.setInt8(38, 'r'.charCodeAt(0)); // regular: a legacy Analyze field readers still check
  const dim = [3, nx, ny, nz, 1, 1, 1, 1];
  dim.forEach((value, n) => view.setInt16(40 + 2 * n, value, true));
  view.setInt16(70, 2, true); // datatype uint8
  view.setInt16(72, 8, true); // bitpix
  // pixdim[0] is qfac; pixdim[1..3] the column lengths of the affine, i.e. the voxel spacing.
  view.setFloat32(76, 1, true);
  for (let axis = 0; axis < 3; axis++) {
    const spacing = Math.hypot(affine[axis]!, affine[4 + axis]!, affine[8 + axis]!);
    view.setFloat32(80 + 4 * axis, spacing, true);
  }
  view.setFloat32(108, VOX_OFFSET, true);
  view.setFloat32(112, 1, true); // scl_slope
  view.setFloat32(116, 0, true); // scl_inter
  view.setInt8(123, 10); // xyzt_units: mm, s
  view.setInt16(252, 0, true); // qform_code: unused
  view.setInt16(254, 1, true); // sform_code: scanner anatomical
  for (let row = 0; row < 3; row++) {
    for (let col = 0; col < 4; col++) view.setFloat32(280 + 16 * row + 4 * col, affine[4 * row + col]!, true);
  }
  bytes.set([0x6e, 0x2b, 0x31, 0x00], 344); // "n+1\0"
  bytes.set(data, VOX_OFFSET);
  return bytes;
}
