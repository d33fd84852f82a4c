/**
 * Decodes a text element with the file's Specific Character Set. ISO_IR 192 is UTF-8; the
 * single-byte default and Latin-1 sets are read as latin1. Other sets arrive with the library issue.
 */
import type { DataSet } from 'dicom-parser';

const utf8 = new TextDecoder('utf-8');
const latin1 = new TextDecoder('latin1');

export function decodeDicomText(ds: DataSet, tag: string, specificCharacterSet: string): string {
  const element = ds.elements[tag];
  if (!element || element.length <= 0) return '';
  const bytes = ds.byteArray.subarray(element.dataOffset, element.dataOffset + element.length);
  const decoder = /ISO_IR 192/i.test(specificCharacterSet) ? utf8 : latin1;
  return decoder.decode(bytes).replace(/\0/g, '').trim();
}
