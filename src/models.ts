/**
 * The composition root's choice of model: `PROFIT_MODEL` names the folder the service serves. `demo` (the default)
 * is src/model; any other name is a folder src/model/<name> with an `index.ts`, such as `profit-subgraph generate`
 * writes (compiled by `npm run build` like the rest). The core (src/graphql) imports no model: this module imports
 * the chosen one, which registers its entities, and hands it to the schema build.
 */
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError } from './config/index.js';
import { type ModelModule, useModel } from './graphql/index.js';

/** Models that live elsewhere than src/model/<name>. */
const MODELS: Readonly<Record<string, () => Promise<ModelModule>>> = {
  demo: () => import('./model/index.js'),
};

/** @default 'demo' */
export const DEFAULT_MODEL = 'demo';

const MODEL_NAME = /^[a-z0-9][a-z0-9_-]*$/i;

/** Where model folders live: src/model (dist/src/model once built). */
export const MODEL_DIRECTORY = new URL('./model/', import.meta.url);

/** The model folders in `directory` that have an index. */
export function knownModels(directory: URL = MODEL_DIRECTORY): string[] {
  const folders = existsSync(directory)
    ? readdirSync(directory, { withFileTypes: true })
        .filter((d) => d.isDirectory() && d.name !== 'write' && indexOf(directory, d.name) !== undefined)
        .map((d) => d.name)
    : [];
  return [...new Set([...Object.keys(MODELS), ...folders])].sort();
}

/** The model folder's index module: compiled `.js`, else the source `.ts` (tests run the sources). */
function indexOf(directory: URL, name: string): URL | undefined {
  for (const file of ['index.js', 'index.ts']) {
    const url = new URL(`./${name}/${file}`, directory);
    if (existsSync(url)) return url;
  }
  return undefined;
}

const loaded = new Map<string, Promise<void>>();

/**
 * Imports the named model (once) and makes it the one the schema is built from; a ConfigError (one line) for a
 * name that is no model here. `directory`: where to look for model folders (tests load a generated one).
 */
export function loadModel(name: string = DEFAULT_MODEL, directory: URL = MODEL_DIRECTORY): Promise<void> {
  let loading = loaded.get(name);
  if (!loading) {
    loading = importModel(name, directory);
    loaded.set(name, loading);
    // A failed load is not remembered: the error is the caller's, and the next call tries again.
    loading.catch(() => loaded.delete(name));
  }
  return loading;
}

async function importModel(name: string, directory: URL): Promise<void> {
  const builtIn = MODELS[name];
  const url = builtIn === undefined && MODEL_NAME.test(name) && name !== 'write' ? indexOf(directory, name) : undefined;
  if (builtIn === undefined && url === undefined) {
    throw new ConfigError(
      `PROFIT_MODEL=${name} is no model: use one of ${knownModels(directory).join(', ')} (a generated model needs npm run build)`,
    );
  }
  // A source `.ts` index is imported by path, which a TypeScript-aware runner (vitest) transforms; a file URL
  // would go to Node's own loader.
  const specifier = url?.pathname.endsWith('.ts') ? fileURLToPath(url) : url?.href;
  const module: ModelModule = builtIn ? await builtIn() : ((await import(specifier!)) as ModelModule);
  useModel(name, module);
}
