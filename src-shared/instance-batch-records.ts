/**
 * The records of an instance batch reply (instanceBatchPath): for each instance, its id and byte
 * length (uint32 little-endian each), then its bytes.
 */
const HEAD_BYTES = 8;

/** The head of one instance's record. */
export function instanceRecordHead(instanceId: number, byteLength: number): Uint8Array<ArrayBuffer> {
  const head = new DataView(new ArrayBuffer(HEAD_BYTES));
  head.setUint32(0, instanceId, true);
  head.setUint32(4, byteLength, true);
  return new Uint8Array(head.buffer);
}

/** One instance of a batch reply, its file in an ArrayBuffer of its own. */
export interface InstanceRecord {
  readonly instanceId: number;
  readonly bytes: ArrayBuffer;
}

/** The records of a batch reply as each completes, however the stream cuts its chunks. */
export async function* readInstanceRecords(body: ReadableStream<Uint8Array>): AsyncGenerator<InstanceRecord> {
  const head = new Uint8Array(HEAD_BYTES);
  let headFilled = 0;
  let file: { instanceId: number; bytes: Uint8Array<ArrayBuffer>; filled: number } | null = null;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      let offset = 0;
      while (offset < value.length) {
        if (!file) {
          const taken = Math.min(HEAD_BYTES - headFilled, value.length - offset);
          head.set(value.subarray(offset, offset + taken), headFilled);
          headFilled += taken;
          offset += taken;
          if (headFilled < HEAD_BYTES) break;
          const view = new DataView(head.buffer);
          file = {
            instanceId: view.getUint32(0, true),
            bytes: new Uint8Array(view.getUint32(4, true)),
            filled: 0,
          };
          headFilled = 0;
        }
        const taken = Math.min(file.bytes.length - file.filled, value.length - offset);
        file.bytes.set(value.subarray(offset, offset + taken), file.filled);
        file.filled += taken;
        offset += taken;
        if (file.filled === file.bytes.length) {
          yield { instanceId: file.instanceId, bytes: file.bytes.buffer };
          file = null;
        }
      }
    }
  } finally {
    reader.releaseLock();
  }
  if (file || headFilled > 0) throw new Error('The batch reply ended inside a record.');
}
