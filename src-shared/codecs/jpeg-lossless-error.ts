/** JPEG lossless data that cannot be decoded: malformed, cut short, or of a kind not supported. */
export class JpegLosslessError extends Error {
  override name = 'JpegLosslessError';
}
