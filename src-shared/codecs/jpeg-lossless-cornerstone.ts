/**
 * decodeJpegLossless in the shape Cornerstone's DICOM image loader expects of
 * `@cornerstonejs/jpeg-lossless-decoder-js` (its decode worker imports that package's `Decoder`);
 * vite.config.mts points the package's name here, so the viewer decodes with our decoder.
 */
import { decodeJpegLossless } from './jpeg-lossless';

export class Decoder {
  /** The samples of the codestream at `offset` (`length` bytes) in `buffer`, `numBytes` bytes each. */
  decode(buffer: ArrayBuffer, offset = 0, length = buffer.byteLength - offset, numBytes?: number) {
    const bytesPerSample = numBytes === 1 || numBytes === 2 ? numBytes : undefined;
    return decodeJpegLossless(new Uint8Array(buffer, offset, length), bytesPerSample).samples;
  }
}
