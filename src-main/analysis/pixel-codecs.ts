/**
 * Decodes one compressed frame in main with the codecs the viewer uses (Cornerstone's WebAssembly
 * builds of CharLS, OpenJPEG, OpenJPH and libjpeg-turbo, its JavaScript JPEG extended decoder, and
 * our JPEG lossless decoder, which the viewer's decode workers use too), so an analysis sees the pixel values the viewer shows (but for the 12-bit
 * correction in jpeg-extended.ts). Each codec is loaded on first use. The result is the frame's
 * stored sample values, little endian, before masking and rescale; colour samples interleaved
 * (R G B R G B ...), whatever the codec gave.
 */
import { decodeJpegLossless as decodeLosslessSamples } from '../../src-shared/codecs/jpeg-lossless';
import { decodeRleFrame } from '../seg/rle';
import { decodeJpegExtended } from './jpeg-extended';

export interface DecodedFrame {
  /** Stored sample values, `bytesPerSample` little-endian bytes each, row after row. */
  readonly bytes: Uint8Array;
  readonly bytesPerSample: 1 | 2;
  readonly samplesPerPixel: number;
}

export interface FrameLayout {
  readonly rows: number;
  readonly columns: number;
  readonly bitsAllocated: number;
  /** 1 for greyscale, 3 for colour. */
  readonly samplesPerPixel: number;
}

/** Transfer syntaxes decoded here, with the codec's name for messages. */
export const DECODABLE_TRANSFER_SYNTAXES: ReadonlyMap<string, Codec> = new Map<string, Codec>([
  ['1.2.840.10008.1.2.4.50', 'JPEG baseline'],
  ['1.2.840.10008.1.2.4.51', 'JPEG extended'],
  ['1.2.840.10008.1.2.4.57', 'JPEG lossless'],
  ['1.2.840.10008.1.2.4.70', 'JPEG lossless'],
  ['1.2.840.10008.1.2.4.80', 'JPEG-LS'],
  ['1.2.840.10008.1.2.4.81', 'JPEG-LS'],
  ['1.2.840.10008.1.2.4.90', 'JPEG 2000'],
  ['1.2.840.10008.1.2.4.91', 'JPEG 2000'],
  ['1.2.840.10008.1.2.4.201', 'HTJ2K'],
  ['1.2.840.10008.1.2.4.202', 'HTJ2K'],
  ['1.2.840.10008.1.2.4.203', 'HTJ2K'],
  ['1.2.840.10008.1.2.5', 'RLE'],
]);

type WasmCodec = 'JPEG-LS' | 'JPEG 2000' | 'HTJ2K' | 'JPEG baseline';
type Codec = WasmCodec | 'JPEG lossless' | 'JPEG extended' | 'RLE';

const wasmDecoders = new Map<WasmCodec, Promise<WasmFrameDecoder>>();

/** OpenJPEG prints progress lines for every frame; errors still reach stderr. */
const QUIET = { print: () => undefined };

async function loadWasmDecoder(codec: WasmCodec): Promise<WasmFrameDecoder> {
  if (codec === 'JPEG-LS') {
    const { default: factory } = await import('@cornerstonejs/codec-charls/decodewasmjs');
    return new (await factory(QUIET)).JpegLSDecoder();
  }
  if (codec === 'JPEG 2000') {
    const { default: factory } = await import('@cornerstonejs/codec-openjpeg/decodewasmjs');
    return new (await factory(QUIET)).J2KDecoder();
  }
  if (codec === 'HTJ2K') {
    const { default: factory } = await import('@cornerstonejs/codec-openjph/wasmjs');
    return new (await factory(QUIET)).HTJ2KDecoder();
  }
  const { default: factory } = await import('@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs');
  return new (await factory(QUIET)).JPEGDecoder();
}

/** One decoder per codec for the process: decoding is synchronous once loaded, so they are never shared mid-frame. */
function wasmDecoder(codec: WasmCodec): Promise<WasmFrameDecoder> {
  let pending = wasmDecoders.get(codec);
  if (!pending) {
    pending = loadWasmDecoder(codec);
    wasmDecoders.set(codec, pending);
    pending.catch(() => wasmDecoders.delete(codec));
  }
  return pending;
}

