/**
 * Writes ZIP archives for tests and benchmarks, entry by entry straight to a file: stored or
 * deflated entries, any name (hostile ones included), no ZIP64 (under 65,535 entries and 4 GB).
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipEntryInput {
  readonly name: string;
  readonly data: Uint8Array;
  /** Deflate (the default) or store. */
  readonly method?: 'deflate' | 'store';
}

const UTF8_NAMES = 0x800;

export class ZipWriter {
  readonly #fd: number;
  readonly #central: Buffer[] = [];
  #offset = 0;
  #count = 0;

  constructor(path: string) {
    this.#fd = openSync(path, 'w');
  }

  add({ name, data, method = 'deflate' }: ZipEntryInput): void {
    const nameBytes = Buffer.from(name, 'utf8');
    const body = method === 'deflate' ? deflateRawSync(data, { level: 1 }) : data;
    const fields = {
      method: method === 'deflate' ? 8 : 0,
      crc: crc32(data),
      compressed: body.length,
      size: data.length,
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(UTF8_NAMES, 6);
    local.writeUInt16LE(fields.method, 8);
    local.writeUInt32LE(fields.crc, 14);
    local.writeUInt32LE(fields.compressed, 18);
    local.writeUInt32LE(fields.size, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(UTF8_NAMES, 8);
    central.writeUInt16LE(fields.method, 10);
    central.writeUInt32LE(fields.crc, 16);
    central.writeUInt32LE(fields.compressed, 20);
    central.writeUInt32LE(fields.size, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(this.#offset, 42);
    this.#central.push(central, nameBytes);
    for (const part of [local, nameBytes, body]) this.#offset += writeSync(this.#fd, part);
    this.#count++;
  }

  close(): void {
    const start = this.#offset;
    let size = 0;
    for (const part of this.#central) size += writeSync(this.#fd, part);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.#count, 8);
    end.writeUInt16LE(this.#count, 10);
    end.writeUInt32LE(size, 12);
    end.writeUInt32LE(start, 16);
    writeSync(this.#fd, end);
    closeSync(this.#fd);
  }
}

/** A whole ZIP in one go. */
export function writeZip(path: string, entries: readonly ZipEntryInput[]): void {
  const zip = new ZipWriter(path);
  for (const entry of entries) zip.add(entry);
  zip.close();
}
