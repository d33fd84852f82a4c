/**
 * A JPEG lossless decoder (ITU T.81 Process 14: SOF3, Huffman coding): selection values 1 to 7,
 * point transform, restart intervals, precision 2 to 16 bits, one or more components in one
 * interleaved scan or in a scan each, Huffman tables defined in any number of DHT segments.
 * Pure and synchronous, for the renderer's decode workers and main's analysis alike. Each scan is
 * decoded in two passes over the output array: the differences (jpeg-lossless-huffman.ts), then
 * the prediction undone line by line (jpeg-lossless-predict.ts).
 */
import { JpegLosslessError } from './jpeg-lossless-error';
import {
  bitReaderAt,
  buildHuffmanTable,
  decodeDifferences,
  type BitReader,
  type HuffmanTable,
  readPastEnd,
} from './jpeg-lossless-huffman';
import { undoPointTransform, undoPrediction } from './jpeg-lossless-predict';

export { JpegLosslessError } from './jpeg-lossless-error';

export interface LosslessImage {
  readonly width: number;
  readonly height: number;
  readonly components: number;
  /** Bits per sample in the stream (P). */
  readonly precision: number;
  /** Row after row, components interleaved; Uint8Array for 1 byte per sample, Uint16Array for 2. */
  readonly samples: Uint8Array | Uint16Array;
}

interface Frame {
  readonly precision: number;
  readonly height: number;
  readonly width: number;
  /** Component identifiers, in frame order. */
  readonly ids: readonly number[];
}

const SOI = 0xd8;
const EOI = 0xd9;
const SOF3 = 0xc3;
const DHT = 0xc4;
const SOS = 0xda;
const DNL = 0xdc;
const DRI = 0xdd;
const RST0 = 0xd0;
const RST7 = 0xd7;

/**
 * Decodes one JPEG lossless codestream. `bytesPerSample` sets the output's sample width (the
 * default: what the precision needs); values are kept modulo that width.
 */
export function decodeJpegLossless(data: Uint8Array, bytesPerSample?: 1 | 2): LosslessImage {
  if (data[0] !== 0xff || data[1] !== SOI)
    throw new JpegLosslessError('the data is not a JPEG stream (no SOI)');
  const tables: (HuffmanTable | undefined)[] = [];
  let frame: Frame | null = null;
  let samples: Uint8Array | Uint16Array | null = null;
  const decoded = new Set<number>();
  let restartInterval = 0;
  let pos = 2;
  for (;;) {
    const marker = nextMarker(data, pos);
    if (marker < 0) break;
    pos = marker + 2;
    const code = data[marker + 1]!;
    if (code === EOI) break;
    if (code >= RST0 && code <= RST7) continue;
    const length = segmentLength(data, pos);
    const segment = data.subarray(pos + 2, pos + length);
    if (code === DHT) readHuffmanTables(segment, tables);
    else if (code === DRI) restartInterval = readUint16(segment, 0);
    else if (code === SOF3) {
      if (frame) throw new JpegLosslessError('the JPEG stream has more than one frame header');
      frame = readFrame(segment);
      const width = bytesPerSample ?? (frame.precision > 8 ? 2 : 1);
      const size = frame.width * frame.height * frame.ids.length;
      samples = width === 1 ? new Uint8Array(size) : new Uint16Array(size);
    } else if (code === SOS) {
      if (!frame || !samples)
        throw new JpegLosslessError('the JPEG stream has a scan before its frame header');
      pos = decodeScan(data, pos + length, segment, { frame, samples, tables, restartInterval, decoded });
      continue;
    } else if (code === DNL) {
      throw new JpegLosslessError(
        'the JPEG stream sets its height after the scan (DNL), which is not supported',
      );
    } else if (isOtherFrame(code)) {
      throw new JpegLosslessError(
        `the JPEG stream is not lossless (SOF${code - 0xc0}), it needs another decoder`,
      );
    }
    pos += length;
  }
  if (!frame || !samples) throw new JpegLosslessError('the JPEG stream has no lossless frame header (SOF3)');
  if (decoded.size < frame.ids.length)
    throw new JpegLosslessError('the JPEG stream ends before all its scans');
  return {
    width: frame.width,
    height: frame.height,
    components: frame.ids.length,
    precision: frame.precision,
    samples,
  };
}