export class FrameDecodeError extends Error {}

/** Decodes `encoded` (one frame's fragments, joined) of the given transfer syntax. */
export async function decodeFrame(
  transferSyntax: string,
  encoded: Uint8Array,
  layout: FrameLayout,
): Promise<DecodedFrame> {
  const codec = DECODABLE_TRANSFER_SYNTAXES.get(transferSyntax);
  if (!codec) throw new FrameDecodeError(`pixel data in transfer syntax ${transferSyntax} cannot be decoded`);
  const { samplesPerPixel } = layout;
  const pixels = layout.rows * layout.columns;
  const samples = pixels * samplesPerPixel;
  const bytesPerSample = layout.bitsAllocated <= 8 ? 1 : 2;
  if (layout.bitsAllocated > 16)
    throw new FrameDecodeError(`${codec} images of ${layout.bitsAllocated} bits cannot be decoded`);
  let bytes: Uint8Array;
  try {
    if (codec === 'RLE')
      bytes = interleave(decodeRleFrame(encoded, pixels, bytesPerSample, samplesPerPixel), layout);
    else if (codec === 'JPEG lossless') bytes = decodeJpegLossless(encoded, bytesPerSample);
    else if (codec === 'JPEG extended') bytes = await decodeJpegExtended(encoded, samplesPerPixel);
    else bytes = await decodeWithWasm(codec, encoded, layout);
  } catch (err) {
    // Emscripten codecs throw numbers (heap pointers) as well as Errors.
    const why = err instanceof Error ? err.message : `error ${String(err)}`;
    throw new FrameDecodeError(`the ${codec} pixel data could not be decoded (${why})`, { cause: err });
  }
  // A codec may give 8-bit samples for a 16-bit-allocated image of low precision: widen them.
  if (bytes.length === samples && bytesPerSample === 2) bytes = widen(bytes);
  if (bytes.length < samples * bytesPerSample)
    throw new FrameDecodeError(`the ${codec} pixel data decodes to fewer pixels than the image has`);
  return { bytes: bytes.subarray(0, samples * bytesPerSample), bytesPerSample, samplesPerPixel };
}

async function decodeWithWasm(
  codec: WasmCodec,
  encoded: Uint8Array,
  layout: FrameLayout,
): Promise<Uint8Array> {
  const decoder = await wasmDecoder(codec);
  decoder.getEncodedBuffer(encoded.length).set(encoded);
  decoder.decode();
  const info = decoder.getFrameInfo();
  const { columns, rows, samplesPerPixel } = layout;
  if (info.width !== columns || info.height !== rows || info.componentCount !== samplesPerPixel) {
    throw new Error(
      `the stream holds ${info.width}x${info.height}x${info.componentCount}, the header says ${columns}x${rows}x${samplesPerPixel}`,
    );
  }
  // The view is into the WebAssembly heap, reused by the next decode: copy it out, as a plain
  // Uint8Array (some codecs give a Uint8ClampedArray view).
  return new Uint8Array(decoder.getDecodedBuffer());
}

function decodeJpegLossless(encoded: Uint8Array, bytesPerSample: 1 | 2): Uint8Array {
  const { samples } = decodeLosslessSamples(encoded, bytesPerSample);
  return new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
}

/** RLE keeps each sample in its own segments: planes to pixel-interleaved samples. */
function interleave(
  planar: Uint8Array,
  { rows, columns, samplesPerPixel, bitsAllocated }: FrameLayout,
): Uint8Array {
  if (samplesPerPixel === 1) return planar;
  const pixels = rows * columns;
  const bytesPerSample = bitsAllocated <= 8 ? 1 : 2;
  const out = new Uint8Array(planar.length);
  for (let c = 0; c < samplesPerPixel; c++) {
    for (let p = 0; p < pixels; p++) {
      for (let b = 0; b < bytesPerSample; b++) {
        out[(p * samplesPerPixel + c) * bytesPerSample + b] = planar[(c * pixels + p) * bytesPerSample + b]!;
      }
    }
  }
  return out;
}

function widen(bytes: Uint8Array): Uint8Array {
  const wide = new Uint8Array(bytes.length * 2);
  for (let p = 0; p < bytes.length; p++) wide[2 * p] = bytes[p]!;
  return wide;
}
