/**
 * JPEG extended (process 2 and 4: 8- or 12-bit DCT) with the decoder the viewer uses: the JavaScript
 * port of pdf.js's decoder that Cornerstone's image loader ships (no WebAssembly 12-bit build exists).
 *
 * That decoder's 12-bit level shift is wrong: it scales the 8-bit constant 128 + 0.5 (2056/16) by
 * 4095/255 instead of using 2048 + 0.5, so every 12-bit sample comes out 15 too high, and true
 * values of 4080 and above are clamped to 4095. Against IJG libjpeg (DCMTK's dcmdjpeg) it differs by
 * exactly that, plus at most 1 from its own IDCT rounding. An analysis must see the stored values,
 * so the offset is measured once on a tiny stream of known value (an all-zero block decodes to
 * 2048) and taken off; a fixed decoder measures 0 and nothing is changed. The clamp cannot be undone:
 * samples truly above 4079 read as 4080.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

interface JpegImage {
  parse(data: Uint8Array): void;
  colorTransform: boolean;
  readonly width: number;
  readonly height: number;
  readonly components: readonly unknown[];
  /** One component only (it throws a string otherwise). */
  getData16(width: number, height: number): Uint16Array;
  getData(width: number, height: number): Uint8Array;
}

type JpegImageClass = new () => JpegImage;

interface LoadedDecoder {
  readonly JpegImage: JpegImageClass;
  /** What the decoder adds to every 12-bit sample (15 in Cornerstone 5.14). */
  readonly offset12: number;
}

/** SOI, a quantisation table of ones, SOF1 (12-bit, 8x8, one component), one-code Huffman tables, one block whose coefficients are all 0, EOI. */
const ZERO_BLOCK_12BIT = new Uint8Array([
  ...[0xff, 0xd8],
  ...[0xff, 0xdb, 0, 67, 0, ...new Array<number>(64).fill(1)],
  ...[0xff, 0xc1, 0, 11, 12, 0, 8, 0, 8, 1, 1, 0x11, 0],
  // DC table 0 and AC table 0, each one 1-bit code '0' for the value 0 (DC: no difference; AC: end of block).
  ...[0xff, 0xc4, 0, 20, 0x00, 1, ...new Array<number>(15).fill(0), 0],
  ...[0xff, 0xc4, 0, 20, 0x10, 1, ...new Array<number>(15).fill(0), 0],
  ...[0xff, 0xda, 0, 8, 1, 1, 0x00, 0, 63, 0],
  // Bits 0 (DC) and 0 (EOB), padded with ones.
  0x3f,
  ...[0xff, 0xd9],
]);

/** The level shift of 12-bit samples (PS3.5 via ISO 10918-1 A.3.1): the value of an all-zero block. */
const LEVEL_SHIFT_12BIT = 2048;

let loading: Promise<LoadedDecoder> | undefined;

async function loadDecoder(): Promise<LoadedDecoder> {
  // The loader's package exports no path to its codec file: find the file beside its package.json.
  const packageJson = createRequire(__filename).resolve('@cornerstonejs/dicom-image-loader/package.json');
  const file = join(dirname(packageJson), 'dist', 'esm', 'codecs', 'jpeg.js');
  const module = (await import(pathToFileURL(file).href)) as { default: JpegImageClass };
  const probe = new module.default();
  probe.parse(ZERO_BLOCK_12BIT);
  probe.colorTransform = false;
  const offset12 = probe.getData16(8, 8)[0]! - LEVEL_SHIFT_12BIT;
  return { JpegImage: module.default, offset12 };
}

function decoder(): Promise<LoadedDecoder> {
  loading ??= loadDecoder().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

/**
 * Decodes one JPEG extended frame to its stored samples: 16-bit little endian for 12-bit streams,
 * 8-bit otherwise; colour components interleaved, in the stream's own colour space (no YCbCr to
 * RGB transform, as the viewer does).
 */
export async function decodeJpegExtended(encoded: Uint8Array, samplesPerPixel: number): Promise<Uint8Array> {
  const { JpegImage, offset12 } = await decoder();
  const jpeg = new JpegImage();
  jpeg.parse(encoded);
  jpeg.colorTransform = false;
  if (jpeg.components.length !== samplesPerPixel)
    throw new Error(
      `the stream holds ${jpeg.components.length} components, the header says ${samplesPerPixel}`,
    );
  const precision = framePrecision(encoded);
  if (precision <= 8) return jpeg.getData(jpeg.width, jpeg.height);
  if (samplesPerPixel !== 1) throw new Error(`${precision}-bit colour JPEG cannot be decoded`);
  const samples = jpeg.getData16(jpeg.width, jpeg.height);
  if (offset12 !== 0)
    for (let v = 0; v < samples.length; v++) samples[v] = Math.max(0, samples[v]! - offset12);
  return new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
}

/** Start-of-frame markers of the DCT processes (not DHT 0xc4, JPG 0xc8 or DAC 0xcc). */
const SOF_MARKERS = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

/** The sample precision in the stream's frame header (8 or 12). */
function framePrecision(encoded: Uint8Array): number {
  let pos = 2;
  while (pos + 4 < encoded.length) {
    if (encoded[pos] !== 0xff) throw new Error('no frame header before the scan');
    const marker = encoded[pos + 1]!;
    // 0xff may be repeated as fill before a marker.
    if (marker === 0xff) {
      pos++;
      continue;
    }
    if (SOF_MARKERS.has(marker)) return encoded[pos + 4]!;
    // Every marker before the frame header carries a big-endian length that counts itself.
    pos += 2 + ((encoded[pos + 2]! << 8) | encoded[pos + 3]!);
  }
  throw new Error('no frame header in the stream');
}
