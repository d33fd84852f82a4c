// Places each model's weights in models/<id>/weights/: copied from the shared test data when it is
// beside the checkout, otherwise downloaded from the manifest's pinned public source. A file whose
// sha256 differs from the manifest is refused. Never fails the install: the app opens without models.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const shared = process.env.LUMEN_SHARED_DIR ?? resolve(root, '..', 'shared');
const modelsDir = process.env.LUMEN_MODELS_DIR ?? join(root, 'models');

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

async function fetchWeights(manifest) {
  const local = join(shared, manifest.weights.sharedPath);
  if (existsSync(local)) return { bytes: readFileSync(local), from: local };
  const response = await fetch(manifest.weights.url, { signal: AbortSignal.timeout(60_000) });
  if (!response.ok) throw new Error(`HTTP ${response.status} from ${manifest.weights.url}`);
  return { bytes: Buffer.from(await response.arrayBuffer()), from: manifest.weights.url };
}

let missing = 0;
for (const entry of readdirSync(modelsDir, { withFileTypes: true })) {
  const manifestPath = join(modelsDir, entry.name, 'manifest.json');
  if (!entry.isDirectory() || !existsSync(manifestPath)) continue;
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const target = join(modelsDir, entry.name, 'weights', manifest.weights.file);
  if (existsSync(target) && sha256(readFileSync(target)) === manifest.weights.sha256) {
    console.log(`models: ${manifest.id} already installed`);
    continue;
  }
  try {
    const { bytes, from } = await fetchWeights(manifest);
    const actual = sha256(bytes);
    if (actual !== manifest.weights.sha256) {
      throw new Error(
        `refused ${from}: sha256 ${actual} differs from the manifest's ${manifest.weights.sha256}`,
      );
    }
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(`${target}.partial`, bytes);
    renameSync(`${target}.partial`, target);
    console.log(`models: installed ${manifest.id} from ${from}`);
  } catch (error) {
    missing++;
    rmSync(`${target}.partial`, { force: true });
    console.warn(`models: ${manifest.id} NOT installed (${error.message}).`);
    console.warn(`models: the app still opens; "Analyze" will explain. Retry with "npm run models:install".`);
  }
}
if (missing > 0) console.warn(`models: ${missing} model(s) missing.`);
