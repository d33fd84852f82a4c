import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseNifti } from './nifti';

const SHARED = path.resolve(__dirname, '../../shared');
const NIFTI_DIR = path.join(SHARED, 'dicom/nifti');
const haveShared = fs.existsSync(NIFTI_DIR);
if (!haveShared) console.warn(`nifti tests on real files skipped: ${NIFTI_DIR} is absent`);

function readNifti(name: string): Uint8Array {
  const raw = fs.readFileSync(path.join(NIFTI_DIR, name));
  return name.endsWith('.gz') ? zlib.gunzipSync(raw) : raw;
}

interface Synthetic {
  little: boolean;
  datatype: number;
  bytesPer: number;
  values: number[];
  write: (v: DataView, o: number, x: number, little: boolean) => void;
  slope?: number;
  inter?: number;
  qform?: { b: number; c: number; d: number; qfac: number; offset: [number, number, number] };
}

/** A 2x1x2 single-file NIfTI-1 built by hand. */
function synthetic(s: Synthetic): Uint8Array {
  const bytes = new Uint8Array(352 + s.values.length * s.bytesPer);
  const v = new DataView(bytes.buffer);
  const le = s.little;
  v.setInt32(0, 348, le);
  [3, 2, 1, 2, 1, 1, 1, 1].forEach((d, n) => v.setInt16(40 + 2 * n, d, le));
  v.setInt16(70, s.datatype, le);
  v.setInt16(72, s.bytesPer * 8, le);
  [s.qform?.qfac ?? 1, 2, 3, 4].forEach((p, n) => v.setFloat32(76 + 4 * n, p, le));
  v.setFloat32(108, 352, le);
  v.setFloat32(112, s.slope ?? 0, le);
  v.setFloat32(116, s.inter ?? 0, le);
  if (s.qform) {
    v.setInt16(252, 1, le);
    [s.qform.b, s.qform.c, s.qform.d, ...s.qform.offset].forEach((q, n) => v.setFloat32(256 + 4 * n, q, le));
  }
  bytes.set([0x6e, 0x2b, 0x31, 0], 344); // 'n+1\0'
  s.values.forEach((x, n) => s.write(v, 352 + n * s.bytesPer, x, le));
  return bytes;
}

describe('parseNifti (synthetic headers)', () => {
  it('reads int16 big-endian with scl_slope/scl_inter, pixdim affine when no qform/sform', () => {
    const nii = parseNifti(
      synthetic({
        little: false,
        datatype: 4,
        bytesPer: 2,
        values: [-3, 0, 7, 1000],
        write: (v, o, x, le) => v.setInt16(o, x, le),
        slope: 2,
        inter: 1,
      }),
    );
    expect(nii.dims).toEqual([2, 1, 2]);
    expect(Array.from(nii.data)).toEqual([-5, 1, 15, 2001]);
    expect(nii.affineSource).toBe('pixdim');
    expect(nii.affine).toEqual([2, 0, 0, 0, 0, 3, 0, 0, 0, 0, 4, 0, 0, 0, 0, 1]);
  });

  it.each([
    {
      datatype: 512,
      bytesPer: 2,
      write: (v: DataView, o: number, x: number, le: boolean) => v.setUint16(o, x, le),
    },
    {
      datatype: 8,
      bytesPer: 4,
      write: (v: DataView, o: number, x: number, le: boolean) => v.setInt32(o, x, le),
    },
    {
      datatype: 16,
      bytesPer: 4,
      write: (v: DataView, o: number, x: number, le: boolean) => v.setFloat32(o, x, le),
    },
    {
      datatype: 64,
      bytesPer: 8,
      write: (v: DataView, o: number, x: number, le: boolean) => v.setFloat64(o, x, le),
    },
    { datatype: 2, bytesPer: 1, write: (v: DataView, o: number, x: number) => v.setUint8(o, x) },
  ])('reads datatype $datatype in both byte orders', ({ datatype, bytesPer, write }) => {
    for (const little of [true, false]) {
      const nii = parseNifti(synthetic({ little, datatype, bytesPer, values: [1, 2, 250, 65], write }));
      expect(Array.from(nii.data)).toEqual([1, 2, 250, 65]);
      expect(nii.datatype).toBe(datatype);
    }
  });

  it('builds the affine from the qform quaternion when sform_code is 0, honouring qfac', () => {
    // b=c=0, d=1: 180 degrees about z, so R = diag(-1,-1,1); qfac -1 flips the third column.
    const nii = parseNifti(
      synthetic({
        little: true,
        datatype: 2,
        bytesPer: 1,
        values: [0, 0, 0, 0],
        write: (v, o, x) => v.setUint8(o, x),
        qform: { b: 0, c: 0, d: 1, qfac: -1, offset: [10, 20, 30] },
      }),
    );
    expect(nii.affineSource).toBe('qform');
    // + 0 turns the -0 of exact rotation arithmetic into 0 for the comparison.
    expect(nii.affine.map((v) => v + 0)).toEqual([-2, 0, 0, 10, 0, -3, 0, 20, 0, 0, -4, 30, 0, 0, 0, 1]);
  });

  it('rejects what it cannot read', () => {
    expect(() => parseNifti(new Uint8Array(10))).toThrow(/shorter/);
    expect(() => parseNifti(new Uint8Array(400))).toThrow(/sizeof_hdr/);
    const bad = synthetic({ little: true, datatype: 128, bytesPer: 3, values: [], write: () => undefined });
    expect(() => parseNifti(bad)).toThrow(/datatype 128/);
    const truncated = synthetic({
      little: true,
      datatype: 16,
      bytesPer: 4,
      values: [1, 2, 3, 4],
      write: (v, o, x, le) => v.setFloat32(o, x, le),
    }).subarray(0, 360);
    expect(() => parseNifti(truncated)).toThrow(/data needs bytes/);
  });
});

