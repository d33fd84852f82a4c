// `npm run bench [-- group…]`: runs the benchmark groups (all by default) from the compiled build.
// Each prints its figures as `<group>.<figure>: <value> <unit>`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const groups = ['slice', 'library', 'viewer', 'viewer-memory', 'engine', 'providers', 'ohif'];
const wanted = process.argv.slice(2);
for (const group of wanted) {
  if (!groups.includes(group)) {
    console.error(`unknown benchmark group "${group}"; known: ${groups.join(', ')}`);
    process.exit(2);
  }
}
let failed = false;
for (const group of wanted.length > 0 ? wanted : groups) {
  const entry = join(root, 'dist', 'main', 'bench', `${group}.js`);
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run "npm run build"`);
  const result = spawnSync(process.execPath, [entry], { stdio: 'inherit' });
  failed ||= result.status !== 0;
}
process.exit(failed ? 1 : 0);
