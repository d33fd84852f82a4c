/**
 * The models the app knows: the project's manifests (`models/<id>/manifest.json`) and whether
 * their weights are installed with the expected sha256.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelInfo } from '../../src-shared/api';
import type { ModelManifest } from '../../src-shared/models';

export interface RegisteredModel {
  readonly manifest: ModelManifest;
  readonly weightsPath: string;
}

export class ModelRegistry {
  readonly #models = new Map<string, RegisteredModel>();
  /** sha256 verified once per weights file and run: hashing on every request would cost time. */
  readonly #verified = new Map<string, boolean>();

  /** `userModelsDir`: models the user installed ("Install model…"), beside the project's own. */
  constructor(
    readonly modelsDir: string,
    readonly userModelsDir?: string,
  ) {
    for (const dir of userModelsDir ? [modelsDir, userModelsDir] : [modelsDir]) {
      if (!existsSync(dir)) continue;
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) this.load(join(dir, entry.name));
      }
    }
  }

  /** Registers the model in `dir` (its manifest.json and weights/); the project's ids win over the user's. */
  load(dir: string): void {
    const manifestPath = join(dir, 'manifest.json');
    if (!existsSync(manifestPath)) return;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as ModelManifest;
    if (this.#models.has(manifest.id)) return;
    this.#models.set(manifest.id, { manifest, weightsPath: join(dir, 'weights', manifest.weights.file) });
  }

  all(): RegisteredModel[] {
    return [...this.#models.values()];
  }

  get(id: string): RegisteredModel | undefined {
    return this.#models.get(id);
  }

  async isInstalled(model: RegisteredModel): Promise<boolean> {
    const cached = this.#verified.get(model.weightsPath);
    if (cached !== undefined) return cached;
    const ok =
      existsSync(model.weightsPath) &&
      (await sha256File(model.weightsPath)) === model.manifest.weights.sha256;
    this.#verified.set(model.weightsPath, ok);
    return ok;
  }

  async list(): Promise<ModelInfo[]> {
    const infos: ModelInfo[] = [];
    for (const model of this.#models.values()) {
      const { manifest } = model;
      const installed = await this.isInstalled(model);
      infos.push({
        id: manifest.id,
        name: manifest.name,
        version: manifest.version,
        task: manifest.task,
        modalities: manifest.modalities,
        installed,
        installHint: installed
          ? null
          : `Run "npm run models:install" with an internet connection (or the shared test data beside the app): ` +
            `it fetches ${manifest.weights.file} from its pinned source and checks its sha256.`,
        weightsSha256: manifest.weights.sha256,
        licence: manifest.licence,
        testOnly: manifest.testOnly === true,
      });
    }
    return infos;
  }
}

export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}
