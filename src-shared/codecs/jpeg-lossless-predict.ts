/**
 * Lossless prediction undone (ITU T.81 H.1.2.1, H.2.1): each sample is its difference plus a
 * prediction from its decoded neighbours Ra (left), Rb (above) and Rc (above left). The first line
 * of the image and of each restart interval predicts from the left (its first sample from
 * 2^(P-Pt-1)); the first sample of any other line from above; the rest by the selection value.
 * Works in place on the differences, one component (`offset`, `stride` apart) at a time; the typed
 * array keeps values modulo its width.
 */
export interface PredictionSpec {
  readonly width: number;
  readonly height: number;
  /** Samples per pixel in `samples`, and which of them is this component. */
  readonly stride: number;
  readonly offset: number;
  /** The scan's selection value, 1 to 7. */
  readonly predictor: number;
  /** 2^(P-Pt-1): the prediction at the start of each line that begins the image or a restart interval. */
  readonly initial: number;
  /** Lines per restart interval; 0 when there are no restarts. */
  readonly restartLines: number;
}

export function undoPrediction(samples: Uint8Array | Uint16Array, spec: PredictionSpec): void {
  const { width, height, stride, offset, predictor, initial, restartLines } = spec;
  const line = width * stride;
  const mask = samples instanceof Uint8Array ? 0xff : 0xffff;
  for (let y = 0; y < height; y++) {
    const start = offset + y * line;
    const end = start + line;
    const first = restartLines === 0 ? y === 0 : y % restartLines === 0;
    // Ra, kept in hand as the line is rebuilt.
    let a = ((first ? initial : samples[start - line]!) + samples[start]!) & mask;
    samples[start] = a;
    if (first || predictor === 1) {
      for (let i = start + stride; i < end; i += stride) {
        a = (a + samples[i]!) & mask;
        samples[i] = a;
      }
      continue;
    }
    if (predictor === 2) {
      for (let i = start + stride; i < end; i += stride) samples[i] = samples[i - line]! + samples[i]!;
      continue;
    }
    if (predictor === 3) {
      for (let i = start + stride; i < end; i += stride)
        samples[i] = samples[i - line - stride]! + samples[i]!;
      continue;
    }
    if (predictor === 4) {
      for (let i = start + stride; i < end; i += stride) {
        a = (a + samples[i - line]! - samples[i - line - stride]! + samples[i]!) & mask;
        samples[i] = a;
      }
      continue;
    }
    if (predictor === 5) {
      for (let i = start + stride; i < end; i += stride) {
        a = (a + ((samples[i - line]! - samples[i - line - stride]!) >> 1) + samples[i]!) & mask;
        samples[i] = a;
      }
      continue;
    }
    if (predictor === 6) {
      for (let i = start + stride; i < end; i += stride) {
        const b = samples[i - line]!;
        a = (b + ((a - samples[i - line - stride]!) >> 1) + samples[i]!) & mask;
        samples[i] = a;
      }
      continue;
    }
    for (let i = start + stride; i < end; i += stride) {
      a = (((a + samples[i - line]!) >>> 1) + samples[i]!) & mask;
      samples[i] = a;
    }
  }
}

/** The point transform undone (H.2.1 and H.1.2.1): samples were coded divided by 2^Pt. */
export function undoPointTransform(
  samples: Uint8Array | Uint16Array,
  stride: number,
  offset: number,
  pointTransform: number,
): void {
  if (pointTransform === 0) return;
  for (let i = offset; i < samples.length; i += stride) samples[i] = samples[i]! << pointTransform;
}
