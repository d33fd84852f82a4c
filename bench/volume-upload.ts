/**
 * The volume texture's upload alone, in this Chromium's WebGL and outside the app: a volume of the
 * 128-slice CT's size (512 x 512 x 128) uploaded slice by slice into a 3D texture, as Cornerstone's
 * streaming texture does, as 32-bit floats (its format where WebGL has no EXT_texture_norm16) and as
 * norm16 where the extension exists. The MPR's last step (`viewer.mpr_upload_and_first_frame`)
 * cannot take less than this.
 */
import { launchChromium } from '../test-support/browser-session';
import { figure } from './report';

const GROUP = 'viewer';
const ROUNDS = 4;

interface UploadRound {
  /** Milliseconds from the first texSubImage3D to the upload finished (a pixel read back). */
  float32: number;
  /** The same as norm16 (R16_EXT), or null where WebGL lacks the extension. */
  norm16: number | null;
}

/**
 * The page's script (source text: this project's Node build has no DOM types). One round: a
 * texture of each format allocated, then filled slice by slice and read back once.
 */
const UPLOAD_ROUND = `(() => {
  const canvas = document.createElement('canvas');
  const gl = canvas.getContext('webgl2');
  const [width, height, depth] = [512, 512, 128];
  const norm16 = gl.getExtension('EXT_texture_norm16');
  gl.getExtension('OES_texture_float_linear');
  gl.pixelStorei(gl.UNPACK_ALIGNMENT, 1);
  const floats = new Float32Array(width * height).map((_, i) => (i % 3000) - 1000);
  const shorts = new Uint16Array(width * height).map((_, i) => i % 3000);
  const upload = (internalFormat, type, slice) => {
    const texture = gl.createTexture();
    gl.bindTexture(gl.TEXTURE_3D, texture);
    gl.texImage3D(gl.TEXTURE_3D, 0, internalFormat, width, height, depth, 0, gl.RED, type, null);
    const started = performance.now();
    for (let z = 0; z < depth; z++)
      gl.texSubImage3D(gl.TEXTURE_3D, 0, 0, 0, z, width, height, 1, gl.RED, type, slice);
    gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
    const elapsed = performance.now() - started;
    gl.deleteTexture(texture);
    if (gl.getError() !== gl.NO_ERROR) throw new Error('WebGL refused the upload');
    return elapsed;
  };
  return {
    float32: upload(gl.R32F, gl.FLOAT, floats),
    norm16: norm16 ? upload(norm16.R16_EXT, gl.UNSIGNED_SHORT, shorts) : null,
  };
})()`;

export async function benchmarkVolumeUpload(): Promise<void> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const rounds: UploadRound[] = [];
    for (let round = 0; round < ROUNDS; round++) rounds.push(await page.evaluate<UploadRound>(UPLOAD_ROUND));
    // The first round also starts the GPU process's texture paths: the best of the others counts.
    const timed = rounds.slice(1);
    figure(GROUP, 'volume_texture_upload_float32', Math.min(...timed.map((round) => round.float32)), 'ms', 0);
    const norm16 = timed.map((round) => round.norm16).filter((ms) => ms !== null);
    if (norm16.length > 0) figure(GROUP, 'volume_texture_upload_norm16', Math.min(...norm16), 'ms', 0);
    else console.log(`${GROUP}: volume_texture_upload_norm16 not measured (no EXT_texture_norm16)`);
  } finally {
    await browser.close();
  }
}
