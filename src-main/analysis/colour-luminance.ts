/**
 * Colour images (3 samples per pixel) for 2D models, which read one grey channel: each pixel
 * becomes its luminance, Y = 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601: the weights of DICOM's
 * YBR_FULL, so a YBR_FULL image's own Y channel is the same luminance and is taken as it is),
 * rounded to the stored precision so that the greyscale path (masking, rescale) applies unchanged.
 * Volume models are refused colour input: none of them was trained on it.
 */
import type { StoredInstance } from '../library/library-store';
import { DEFLATED_TRANSFER_SYNTAX, NATIVE_TRANSFER_SYNTAXES } from '../library/dicom-tags';
import { readInstanceHeader } from '../library/dicom-header';

export const BT601_WEIGHTS = { red: 0.299, green: 0.587, blue: 0.114 } as const;

/** What the result says when its input was a colour image. */
export function colourNote(instance: Pick<StoredInstance, 'samplesPerPixel' | 'photometric'>): string | null {
  if (instance.samplesPerPixel === 1) return null;
  const { red, green, blue } = BT601_WEIGHTS;
  return (
    `The input was a colour image (${instance.photometric}); the model read its luminance, ` +
    `${red} R + ${green} G + ${blue} B (ITU-R BT.601).`
  );
}

type Space = 'RGB' | 'YBR';
/** interleaved: R G B R G B ...; planar: all R, all G, all B; ybr422: Y Y Cb Cr for each two pixels. */
type Arrangement = 'interleaved' | 'planar' | 'ybr422';

export interface ColourLayout {
  readonly space: Space;
  readonly arrangement: Arrangement;
}

/** Photometric interpretations whose decoded samples are RGB whatever the transfer syntax. */
const RGB_SAMPLES = new Set(['RGB', 'YBR_RCT', 'YBR_ICT']);
const YBR_SAMPLES = new Set(['YBR_FULL', 'YBR_FULL_422']);
const JPEG_BASELINE = '1.2.840.10008.1.2.4.50';

/**
 * Why this colour image cannot be read for the purpose (`volume`: a 3D model; otherwise a 2D
 * model, after conversion), or null when it can.
 */
export function colourRefusal(instance: StoredInstance, purpose: 'volume' | 'luminance'): string | null {
  const kind = `a colour image (${instance.photometric || 'no photometric interpretation'})`;
  if (purpose === 'volume') {
    return `${kind} cannot be analysed by a 3D model: it needs greyscale images (1 sample per pixel), and no volume model here was trained on colour`;
  }
  if (instance.samplesPerPixel !== 3)
    return `images of ${instance.samplesPerPixel} samples per pixel cannot be analysed`;
  if (!RGB_SAMPLES.has(instance.photometric) && !YBR_SAMPLES.has(instance.photometric))
    return `${kind} cannot be converted to grey: only RGB and YBR_FULL colour can`;
  if (instance.bitsAllocated !== 8 && instance.bitsAllocated !== 16)
    return `${kind} of ${instance.bitsAllocated} bits allocated cannot be analysed`;
  if (instance.transferSyntax === DEFLATED_TRANSFER_SYNTAX)
    return `${kind} in a deflated file cannot be analysed yet`;
  return null;
}

/** Samples stored per pixel before conversion: YBR_FULL_422 native data shares Cb and Cr between two pixels. */
export function storedSamplesPerPixel(instance: StoredInstance): number {
  if (instance.samplesPerPixel === 1) return 1;
  const native = NATIVE_TRANSFER_SYNTAXES.has(instance.transferSyntax);
  return native && instance.photometric === 'YBR_FULL_422' ? 2 : instance.samplesPerPixel;
}

/**
 * How the decoded samples of a colour image lie. Native data follows Planar Configuration (read
 * again from the file: the library does not keep it); codecs give interleaved samples (pixel-codecs
 * interleaves RLE's planes). JPEG baseline colour comes out of libjpeg-turbo already as RGB, as the
 * viewer shows it; JPEG 2000 and HTJ2K undo their own component transform (YBR_RCT, YBR_ICT).
 */
export async function colourLayout(instance: StoredInstance): Promise<ColourLayout> {
  const ybr = YBR_SAMPLES.has(instance.photometric) && instance.transferSyntax !== JPEG_BASELINE;
  const space: Space = ybr ? 'YBR' : 'RGB';
  if (!NATIVE_TRANSFER_SYNTAXES.has(instance.transferSyntax)) return { space, arrangement: 'interleaved' };
  if (instance.photometric === 'YBR_FULL_422') return { space, arrangement: 'ybr422' };
  const header = await readInstanceHeader(instance.path);
  const planar = header.kind === 'instance' && header.header.planarConfiguration === 1;
  return { space, arrangement: planar ? 'planar' : 'interleaved' };
}

/** One luminance sample per pixel from `samples` (the image's stored samples, as unsigned integers). */
export function luminance(
  samples: Uint8Array | Uint16Array | Uint32Array,
  pixels: number,
  { space, arrangement }: ColourLayout,
): Uint8Array | Uint16Array {
  const grey = samples.BYTES_PER_ELEMENT === 1 ? new Uint8Array(pixels) : new Uint16Array(pixels);
  if (arrangement === 'ybr422') {
    // Y Y Cb Cr: pixel p's Y is in its pair's first two samples.
    for (let p = 0; p < pixels; p++) grey[p] = samples[(p >> 1) * 4 + (p & 1)]!;
    return grey;
  }
  // Where sample c of pixel p is.
  const [step, stride] = arrangement === 'planar' ? [1, pixels] : [3, 1];
  if (space === 'YBR') {
    for (let p = 0; p < pixels; p++) grey[p] = samples[p * step]!;
    return grey;
  }
  const { red, green, blue } = BT601_WEIGHTS;
  for (let p = 0; p < pixels; p++) {
    const at = p * step;
    grey[p] = Math.round(
      red * samples[at]! + green * samples[at + stride]! + blue * samples[at + 2 * stride]!,
    );
  }
  return grey;
}
