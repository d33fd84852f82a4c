/** Deflated files rewritten as explicit VR little endian: same data set, readable without an inflater. */
import { readFileSync } from 'node:fs';
import * as dicomParser from 'dicom-parser';
import { describe, expect, it } from 'vitest';
import { DeflatedFileError, inflatePart10 } from './deflated-part10';
import { parseFile } from '../../test-support/dicom-reference';
import { hasSharedData, sharedPath } from '../../test-support/shared-data';

const DEFLATED = ['image_dfl.dcm', 'report_dfl.dcm', 'wave_dfl.dcm'];

/** Bytes of the meta elements after (0002,0000), which its value must count. */
function metaBytesAfterGroupLength(bytes: Uint8Array): number {
  const meta = dicomParser.readPart10Header(bytes);
  const elements = Object.values(meta.elements).filter((element) => element.tag !== 'x00020000');
  const end = Math.max(...elements.map((element) => element.dataOffset + element.length));
  return end - meta.elements['x00020000']!.dataOffset - 4;
}

describe.skipIf(!hasSharedData)('deflated files', () => {
  for (const name of DEFLATED) {
    it(`${name}: the same elements, now explicit VR little endian`, () => {
      const path = sharedPath('dicom/transfer_syntax/deflate', name);
      const original = parseFile(path);
      const rewritten = inflatePart10(new Uint8Array(readFileSync(path)));
      // No inflater given: the parse fails unless the data set really is explicit little endian now.
      const parsed = dicomParser.parseDicom(rewritten);
      expect(parsed.string('x00020010')).toBe('1.2.840.10008.1.2.1');
      expect(parsed.uint32('x00020000')).toBe(metaBytesAfterGroupLength(rewritten));
      // Every element carries the bytes the inflated original has (dicom-parser's own inflating
      // parse also reads the preamble as elements, so the comparison runs from the rewritten side).
      const elements = Object.values(parsed.elements).filter((element) => !element.tag.startsWith('x0002'));
      expect(elements.length).toBeGreaterThan(10);
      const bytesOf = (ds: dicomParser.DataSet, tag: string): Buffer => {
        const element = ds.elements[tag]!;
        return Buffer.from(ds.byteArray.subarray(element.dataOffset, element.dataOffset + element.length));
      };
      for (const element of elements)
        expect(bytesOf(parsed, element.tag)).toEqual(bytesOf(original, element.tag));
      // The whole stream was read as elements (but a final sequence's 8-byte delimiter).
      const last = Math.max(...elements.map((element) => element.dataOffset + element.length));
      expect(rewritten.length - last).toBeGreaterThanOrEqual(0);
      expect(rewritten.length - last).toBeLessThanOrEqual(8);
      for (const tag of ['x00080018', 'x00080016', 'x00080060', 'x0020000d']) {
        expect(parsed.string(tag)).toBe(original.string(tag));
      }
    });
  }

  it('the image keeps every pixel byte', () => {
    const path = sharedPath('dicom/transfer_syntax/deflate/image_dfl.dcm');
    const original = parseFile(path);
    const parsed = dicomParser.parseDicom(inflatePart10(new Uint8Array(readFileSync(path))));
    const pixels = (ds: dicomParser.DataSet): Uint8Array => {
      const element = ds.elements['x7fe00010']!;
      return ds.byteArray.subarray(element.dataOffset, element.dataOffset + element.length);
    };
    expect(pixels(parsed).length).toBe(512 * 512);
    expect(Buffer.compare(pixels(parsed), pixels(original))).toBe(0);
  });

  it('refuses a file that is not deflated, and a deflated stream cut short', () => {
    const plain = readFileSync(
      sharedPath('dicom/transfer_syntax/nema_ct1/CT1_UNC.explicit_little_endian.dcm'),
    );
    expect(() => inflatePart10(new Uint8Array(plain))).toThrow(DeflatedFileError);
    expect(() => inflatePart10(new Uint8Array(64))).toThrow(/DICM/);
    const whole = readFileSync(sharedPath('dicom/transfer_syntax/deflate/image_dfl.dcm'));
    // Cut inside the meta group.
    expect(() => inflatePart10(new Uint8Array(whole.subarray(0, 150)))).toThrow(DeflatedFileError);
  });
});
