/**
 * Debian's Chromium with WebGL2 on SwiftShader (flags from STACK-NOTES), for tests and benchmarks.
 * The page is composited in software, as a stock Chromium (and Electron) does on a machine with no
 * usable GPU, where only WebGL runs on SwiftShader: `--use-angle=swiftshader` alone also composites
 * on SwiftShader, redrawing the whole window for any change (a 10-pixel square changed each frame
 * kept 0.8-1.8 of the 2 cores busy in the GPU process; composited in software, 0.03).
 */
export const chromiumArgs = [
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-gpu-compositing',
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
