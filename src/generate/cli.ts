/**
 * `profit-subgraph generate --from <env.json|live> --out src/model/<name> [--connector ID]… [--name NAME]
 * [--xsd [ID=]FILE]…`: writes a model folder from an environment's metainfo (see emit.ts), keeping the choices of
 * `<out>/profit-model.json` and writing it back with the inferred ones. Prints what it inferred, so the user can
 * review it. `--xsd` takes an UpdateConnector's shape from its XSD instead of its update metainfo
 * (src/profit/xml/xsd-shape.ts).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { ConfigError, loadConfig } from '../config/index.js';
import { ProfitError } from '../profit/errors.js';
import { type ProfitSnapshot, readSnapshot, SnapshotError } from '../profit/snapshot.js';
import { readUpdateXsd, type UpdateXsd, withUpdateXsds } from '../profit/xml/index.js';
import { generateModel, MAPPING_FILE } from './emit.js';
import { type ModelMapping, planModel } from './plan.js';

export interface GenerateArgs {
  readonly from: string;
  readonly out: string;
  readonly connectors: string[];
  readonly name?: string;
  /** `FILE` or `ID=FILE`: XSDs that give UpdateConnectors' shapes instead of their update metainfo. */
  readonly xsd?: string[];
}

const USAGE =
  'usage: profit-subgraph generate --from <env.json|live> --out src/model/<name> [--connector ID]… [--name NAME] [--xsd [ID=]FILE]…';

/** Parses the command's arguments; a ConfigError (one line) for anything amiss. */
export function parseGenerateArgs(argv: readonly string[]): GenerateArgs {
  let from: string | undefined;
  let out: string | undefined;
  let name: string | undefined;
  const connectors: string[] = [];
  const xsd: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (value === undefined || value.startsWith('--')) throw new ConfigError(`${flag} needs a value; ${USAGE}`);
    i++;
    if (flag === '--from') from = value;
    else if (flag === '--out') out = value;
    else if (flag === '--name') name = value;
    else if (flag === '--connector') connectors.push(value);
    else if (flag === '--xsd') xsd.push(value);
    else throw new ConfigError(`unknown option ${flag}; ${USAGE}`);
  }
  if (from === undefined || out === undefined) throw new ConfigError(USAGE);
  return { from, out, connectors, ...(name !== undefined ? { name } : {}), ...(xsd.length > 0 ? { xsd } : {}) };
}

/** A snapshot file (recorded by `snapshot` or written by hand), checked as the snapshot format requires. */
async function readSnapshotFile(file: string): Promise<ProfitSnapshot> {
  try {
    return await readSnapshot(file);
  } catch (error) {
    throw error instanceof SnapshotError ? new ConfigError(`--from ${error.message}`) : error;
  }
}

/** The metainfo of the configured Profit environment, read with the service credential (PROFIT_TOKEN / OAuth). */
async function readLive(connectors: readonly string[]): Promise<ProfitSnapshot> {
  const config = loadConfig();
  if (config.target.kind === 'emulator' || config.credential.kind === 'pass-through') {
    throw new ConfigError(
      '--from live needs PROFIT_ENVIRONMENT (or PROFIT_BASE_URL) and PROFIT_TOKEN or the OAuth pair',
    );
  }
  const { connectionFor } = await import('../server/index.js');
  const { createCredentialResolver } = await import('../server/credentials.js');
  const connection = connectionFor(config);
  try {
    const credential = createCredentialResolver(config, connection)(undefined);
    if (credential.kind !== 'client') throw new ConfigError(credential.message);
    const client = credential.client;
    const metainfo = await client.metainfo();
    const get: Record<string, ProfitSnapshot['get'][string]> = {};
    const update: Record<string, ProfitSnapshot['update'][string]> = {};
    for (const c of metainfo.getConnectors) {
      if (connectors.length === 0 || connectors.includes(c.id)) get[c.id] = await client.getConnectorMetainfo(c.id);
    }
    for (const c of metainfo.updateConnectors) update[c.id] = await client.updateConnectorMetainfo(c.id);
    return { metainfo, get, update };
  } finally {
    await connection.close();
  }
}

/** The `--xsd` files, each `FILE` or `ID=FILE` relative to `root`. */
async function readXsds(specs: readonly string[], root: string): Promise<UpdateXsd[]> {
  const out: UpdateXsd[] = [];
  for (const spec of specs) {
    const at = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(spec);
    const file = resolve(root, at?.[2] ?? spec);
    try {
      out.push(await readUpdateXsd(at ? `${at[1]}=${file}` : file));
    } catch (error) {
      throw error instanceof ProfitError ? new ConfigError(`--xsd ${error.message}`) : error;
    }
  }
  return out;
}

async function readMapping(file: string): Promise<Partial<ModelMapping> | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return JSON.parse(text) as Partial<ModelMapping>;
  } catch (error) {
    throw new ConfigError(`${file}: ${(error as Error).message}`);
  }
}

/** The import path from `out` to `target` (a folder of src/), POSIX-style. */
function importPath(out: string, target: string): string {
  const path = relative(out, target).split(sep).join('/');
  return path.startsWith('.') ? path : `./${path}`;
}

/** Runs the command; returns the files written (relative to the working directory) and the notes. */
export async function runGenerate(
  args: GenerateArgs,
  root = process.cwd(),
): Promise<{ written: string[]; notes: readonly string[] }> {
  const out = resolve(root, args.out);
  const read =
    args.from === 'live' ? await readLive(args.connectors) : await readSnapshotFile(resolve(root, args.from));
  const snapshot = withUpdateXsds(read, await readXsds(args.xsd ?? [], root));
  const mapping = await readMapping(join(out, MAPPING_FILE));
  const name = args.name ?? basename(out);
  // The name PROFIT_MODEL will give: a plain folder name, not one src/models.ts already means something by.
  if (!/^[a-z0-9][a-z0-9_-]*$/i.test(name) || name === 'demo' || name === 'write') {
    throw new ConfigError(
      `the model name '${name}' (--name, else the --out folder) must be a plain name other than demo and write`,
    );
  }
  // The model's imports reach src/graphql and src/profit from wherever the folder sits under src/.
  const src = resolve(root, 'src');
  const options = {
    name,
    ...(args.connectors.length > 0 ? { connectors: args.connectors } : {}),
    ...(mapping !== undefined ? { mapping } : {}),
    coreImport: importPath(out, join(src, 'graphql')),
    profitImport: importPath(out, join(src, 'profit')),
    // No `command`: the header names the generic one, so running with other (equivalent) options changes nothing.
  };
  let files: Map<string, string>;
  let notes: readonly string[];
  try {
    notes = planModel(snapshot, options).notes;
    files = generateModel(snapshot, options);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  const written: string[] = [];
  for (const [file, text] of files) {
    const path = join(out, file);
    await mkdir(dirname(path), { recursive: true });
    const before = await readFile(path, 'utf8').catch(() => undefined);
    if (before === text) continue;
    await writeFile(path, text);
    written.push(relative(root, path));
  }
  return { written, notes };
}

/** `generate`: the CLI entry. */
export async function generateCommand(argv: readonly string[]): Promise<void> {
  const args = parseGenerateArgs(argv);
  const { written, notes } = await runGenerate(args);
  for (const note of notes) console.log(note);
  console.log(written.length === 0 ? `${args.out}: unchanged` : `written: ${written.join(', ')}`);
  console.log(
    `review the inferred choices in ${join(args.out, MAPPING_FILE)}, then serve with PROFIT_MODEL=${args.name ?? basename(args.out)}`,
  );
}
