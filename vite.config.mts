import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The renderer is built once and served by either host (app:// in Electron, loopback HTTP in browser mode).
export default defineConfig({
  root: 'src-renderer',
  base: './',
  plugins: [react()],
  resolve: {
    // Cornerstone's decode worker imports this package's Decoder for JPEG lossless: ours is about
    // 4x faster (src-shared/codecs/jpeg-lossless.ts; docs/benchmarks.md).
    alias: {
      '@cornerstonejs/jpeg-lossless-decoder-js': fileURLToPath(
        new URL('./src-shared/codecs/jpeg-lossless-cornerstone.ts', import.meta.url),
      ),
    },
  },
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 8000,
  },
  worker: { format: 'es' },
  optimizeDeps: {
    include: [
      'dicom-parser',
      '@cornerstonejs/codec-charls/decodewasmjs',
      '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs',
      '@cornerstonejs/codec-openjpeg/decodewasmjs',
      '@cornerstonejs/codec-openjph/wasmjs',
      '@cornerstonejs/codec-libjxl/decodewasmjs',
    ],
  },
});
