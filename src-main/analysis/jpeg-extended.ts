/**
 * JPEG extended (process 2 and 4: 8- or 12-bit DCT) with the decoder the viewer uses: the JavaScript
 * port of pdf.js's decoder that Cornerstone's image loader ships (no WebAssembly 12-bit build exists).
 * An analysis must see the stored values: that decoder's 12-bit level-shift error is measured once
 * and taken off (src-shared/jpeg12-level-shift.ts says what it is and why it is measured).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  levelShiftBias,
  removeLevelShiftBias,
  ZERO_BLOCK_12BIT,
  ZERO_BLOCK_SIZE,
} from '../../src-shared/jpeg12-level-shift';

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

let loading: Promise<LoadedDecoder> | undefined;

async function loadDecoder(): Promise<LoadedDecoder> {
  // The loader's package exports no path to its codec file: find the file beside its package.json.
  const packageJson = createRequire(__filename).resolve('@cornerstonejs/dicom-image-loader/package.json');
  const file = join(dirname(packageJson), 'dist', 'esm', 'codecs', 'jpeg.js');
  const module = (await import(pathToFileURL(file).href)) as { default: JpegImageClass };
  const probe = new module.default();
  probe.parse(ZERO_BLOCK_12BIT);
  probe.colorTransform = false;
  const offset12 = levelShiftBias(probe.getData16(ZERO_BLOCK_SIZE, ZERO_BLOCK_SIZE)[0]!);
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
  if (offset12 !== 0) removeLevelShiftBias(samples, offset12, 0);
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
