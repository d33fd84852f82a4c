/**
 * The parts of Cornerstone's WebAssembly codec packages that main uses (they ship no types). Each
 * package's decode module is an Emscripten factory; its decoder copies the encoded frame into the
 * WebAssembly heap and decodes it there.
 */
interface WasmFrameInfo {
  readonly width: number;
  readonly height: number;
  readonly bitsPerSample: number;
  readonly componentCount: number;
}

interface WasmFrameDecoder {
  /** A view of the heap buffer of `length` bytes that `decode` reads. */
  getEncodedBuffer(length: number): Uint8Array;
  decode(): void;
  getFrameInfo(): WasmFrameInfo;
  /** A view of the decoded samples in the heap, valid until the next decode. */
  getDecodedBuffer(): Uint8Array;
}

type WasmDecoderClass = new () => WasmFrameDecoder;

/** Emscripten module options: where its standard output goes. */
interface WasmModuleOptions {
  readonly print?: (text: string) => void;
}

declare module '@cornerstonejs/codec-charls/decodewasmjs' {
  const factory: (options?: WasmModuleOptions) => Promise<{ JpegLSDecoder: WasmDecoderClass }>;
  export default factory;
}

declare module '@cornerstonejs/codec-openjpeg/decodewasmjs' {
  const factory: (options?: WasmModuleOptions) => Promise<{ J2KDecoder: WasmDecoderClass }>;
  export default factory;
}

declare module '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs' {
  const factory: (options?: WasmModuleOptions) => Promise<{ JPEGDecoder: WasmDecoderClass }>;
  export default factory;
}

declare module '@cornerstonejs/codec-openjph/wasmjs' {
  const factory: (options?: WasmModuleOptions) => Promise<{ HTJ2KDecoder: WasmDecoderClass }>;
  export default factory;
}
