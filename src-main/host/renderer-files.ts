/** Maps a URL path onto a file of the built renderer, refusing anything outside its folder. */
import { existsSync, statSync } from 'node:fs';
import { join, normalize, sep } from 'node:path';

export function resolveRendererFile(rendererDir: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const file = normalize(join(rendererDir, relative));
  if (!file.startsWith(rendererDir + sep)) return null;
  return existsSync(file) && statSync(file).isFile() ? file : null;
}
