/**
 * Decodes DICOM text with the file's Specific Character Set (0008,0005), including the ISO 2022
 * code extensions (Japanese IR 13/87/159, Korean IR 149, Chinese GB2312 IR 58) whose escape sequences
 * switch sets inside a value. Node's TextDecoder (full ICU) has every decoder needed, so no
 * library is added.
 */
import { TextDecoder } from 'node:util';
import type { DataSet } from 'dicom-parser';

const ESC = 0x1b;
/** Not a decoder label: JIS X 0212 runs are re-encoded as EUC-JP's 0x8F-prefixed code set 3. */
const JIS_X_0212 = 'jis-x-0212';
/** 7-bit two-byte sets, whose bytes may look like delimiters. */
const TWO_BYTE_G0 = new Set(['iso-2022-jp', JIS_X_0212]);

/** Single-byte and Unicode sets named by the defined terms of PS3.3 C.12.1.1.2. */
const PLAIN_SETS: Readonly<Record<string, string>> = {
  '': 'latin1', // the default repertoire is ASCII, a subset
  ISO_IR_6: 'latin1',
  ISO_IR_100: 'latin1',
  ISO_IR_101: 'iso-8859-2',
  ISO_IR_109: 'iso-8859-3',
  ISO_IR_110: 'iso-8859-4',
  ISO_IR_144: 'iso-8859-5',
  ISO_IR_127: 'iso-8859-6',
  ISO_IR_126: 'iso-8859-7',
  ISO_IR_138: 'iso-8859-8',
  ISO_IR_148: 'windows-1254', // ISO 8859-9, as WHATWG names it
  ISO_IR_203: 'iso-8859-15',
  ISO_IR_166: 'windows-874', // TIS 620
  ISO_IR_13: 'shift_jis', // JIS X 0201: ASCII-like romaji plus half-width katakana in 0xA1-0xDF
  ISO_IR_192: 'utf-8',
  GB18030: 'gb18030',
  GBK: 'gbk',
};

/** What a Specific Character Set value designates when used as the initial set of ISO 2022. */
const EXTENSION_SETS: Readonly<Record<string, string>> = {
  ISO_2022_IR_6: 'latin1',
  ISO_2022_IR_100: 'latin1',
  ISO_2022_IR_101: 'iso-8859-2',
  ISO_2022_IR_109: 'iso-8859-3',
  ISO_2022_IR_110: 'iso-8859-4',
  ISO_2022_IR_144: 'iso-8859-5',
  ISO_2022_IR_127: 'iso-8859-6',
  ISO_2022_IR_126: 'iso-8859-7',
  ISO_2022_IR_138: 'iso-8859-8',
  ISO_2022_IR_148: 'windows-1254',
  ISO_2022_IR_203: 'iso-8859-15',
  ISO_2022_IR_166: 'windows-874',
  ISO_2022_IR_13: 'shift_jis',
  ISO_2022_IR_87: 'latin1', // multi-byte G0 arrives by escape; until then ASCII
  ISO_2022_IR_159: 'latin1',
  ISO_2022_IR_149: 'euc-kr', // KS X 1001 in G1: its bytes are EUC-KR's
  ISO_2022_IR_58: 'gbk', // GB 2312 in G1: its bytes are EUC-CN's, a subset of GBK
};

/** Escape sequences (the bytes after ESC) and the decoder for the text that follows. */
const ESCAPES: ReadonlyArray<readonly [string, string]> = [
  ['(B', 'latin1'], // ASCII in G0
  ['(J', 'shift_jis'], // JIS X 0201 romaji in G0
  [')I', 'shift_jis'], // JIS X 0201 katakana in G1
  ['$B', 'iso-2022-jp'], // JIS X 0208 in G0 (7-bit, two bytes a character)
  ['$(D', JIS_X_0212], // JIS X 0212 in G0 (7-bit, two bytes a character)
  ['$)C', 'euc-kr'], // KS X 1001 in G1
  ['$)A', 'gbk'], // GB 2312 in G1
  ['-A', 'latin1'],
  ['-B', 'iso-8859-2'],
  ['-C', 'iso-8859-3'],
  ['-D', 'iso-8859-4'],
  ['-L', 'iso-8859-5'],
  ['-G', 'iso-8859-6'],
  ['-F', 'iso-8859-7'],
  ['-H', 'iso-8859-8'],
  ['-M', 'windows-1254'],
  ['-b', 'iso-8859-15'],
  ['-T', 'windows-874'],
];

const decoders = new Map<string, TextDecoder>();
function decoder(label: string): TextDecoder {
  let found = decoders.get(label);
  if (!found) {
    found = new TextDecoder(label);
    decoders.set(label, found);
  }
  return found;
}

const termOf = (value: string): string => value.trim().toUpperCase().replace(/[ -]/g, '_');

/** Bytes that end a value component; ISO 2022 designations return to the initial set there. */
const DELIMITERS = new Set([0x5e /* ^ */, 0x3d /* = */, 0x5c /* \ */, 0x0a, 0x0c, 0x0d, 0x09]);

export function decodeText(bytes: Uint8Array, specificCharacterSet: string): string {
  const terms = specificCharacterSet.split('\\').map(termOf);
  const first = terms[0] ?? '';
  const extended = terms.some((term) => term.startsWith('ISO_2022'));
  if (!extended) return decoder(PLAIN_SETS[first] ?? 'latin1').decode(bytes);
  return decodeIso2022(bytes, EXTENSION_SETS[first] ?? 'latin1');
}

function decodeIso2022(bytes: Uint8Array, initial: string): string {
  let out = '';
  let current = initial;
  let start = 0;
  const flush = (end: number): void => {
    if (end <= start) return;
    const run = bytes.subarray(start, end);
    // JIS X 0208 runs are 7-bit: give the decoder its escape back so it knows the set.
    if (current === 'iso-2022-jp') out += decoder(current).decode(Uint8Array.from([ESC, 0x24, 0x42, ...run]));
    else if (current === JIS_X_0212) out += decoder('euc-jp').decode(eucJpCodeSet3(run));
    else out += decoder(current).decode(run);
  };
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (byte === ESC) {
      flush(i);
      const escape = ESCAPES.find(([tail]) =>
        [...tail].every((char, k) => bytes[i + 1 + k] === char.charCodeAt(0)),
      );
      const length = escape ? escape[0].length : 0;
      if (escape) current = escape[1];
      i += length;
      start = i + 1;
    } else if (DELIMITERS.has(byte) && !TWO_BYTE_G0.has(current)) {
      flush(i + 1);
      current = initial;
      start = i + 1;
    }
  }
  flush(bytes.length);
  return out;
}

/** 7-bit JIS X 0212 pairs as EUC-JP writes them: 0x8F, then both bytes with the high bit set. */
function eucJpCodeSet3(run: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i + 1 < run.length; i += 2) out.push(0x8f, run[i]! | 0x80, run[i + 1]! | 0x80);
  return Uint8Array.from(out);
}

export function decodeDicomText(ds: DataSet, tag: string, specificCharacterSet: string): string {
  const element = ds.elements[tag];
  if (!element || element.length <= 0) return '';
  const bytes = ds.byteArray.subarray(element.dataOffset, element.dataOffset + element.length);
  return decodeText(bytes, specificCharacterSet).replace(/\0/g, '').trim();
}
