/**
 * A small JPEG lossless encoder (ITU T.81 Process 14) for tests: it writes streams with chosen
 * selection value, point transform, precision, restart interval, components (one interleaved scan
 * or a scan each) and Huffman code lengths, so the decoder can be checked on cases no real file
 * here has. Slow and plain on purpose; not for use outside tests.
 */

export interface EncodeOptions {
  readonly width: number;
  readonly height: number;
  readonly components?: number;
  readonly precision: number;
  /** Selection value, 1 to 7. */
  readonly predictor: number;
  readonly pointTransform?: number;
  /** MCUs per restart interval (a whole number of lines); 0 for none. */
  readonly restartInterval?: number;
  /** One scan per component instead of one interleaved scan. */
  readonly scanPerComponent?: boolean;
  /** Code length per category 0-16 (17 entries); the default gives short codes to small categories. */
  readonly codeLengths?: readonly number[];
  /** A Huffman table per component (all with the same codes) instead of one for all. */
  readonly tablePerComponent?: boolean;
  /** Each Huffman table in its own DHT segment, after an unused AC table. */
  readonly splitTables?: boolean;
}

const DEFAULT_LENGTHS = [2, 2, 3, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];

/** Encodes `samples` (row after row, components interleaved, each below 2^precision). */
export function encodeJpegLossless(samples: ArrayLike<number>, options: EncodeOptions): Uint8Array {
  const { width, height, precision, predictor } = options;
  const components = options.components ?? 1;
  const pt = options.pointTransform ?? 0;
  const interval = options.restartInterval ?? 0;
  const lengths = options.codeLengths ?? DEFAULT_LENGTHS;
  const out: number[] = [0xff, 0xd8];
  const segment = (marker: number, body: number[]): void => {
    out.push(0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 255, ...body);
  };
  segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0]);
  const { counts, values, codes } = canonicalCode(lengths);
  const tables = options.tablePerComponent ? components : 1;
  if (options.splitTables) {
    segment(0xc4, [0x10, ...counts, ...values]);
    for (let id = 0; id < tables; id++) segment(0xc4, [id, ...counts, ...values]);
  } else {
    const body: number[] = [];
    for (let id = 0; id < tables; id++) body.push(id, ...counts, ...values);
    segment(0xc4, body);
  }
  if (interval > 0) segment(0xdd, [interval >> 8, interval & 255]);
  const frame = [precision, height >> 8, height & 255, width >> 8, width & 255, components];
  for (let c = 0; c < components; c++) frame.push(c + 1, 0x11, 0);
  segment(0xc3, frame);
  const scans = options.scanPerComponent
    ? Array.from({ length: components }, (_, c) => [c])
    : [Array.from({ length: components }, (_, c) => c)];
  for (const scan of scans) {
    const header = [scan.length];
    for (const c of scan) header.push(c + 1, options.tablePerComponent ? c << 4 : 0);
    segment(0xda, [...header, predictor, 0, pt]);
    const differences = scan.map((c) => differencesOf(samples, options, components, c));
    const writer = new BitWriter(out);
    let restarts = 0;
    for (let p = 0; p < width * height; p++) {
      if (interval > 0 && p > 0 && p % interval === 0) {
        writer.flush();
        out.push(0xff, 0xd0 + (restarts++ % 8));
      }
      for (const d of differences) {
        const diff = d[p]!;
        const ssss = diff === 32768 ? 16 : diff === 0 ? 0 : 32 - Math.clz32(Math.abs(diff));
        writer.write(codes[ssss]!, lengths[ssss]!);
        if (ssss > 0 && ssss < 16) writer.write(diff < 0 ? diff + (1 << ssss) - 1 : diff, ssss);
      }
    }
    writer.flush();
  }
  out.push(0xff, 0xd9);
  return Uint8Array.from(out);
}

/** DHT counts and values and each category's code, for the given lengths (T.81 Annex C). */
function canonicalCode(lengths: readonly number[]): { counts: number[]; values: number[]; codes: number[] } {
  const order = lengths.map((length, ssss) => ({ length, ssss })).sort((a, b) => a.length - b.length);
  const counts = new Array<number>(16).fill(0);
  const codes = new Array<number>(17).fill(0);
  let code = 0;
  let length = 1;
  for (const entry of order) {
    code <<= entry.length - length;
    length = entry.length;
    codes[entry.ssss] = code++;
    counts[length - 1]!++;
  }
  return { counts, values: order.map((e) => e.ssss), codes };
}

/** Prediction differences of component `c`, as the encoder codes them (-32767 to 32768). */
function differencesOf(
  samples: ArrayLike<number>,
  options: EncodeOptions,
  stride: number,
  c: number,
): number[] {
  const { width, height, precision, predictor } = options;
  const pt = options.pointTransform ?? 0;
  const lines = (options.restartInterval ?? 0) / width;
  const at = (x: number, y: number): number => samples[(y * width + x) * stride + c]! >> pt;
  const result: number[] = [];
  for (let y = 0; y < height; y++) {
    const first = lines > 0 ? y % lines === 0 : y === 0;
    for (let x = 0; x < width; x++) {
      let prediction: number;
      if (x === 0) prediction = first ? 1 << (precision - pt - 1) : at(0, y - 1);
      else if (first) prediction = at(x - 1, y);
      else {
        const [a, b, cc] = [at(x - 1, y), at(x, y - 1), at(x - 1, y - 1)];
        prediction = [0, a, b, cc, a + b - cc, a + ((b - cc) >> 1), b + ((a - cc) >> 1), (a + b) >> 1][
          predictor
        ]!;
      }
      const d = (at(x, y) - prediction) & 0xffff;
      result.push(d > 32768 ? d - 65536 : d);
    }
  }
  return result;
}

/** Bits, most significant first, into bytes with 0xFF stuffed; the last byte padded with ones. */
class BitWriter {
  private bits = 0;
  private count = 0;
  constructor(private readonly out: number[]) {}

  write(value: number, length: number): void {
    for (let i = length - 1; i >= 0; i--) {
      this.bits = (this.bits << 1) | ((value >> i) & 1);
      if (++this.count === 8) this.emit();
    }
  }

  flush(): void {
    while (this.count > 0) this.write(1, 1);
  }

  private emit(): void {
    this.out.push(this.bits);
    if (this.bits === 0xff) this.out.push(0);
    this.bits = 0;
    this.count = 0;
  }
}
