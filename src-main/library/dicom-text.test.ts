/**
 * Character sets, with the byte strings of the examples in DICOM PS3.5 Annexes H, I, J (person
 * names in Japanese, Korean, Chinese) and a few single-byte sets; then through a whole file.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readInstanceHeader } from './dicom-header';
import { decodeText } from './dicom-text';
import { minimalImage } from '../../test-support/dicom-writer';

const hex = (text: string): Uint8Array =>
  Uint8Array.from(text.split(/\s+/).map((h) => Number.parseInt(h, 16)));

const JAPANESE_IR87 = hex(
  '59 61 6d 61 64 61 5e 54 61 72 6f 75 3d 1b 24 42 3b 33 45 44 1b 28 42 5e 1b 24 42 42 40 4f 3a 1b 28 42 3d ' +
    '1b 24 42 24 64 24 5e 24 40 1b 28 42 5e 1b 24 42 24 3f 24 6d 24 26 1b 28 42',
);
const JAPANESE_IR13 = hex(
  'd4 cf c0 de 5e c0 db b3 3d 1b 24 42 3b 33 45 44 1b 28 4a 5e 1b 24 42 42 40 4f 3a 1b 28 4a 3d ' +
    '1b 24 42 24 64 24 5e 24 40 1b 28 4a 5e 1b 24 42 24 3f 24 6d 24 26 1b 28 4a',
);
// Mori^Ogai=森^鷗外=もり^おうがい: 鷗 is only in JIS X 0212 (ESC $ ( D, then 6c 3f).
const JAPANESE_IR159 = hex(
  '4d 6f 72 69 5e 4f 67 61 69 3d 1b 24 42 3f 39 1b 28 42 5e 1b 24 28 44 6c 3f 1b 24 42 33 30 1b 28 42 3d ' +
    '1b 24 42 24 62 24 6a 1b 28 42 5e 1b 24 42 24 2a 24 26 24 2c 24 24 1b 28 42',
);
const KOREAN_IR149 = hex(
  '48 6f 6e 67 5e 47 69 6c 64 6f 6e 67 3d 1b 24 29 43 fb f3 5e 1b 24 29 43 d1 ce d4 d7 3d ' +
    '1b 24 29 43 c8 ab 5e 1b 24 29 43 b1 e6 b5 bf',
);
const CHINESE_GB18030 = hex('57 61 6e 67 5e 58 69 61 6f 44 6f 6e 67 3d cd f5 5e d0 a1 b6 ab 3d');

describe('Specific Character Set', () => {
  it('decodes ISO 2022 Japanese (IR 87, IR 13 + IR 87), component by component', () => {
    expect(decodeText(JAPANESE_IR87, '\\ISO 2022 IR 87')).toBe('Yamada^Tarou=山田^太郎=やまだ^たろう');
    expect(decodeText(JAPANESE_IR13, 'ISO 2022 IR 13\\ISO 2022 IR 87')).toBe(
      'ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう',
    );
  });

  it('decodes JIS X 0212 (ISO 2022 IR 159) beside JIS X 0208', () => {
    expect(decodeText(JAPANESE_IR159, '\\ISO 2022 IR 87\\ISO 2022 IR 159')).toBe(
      'Mori^Ogai=森^鷗外=もり^おうがい',
    );
  });

  it('decodes ISO 2022 IR 149 Korean', () => {
    expect(decodeText(KOREAN_IR149, '\\ISO 2022 IR 149')).toBe('Hong^Gildong=洪^吉洞=홍^길동');
  });

  it('decodes GB18030, UTF-8 and single-byte sets', () => {
    expect(decodeText(CHINESE_GB18030, 'GB18030')).toBe('Wang^XiaoDong=王^小东=');
    expect(decodeText(new TextEncoder().encode('Wang^XiaoDong=王^小東='), 'ISO_IR 192')).toBe(
      'Wang^XiaoDong=王^小東=',
    );
    expect(decodeText(hex('42 75 63 5e 4a e9 72 f4 6d 65'), 'ISO_IR 100')).toBe('Buc^Jérôme');
    expect(decodeText(hex('c4 e9 ef ed f5 f3 e9 ef f2'), 'ISO_IR 126')).toBe('Διονυσιος');
    expect(decodeText(hex('bb ee da e1 d5 dc d1 e3 e0 d3'), 'ISO_IR 144')).toBe('Люксембург');
    // No Specific Character Set: the default repertoire.
    expect(decodeText(hex('44 6f 65 5e 4a 6f 68 6e'), '')).toBe('Doe^John');
  });

  it('reads the names from a whole file, as the importer does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lumen-charset-'));
    const cases: Array<readonly [string, Uint8Array, string]> = [
      ['\\ISO 2022 IR 149', KOREAN_IR149, 'Hong^Gildong=洪^吉洞=홍^길동'],
      ['\\ISO 2022 IR 87', JAPANESE_IR87, 'Yamada^Tarou=山田^太郎=やまだ^たろう'],
      ['GB18030', CHINESE_GB18030, 'Wang^XiaoDong=王^小东='],
      ['\\ISO 2022 IR 87\\ISO 2022 IR 159', JAPANESE_IR159, 'Mori^Ogai=森^鷗外=もり^おうがい'],
    ];
    for (const [index, [charset, name, expected]] of cases.entries()) {
      const path = join(dir, `${index}.dcm`);
      writeFileSync(
        path,
        minimalImage(`1.2.826.0.1.99.${index + 10}`, [
          { tag: '00080005', vr: 'CS', value: charset },
          { tag: '00100010', vr: 'PN', value: name },
        ]),
      );
      const result = await readInstanceHeader(path);
      expect(result.kind).toBe('instance');
      if (result.kind === 'instance') expect(result.header.patientName).toBe(expected);
    }
  });
});
