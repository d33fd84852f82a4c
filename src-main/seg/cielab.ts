/**
 * DICOM CIELab to sRGB. Recommended Display CIELab Value (0062,000D) holds L*, a*, b* scaled to
 * 0..65535 (PS3.3 C.10.7.1.1: L* 0..100, a* and b* -128..127, illuminant D65); the conversion to
 * sRGB is CIE 1976 L*a*b* to XYZ, then IEC 61966-2-1's matrix and transfer curve.
 */
export type Rgb = readonly [number, number, number];

/** D65 reference white, Y normalised to 1. */
const WHITE = [0.95047, 1, 1.08883] as const;

function labInverse(t: number): number {
  const delta = 6 / 29;
  return t > delta ? t ** 3 : 3 * delta * delta * (t - 4 / 29);
}

function srgbCompand(linear: number): number {
  const v = linear <= 0.0031308 ? 12.92 * linear : 1.055 * linear ** (1 / 2.4) - 0.055;
  return Math.round(Math.min(1, Math.max(0, v)) * 255);
}

export function dicomLabToRgb(scaled: readonly [number, number, number]): Rgb {
  const l = (scaled[0] * 100) / 65535;
  const a = (scaled[1] * 255) / 65535 - 128;
  const b = (scaled[2] * 255) / 65535 - 128;
  const fy = (l + 16) / 116;
  const x = WHITE[0] * labInverse(fy + a / 500);
  const y = WHITE[1] * labInverse(fy);
  const z = WHITE[2] * labInverse(fy - b / 200);
  return [
    srgbCompand(3.2404542 * x - 1.5371385 * y - 0.4985314 * z),
    srgbCompand(-0.969266 * x + 1.8760108 * y + 0.041556 * z),
    srgbCompand(0.0556434 * x - 0.2040259 * y + 1.0572252 * z),
  ];
}
