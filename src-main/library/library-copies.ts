/**
 * Where the library keeps its own copies of instances: named by the SOP Instance UID, so importing
 * the same instance again rewrites the same copy.
 */
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** The copy's path for an instance, its folder created; `suffix` keeps the file's extension ('.dcm'). */
export async function libraryCopyPath(
  folder: string,
  sopInstanceUid: string,
  suffix: string,
): Promise<string> {
  const name = createHash('sha256').update(sopInstanceUid).digest('hex').slice(0, 32);
  const target = join(folder, name.slice(0, 2), `${name}${suffix}`);
  await mkdir(dirname(target), { recursive: true });
  return target;
}
