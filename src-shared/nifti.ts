/**
 * A small NIfTI-1 reader for already-decompressed bytes. Pure: no DOM, no Node, so main, the
 * worker and the renderer can all use it.
 */
import type { Affine } from './geometry';

export interface NiftiVolume {
  readonly dims: readonly [number, number, number];
  /** Voxel index (i,j,k,1) to RAS millimetres, row-major 4x4. */
  readonly affine: Affine;
  /** Where the affine came from, so callers can warn about a pixdim-only file. */
  readonly affineSource: 'sform' | 'qform' | 'pixdim';
  /** Voxel spacing in mm (pixdim[1..3]). */
  readonly spacing: readonly [number, number, number];
  readonly datatype: number;
  /** First 3-D volume only, index i + nx*(j + ny*k), scl_slope/scl_inter applied. */
  readonly data: Float32Array;
}

const HEADER_SIZE = 348;

/** NIfTI datatype codes this reader understands, with their byte size. */
const DATATYPES: ReadonlyMap<number, { readonly name: string; readonly bytes: number }> = new Map([
  [2, { name: 'uint8', bytes: 1 }],
  [4, { name: 'int16', bytes: 2 }],
  [8, { name: 'int32', bytes: 4 }],
  [16, { name: 'float32', bytes: 4 }],
  [64, { name: 'float64', bytes: 8 }],
  [512, { name: 'uint16', bytes: 2 }],
]);

export function parseNifti(bytes: Uint8Array): NiftiVolume {
  if (bytes.byteLength < HEADER_SIZE)
    throw new Error(`NIfTI: ${bytes.byteLength} bytes is shorter than a header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // sizeof_hdr must read 348; whichever byte order makes it so is the file's.
  let little = true;
  if (view.getInt32(0, true) !== HEADER_SIZE) {
    if (view.getInt32(0, false) !== HEADER_SIZE) throw new Error('NIfTI: not a NIfTI-1 header (sizeof_hdr)');
    little = false;
  }
  const magic = String.fromCharCode(bytes[344]!, bytes[345]!, bytes[346]!);
  if (magic !== 'n+1' && magic !== 'ni1') throw new Error(`NIfTI: unexpected magic '${magic}'`);
  if (magic === 'ni1') throw new Error('NIfTI: two-file (.hdr/.img) pairs are not supported');

  const i16 = (o: number): number => view.getInt16(o, little);
  const f32 = (o: number): number => view.getFloat32(o, little);

  const rank = i16(40);
  if (rank < 1 || rank > 7) throw new Error(`NIfTI: invalid dim[0] ${rank}`);
  // Missing trailing dimensions count as 1 (a 2-D image is a one-slice volume).
  const dimAt = (n: number): number => (n <= rank ? Math.max(1, i16(40 + 2 * n)) : 1);
  const dims: [number, number, number] = [dimAt(1), dimAt(2), dimAt(3)];

  const datatype = i16(70);
  const type = DATATYPES.get(datatype);
  if (!type) throw new Error(`NIfTI: unsupported datatype ${datatype}`);

  const pixdim = (n: number): number => f32(76 + 4 * n);
  const spacing: [number, number, number] = [pixdim(1), pixdim(2), pixdim(3)].map((v) =>
    Number.isFinite(v) && v !== 0 ? Math.abs(v) : 1,
  ) as [number, number, number];

  const voxOffset = Math.floor(f32(108));
  const count = dims[0] * dims[1] * dims[2];
  const end = voxOffset + count * type.bytes;
  if (voxOffset < HEADER_SIZE || end > bytes.byteLength) {
    throw new Error(`NIfTI: data needs bytes ${voxOffset}..${end} but the file has ${bytes.byteLength}`);
  }

  let slope = f32(112);
  let inter = f32(116);
  // The standard says a slope of 0 means "no scaling".
  if (!Number.isFinite(slope) || slope === 0) {
    slope = 1;
    inter = 0;
  }
  if (!Number.isFinite(inter)) inter = 0;

  const data = readVoxels(view, voxOffset, count, datatype, little);
  if (slope !== 1 || inter !== 0) for (let n = 0; n < count; n++) data[n] = data[n]! * slope + inter;

  const { affine, source } = readAffine(i16, f32, spacing);
  return { dims, affine, affineSource: source, spacing, datatype, data };
}

function readVoxels(
  view: DataView,
  offset: number,
  count: number,
  datatype: number,
  little: boolean,
): Float32Array {
  const out = new Float32Array(count);
  // DataView getters cost more than typed-array reads, but they handle either byte order and any alignment.
  switch (datatype) {
    case 2:
      // Bytes have no order: copy them straight through.
      out.set(new Uint8Array(view.buffer, view.byteOffset + offset, count));
      break;
    case 4:
      for (let n = 0; n < count; n++) out[n] = view.getInt16(offset + 2 * n, little);
      break;
    case 512:
      for (let n = 0; n < count; n++) out[n] = view.getUint16(offset + 2 * n, little);
      break;
    case 8:
      for (let n = 0; n < count; n++) out[n] = view.getInt32(offset + 4 * n, little);
      break;
    case 16:
      for (let n = 0; n < count; n++) out[n] = view.getFloat32(offset + 4 * n, little);
      break;
    case 64:
      for (let n = 0; n < count; n++) out[n] = view.getFloat64(offset + 8 * n, little);
      break;
    default:
      throw new Error(`NIfTI: unsupported datatype ${datatype}`);
  }
  return out;
}

function readAffine(
  i16: (o: number) => number,
  f32: (o: number) => number,
  spacing: readonly [number, number, number],
): { affine: Affine; source: NiftiVolume['affineSource'] } {
  const qformCode = i16(252);
  const sformCode = i16(254);
  if (sformCode > 0) {
    const row = (o: number): number[] => [f32(o), f32(o + 4), f32(o + 8), f32(o + 12)];
    return { affine: [...row(280), ...row(296), ...row(312), 0, 0, 0, 1], source: 'sform' };
  }
  if (qformCode > 0) return { affine: qformAffine(f32, spacing), source: 'qform' };
  // Method 1 of the standard: scaling only, no orientation information.
  const [dx, dy, dz] = spacing;
  return { affine: [dx, 0, 0, 0, 0, dy, 0, 0, 0, 0, dz, 0, 0, 0, 0, 1], source: 'pixdim' };
}

/** Quaternion to rotation as the NIfTI-1 standard defines it (method 2). */
function qformAffine(f32: (o: number) => number, spacing: readonly [number, number, number]): Affine {
  const b = f32(256);
  const c = f32(260);
  const d = f32(264);
  // a is implied; rounding in the stored b,c,d can push 1-b²-c²-d² slightly below zero.
  const a = Math.sqrt(Math.max(0, 1 - (b * b + c * c + d * d)));
  const qfac = f32(76) < 0 ? -1 : 1;
  const [dx, dy, dz] = [spacing[0], spacing[1], spacing[2] * qfac];
  const r = [
    [a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)],
    [2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b)],
    [2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - b * b - c * c],
  ];
  const offset = [f32(268), f32(272), f32(276)];
  const out: number[] = [];
  for (let row = 0; row < 3; row++) {
    const rr = r[row]!;
    out.push(rr[0]! * dx, rr[1]! * dy, rr[2]! * dz, offset[row]!);
  }
  out.push(0, 0, 0, 1);
  return out;
}
