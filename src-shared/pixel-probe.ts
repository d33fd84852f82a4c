/** What the renderer's pixel probes return to the end-to-end tests (a test hook's contract). */

/** One decoded frame as the modality LUT gives it (HU for CT). */
export interface DecodedPixels {
  readonly width: number;
  readonly height: number;
  /** 1 for greyscale; 3 or 4 for colour (interleaved). */
  readonly components: number;
  readonly photometricInterpretation: string;
  readonly values: number[];
}

/** What went wrong when a frame could not be decoded. */
export interface DecodeFailure {
  readonly error: string;
}
