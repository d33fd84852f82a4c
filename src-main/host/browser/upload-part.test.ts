import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { uploadPartHead, type UploadPartEntry } from '../../../src-shared/http-protocol';
import { receiveUploadPart, UploadPartError } from './upload-part';

/** A part's body, cut into chunks of `chunk` bytes (so heads and files straddle chunk edges). */
function body(entries: readonly UploadPartEntry[], files: readonly Buffer[], chunk: number): Readable {
  const whole = Buffer.concat([uploadPartHead(entries), ...files]);
  const chunks: Buffer[] = [];
  for (let at = 0; at < whole.length; at += chunk) chunks.push(whole.subarray(at, at + chunk));
  return Readable.from(chunks);
}

describe('receiveUploadPart', () => {
  const files = [Buffer.from('first file'), Buffer.alloc(0), Buffer.from('the third, longer file')];
  const entries = [
    { name: 'study/a.dcm', size: files[0]!.length },
    { name: 'study/empty.dcm', size: 0 },
    { name: 'ünïcode/c.dcm', size: files[2]!.length },
  ];

  for (const chunk of [1, 3, 7, 1000])
    it(`stores each listed file with the name the user gave (chunks of ${chunk} bytes)`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'lumen-upload-part-'));
      const sources = await receiveUploadPart(body(entries, files, chunk), dir, 5);
      expect(sources.map((source) => source.displayName)).toEqual(entries.map((entry) => entry.name));
      expect(sources.map((source) => source.path)).toEqual([0, 1, 2].map((k) => join(dir, `5-${k}.dcm`)));
      sources.forEach((source, k) => expect(readFileSync(source.path)).toEqual(files[k]));
    });

  it('refuses a body shorter than its manifest says, or longer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lumen-upload-part-'));
    const short = body(entries, [files[0]!, files[2]!.subarray(1)], 4);
    await expect(receiveUploadPart(short, dir, 0)).rejects.toThrow(/cut short/);
    const long = body(entries, [...files, Buffer.from('x')], 4);
    await expect(receiveUploadPart(long, dir, 1)).rejects.toThrow(/more bytes than its manifest lists/);
    const headless = Readable.from([Buffer.from([1, 0])]);
    await expect(receiveUploadPart(headless, dir, 2)).rejects.toThrow(/cut short/);
    // The files that had arrived are removed with their part.
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a manifest that is not a list of names and sizes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lumen-upload-part-'));
    for (const manifest of [
      [],
      [{ name: 'a', size: -1 }],
      [{ name: 3, size: 1 }],
      [{ name: 'a', size: 1.5 }],
    ]) {
      const part = body(manifest as UploadPartEntry[], [Buffer.from('x')], 64);
      await expect(receiveUploadPart(part, dir, 0)).rejects.toBeInstanceOf(UploadPartError);
    }
    const garbage = Buffer.from([5, 0, 0, 0, ...Buffer.from('{nope')]);
    await expect(receiveUploadPart(Readable.from([garbage]), dir, 0)).rejects.toThrow(/not JSON/);
    expect(readdirSync(dir)).toEqual([]);
  });
});