describe.skipIf(!haveShared)('parseNifti (files in ../shared/dicom/nifti)', () => {
  const near = (a: number, b: number): boolean => Math.abs(a - b) < 1e-6;
  /** Column c of the 3x3 part of a row-major 4x4. */
  const column = (m: readonly number[], c: number): number[] => [m[c]!, m[4 + c]!, m[8 + c]!];

  it('reads the brainchop sample as 256^3 uint8 LIA 1 mm', () => {
    const nii = parseNifti(readNifti('brainchop_t1_crop.nii.gz'));
    expect(nii.dims).toEqual([256, 256, 256]);
    expect(nii.datatype).toBe(2);
    expect(nii.affineSource).toBe('sform');
    const expected = [
      [-1, 0, 0],
      [0, 0, -1],
      [0, 1, 0],
    ];
    expected.forEach((col, c) =>
      column(nii.affine, c).forEach((v, r) => expect(near(v, col[r]!)).toBe(true)),
    );
    let max = 0;
    for (const v of nii.data) if (v > max) max = v;
    expect(max).toBeGreaterThan(100);
    expect(max).toBeLessThanOrEqual(255);
  });

  it('reads the big-endian nibabel sample', () => {
    const nii = parseNifti(readNifti('nibabel_anatomical_bigendian.nii'));
    expect(nii.dims).toEqual([33, 41, 25]);
    expect(nii.datatype).toBe(4);
    expect(nii.affine).toEqual([-2, 0, 0, 32, 0, 2, 0, -40, 0, 0, 2, -16, 0, 0, 0, 1]);
    // Reference figures read independently (Python array.byteswap); a little-endian misread gives
    // a mean near 0 and values over the whole int16 range.
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (const v of nii.data) {
      sum += v;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    expect([min, max]).toEqual([-610, 30393]);
    expect(sum / nii.data.length).toBeCloseTo(8401.07, 1);
    expect([nii.data[0], nii.data[1000], nii.data[12345]]).toEqual([10712, 4222, 11888]);
  });

  it('applies scl_slope on the IXI sample and reads its permuted sform', () => {
    const nii = parseNifti(readNifti('IXI012-HH-1211_T1_2mm.nii.gz'));
    expect(nii.dims).toEqual([120, 120, 90]);
    expect(nii.spacing).toEqual([2, 2, 2]);
    // uint8 times a slope of about 13.9: values beyond 255 prove the scaling happened.
    let max = 0;
    for (const v of nii.data) if (v > max) max = v;
    expect(max).toBeGreaterThan(255);
    expect(column(nii.affine, 0).map((v) => Math.round(v) + 0)).toEqual([0, -2, 0]);
    expect(column(nii.affine, 1).map((v) => Math.round(v) + 0)).toEqual([0, 0, 2]);
    expect(column(nii.affine, 2).map((v) => Math.round(v) + 0)).toEqual([2, 0, 0]);
  });
});
