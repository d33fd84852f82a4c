import { describe, expect, it } from 'vitest';
import { instanceRecordHead, readInstanceRecords, type InstanceRecord } from './instance-batch-records';

/** A stream of these bytes cut into chunks of `chunkBytes`. */
function streamOf(bytes: Uint8Array, chunkBytes: number): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + chunkBytes));
      offset += chunkBytes;
    },
  });
}

function reply(files: ReadonlyArray<readonly [number, Uint8Array]>): Uint8Array {
  const parts = files.flatMap(([id, bytes]) => [instanceRecordHead(id, bytes.length), bytes]);
  const all = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    all.set(part, offset);
    offset += part.length;
  }
  return all;
}

async function records(stream: ReadableStream<Uint8Array>): Promise<Array<[number, number[]]>> {
  const read: InstanceRecord[] = [];
  for await (const record of readInstanceRecords(stream)) read.push(record);
  return read.map(({ instanceId, bytes }) => [instanceId, [...new Uint8Array(bytes)]]);
}

describe('instance batch records', () => {
  const files = [
    [7, Uint8Array.from({ length: 1000 }, (_, i) => i % 251)],
    [4_000_000_000, new Uint8Array(0)],
    [12, Uint8Array.of(1, 2, 3)],
  ] as const;
  const expected = files.map(([id, bytes]) => [id, [...bytes]]);

  it.each([1, 3, 7, 8, 9, 1000, 1_000_000])(
    'reads every file whole when the stream cuts chunks of %i bytes',
    async (chunk) => {
      expect(await records(streamOf(reply(files), chunk))).toEqual(expected);
    },
  );

  it('gives each file an ArrayBuffer of its own, the file and no more', async () => {
    for await (const { bytes } of readInstanceRecords(streamOf(reply(files), 4096)))
      expect([0, 3, 1000]).toContain(bytes.byteLength);
  });

  it('reads an empty reply as no records', async () => {
    expect(await records(streamOf(new Uint8Array(0), 8))).toEqual([]);
  });

  it('refuses a reply that ends inside a head or inside a file, after the records that were whole', async () => {
    const whole = reply(files);
    const read: number[] = [];
    const cutInFile = async () => {
      for await (const { instanceId } of readInstanceRecords(streamOf(whole.slice(0, whole.length - 1), 64)))
        read.push(instanceId);
    };
    await expect(cutInFile()).rejects.toThrow('ended inside a record');
    expect(read).toEqual([7, 4_000_000_000]);
    await expect(records(streamOf(whole.slice(0, 1008 + 5), 64))).rejects.toThrow('ended inside a record');
  });
});