/** SOF0-SOF15 other than SOF3; C4 (DHT), C8 (reserved) and CC (DAC) are not frames. */
function isOtherFrame(code: number): boolean {
  return code >= 0xc0 && code <= 0xcf && code !== SOF3 && code !== DHT && code !== 0xc8 && code !== 0xcc;
}

/** Index of the next marker's 0xFF at or after `pos` (fill bytes 0xFF skipped), -1 at the end. */
function nextMarker(data: Uint8Array, pos: number): number {
  for (let i = pos; i + 1 < data.length; i++) {
    if (data[i] !== 0xff) continue;
    const next = data[i + 1]!;
    if (next !== 0 && next !== 0xff) return i;
  }
  return -1;
}

function readUint16(data: Uint8Array, at: number): number {
  if (at + 2 > data.length) throw new JpegLosslessError('a JPEG marker segment is cut short');
  return (data[at]! << 8) | data[at + 1]!;
}

function segmentLength(data: Uint8Array, pos: number): number {
  const length = readUint16(data, pos);
  if (length < 2 || pos + length > data.length)
    throw new JpegLosslessError('a JPEG marker segment is cut short');
  return length;
}

function readHuffmanTables(segment: Uint8Array, tables: (HuffmanTable | undefined)[]): void {
  let at = 0;
  while (at < segment.length) {
    const classAndId = segment[at]!;
    const counts = segment.subarray(at + 1, at + 17);
    let total = 0;
    for (const n of counts) total += n;
    const values = segment.subarray(at + 17, at + 17 + total);
    if (counts.length < 16 || values.length < total)
      throw new JpegLosslessError('a Huffman table is cut short');
    // Lossless scans use the DC tables (class 0) only.
    if (classAndId >> 4 === 0) tables[classAndId & 15] = buildHuffmanTable(counts, values);
    at += 17 + total;
  }
}

function readFrame(segment: Uint8Array): Frame {
  const components = segment[5];
  if (components === undefined || segment.length < 6 + 3 * components || components === 0)
    throw new JpegLosslessError('the JPEG frame header is cut short');
  const precision = segment[0]!;
  if (precision < 2 || precision > 16)
    throw new JpegLosslessError(`a precision of ${precision} bits is not valid`);
  const frame = {
    precision,
    height: readUint16(segment, 1),
    width: readUint16(segment, 3),
    ids: [] as number[],
  };
  if (frame.height === 0)
    throw new JpegLosslessError('the JPEG stream gives its height after the scan (DNL)');
  if (frame.width === 0) throw new JpegLosslessError('the JPEG frame is 0 samples wide');
  for (let c = 0; c < components; c++) {
    const sampling = segment[7 + 3 * c]!;
    // With several components, only full resolution (H = V = 1) is supported: it is all DICOM uses.
    if (components > 1 && sampling !== 0x11)
      throw new JpegLosslessError('subsampled JPEG lossless components are not supported');
    frame.ids.push(segment[6 + 3 * c]!);
  }
  return frame;
}

interface ScanContext {
  readonly frame: Frame;
  readonly samples: Uint8Array | Uint16Array;
  readonly tables: readonly (HuffmanTable | undefined)[];
  readonly restartInterval: number;
  /** Frame component indices decoded so far. */
  readonly decoded: Set<number>;
}

