import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { naturalizePart10Buffer } from '@cornerstonejs/metadata/utilities/metadataProvider/naturalizedHandlers';
import { describe, expect, it } from 'vitest';
import { hasSharedData, sharedPath } from '../../test-support/shared-data';
import { unwrapNaturalized, wrapNaturalized } from './naturalizedTransfer';

/** Deflated Explicit VR Little Endian. */
const DEFLATED = '1.2.840.10008.1.2.1.99';

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : entry.isFile() ? [join(dir, entry.name)] : [],
  );

const digest = (bytes: ArrayBufferView | ArrayBuffer): string =>
  createHash('sha1')
    .update(
      ArrayBuffer.isView(bytes)
        ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
        : new Uint8Array(bytes),
    )
    .digest('hex');

/**
 * A naturalized value as plain data that equality can see whole: bulk data by its bytes' digest,
 * and whether an item is array-like (which equality would not see, its `0` and `length` not
 * being enumerable).
 */
function shape(value: unknown): unknown {
  if (value instanceof ArrayBuffer) return { arrayBuffer: digest(value), bytes: value.byteLength };
  if (ArrayBuffer.isView(value)) return { view: value.constructor.name, bytes: digest(value) };
  if (Array.isArray(value)) return value.map(shape);
  if (typeof value !== 'object' || value === null) return value;
  const item = value as Record<string | number | symbol, unknown> & { length?: number };
  const arrayLike =
    item[0] === item && item.length === 1 && [...(item as unknown as Iterable<unknown>)][0] === item;
  return { arrayLike, entries: Object.entries(item).map(([key, child]) => [key, shape(child)]) };
}

const arrayBuffersIn = (value: unknown): ArrayBuffer[] =>
  value instanceof ArrayBuffer
    ? [value]
    : Array.isArray(value)
      ? value.flatMap(arrayBuffersIn)
      : typeof value === 'object' && value !== null && !ArrayBuffer.isView(value)
        ? Object.values(value).flatMap(arrayBuffersIn)
        : [];

describe.skipIf(!hasSharedData)('a naturalized data set posted to another thread', () => {
  it('arrives equal, array-like items and all, its bulk data moved rather than copied, for every file of the shared corpus', async () => {
    let compared = 0;
    let withArrayLikeItems = 0;
    let withPixelData = 0;
    for (const file of filesUnder(sharedPath('dicom'))) {
      const bytes = readFileSync(file);
      // Part 10 files as the library serves them: dcmjs reads a text file as a data set, and a
      // deflated one as garbage (the library inflates those before serving them).
      if (bytes.toString('latin1', 128, 132) !== 'DICM') continue;
      if (bytes.toString('latin1', 132, 1024).includes(DEFLATED)) continue;
      let naturalized: Record<string, unknown>;
      try {
        naturalized = (await naturalizePart10Buffer(new Uint8Array(bytes))) as Record<string, unknown>;
      } catch {
        continue; // One of the malformed files.
      }
      if (typeof naturalized.SOPClassUID !== 'string') continue; // Read as garbage: malformed.
      const expected = shape(naturalized);
      const { parcel, transfer } = wrapNaturalized(naturalized);
      const received = unwrapNaturalized(structuredClone(parcel, { transfer }));
      expect(shape(received), file).toEqual(expected);
      expect(
        arrayBuffersIn(naturalized).every((buffer) => buffer.byteLength === 0),
        `${file}: every buffer moved`,
      ).toBe(true);
      compared++;
      if (parcel.arrayLike.length > 0) withArrayLikeItems++;
      if (naturalized.PixelData !== undefined) withPixelData++;
    }
    // 598 files, 545 with pixel data and 586 with an item of a one-item sequence, when written.
    expect(compared).toBeGreaterThan(500);
    expect(withPixelData).toBeGreaterThan(500);
    expect(withArrayLikeItems).toBeGreaterThan(500);
  });
});