/** Decodes the scan whose header is `header` and whose data start at `pos`; returns where its data end. */
function decodeScan(data: Uint8Array, pos: number, header: Uint8Array, context: ScanContext): number {
  const { frame, samples, tables, restartInterval, decoded } = context;
  const count = header[0] ?? 0;
  if (count === 0 || header.length < 4 + 2 * count)
    throw new JpegLosslessError('a JPEG scan header is cut short');
  const predictor = header[1 + 2 * count]!;
  const pointTransform = header[3 + 2 * count]! & 15;
  if (predictor < 1 || predictor > 7)
    throw new JpegLosslessError(`the JPEG scan has the selection value ${predictor} (1 to 7 are lossless)`);
  if (pointTransform >= frame.precision)
    throw new JpegLosslessError('the JPEG scan point transform is too large');
  const components: number[] = [];
  const scanTables: HuffmanTable[] = [];
  for (let k = 0; k < count; k++) {
    const index = frame.ids.indexOf(header[1 + 2 * k]!);
    const table = tables[header[2 + 2 * k]! >> 4];
    if (index < 0) throw new JpegLosslessError('a JPEG scan names a component the frame does not have');
    if (!table) throw new JpegLosslessError('a JPEG scan uses a Huffman table that was not defined');
    components.push(index);
    scanTables.push(table);
  }
  const { width, height } = frame;
  const pixels = width * height;
  if (restartInterval > 0 && restartInterval % width !== 0)
    throw new JpegLosslessError('restart intervals that are not whole lines are not supported');
  const reader = bitReaderAt(data, pos);
  for (let first = 0; first < pixels; first += restartInterval || pixels) {
    if (first > 0) restart(reader);
    const mcus = Math.min(restartInterval || pixels, pixels - first);
    decodeInterval(reader, samples, frame.ids.length, components, scanTables, first, mcus);
    if (readPastEnd(reader))
      throw new JpegLosslessError('the JPEG lossless data end early (truncated or corrupt)');
  }
  for (const offset of components) {
    const spec = {
      width,
      height,
      stride: frame.ids.length,
      offset,
      predictor,
      initial: 1 << (frame.precision - pointTransform - 1),
      restartLines: restartInterval / width,
    };
    undoPrediction(samples, spec);
    undoPointTransform(samples, spec.stride, offset, pointTransform);
    decoded.add(offset);
  }
  return endOfData(reader);
}

/** Decodes `mcus` MCUs (one sample of each scan component) from pixel `first` on. */
function decodeInterval(
  reader: BitReader,
  samples: Uint8Array | Uint16Array,
  stride: number,
  components: readonly number[],
  tables: readonly HuffmanTable[],
  first: number,
  mcus: number,
): void {
  const table = tables[0]!;
  // One component, or all in frame order with one table: the differences come in output order.
  if (components.length === 1) {
    decodeDifferences(reader, table, samples, first * stride + components[0]!, stride, mcus);
  } else if (components.length === stride && components.every((c, k) => c === k && tables[k] === table)) {
    decodeDifferences(reader, table, samples, first * stride, 1, mcus * stride);
  } else {
    for (let p = first; p < first + mcus; p++)
      for (let k = 0; k < components.length; k++)
        decodeDifferences(reader, tables[k]!, samples, p * stride + components[k]!, 1, 1);
  }
}

/** Where the entropy-coded data stop: the marker after the last byte the reader took. */
function endOfData(reader: BitReader): number {
  const marker = nextMarker(reader.data, reader.pos);
  return marker < 0 ? reader.data.length : marker;
}

/** Skips the RSTn marker that ends an interval and starts the reader afresh after it. */
function restart(reader: BitReader): void {
  const marker = endOfData(reader);
  const code = reader.data[marker + 1];
  if (code === undefined || code < RST0 || code > RST7)
    throw new JpegLosslessError('a JPEG restart marker is missing (truncated or corrupt data)');
  reader.pos = marker + 2;
  reader.bits = 0;
  reader.count = 0;
  reader.zeroBytes = 0;
}
