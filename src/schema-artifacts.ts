/**
 * The schema's committed artifacts, kept in step with the code:
 *
 * - `schema/subgraph.graphql`: the SDL `{ _service { sdl } }` returns (what a router composes), plus a final newline;
 * - `schema/generated/graphql.ts`: the typed documents GraphQL Code Generator makes from that SDL and the example
 *   operations in `schema/operations` (codegen.yml).
 *
 * `npm run schema:print` writes the SDL, `npm run codegen` the typed documents; `npm run schema:check` compares
 * both with what the code and codegen give now, writes nothing, and fails naming the stale file and how it differs.
 *
 * Run from the compiled build (`node dist/src/cli.js schema:…`): type-graphql reads the decorators' design types,
 * which `tsc` emits and esbuild-based runners do not. The CLI imports this module only for these commands, because
 * GraphQL Code Generator is a development dependency and the production image does not have it.
 *
 * Per model (`PROFIT_MODEL`, src/models.ts): the demo model's SDL is `schema/subgraph.graphql` with the typed
 * documents of the example operations (written for the demo's types); another model's is
 * `schema/<model>/subgraph.graphql`, checked on its own.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { generate, loadContext } from '@graphql-codegen/cli';
import { buildSchema } from 'graphql';
import { printSubgraphSdl } from './graphql/index.js';
import { DEFAULT_MODEL, loadModel } from './models.js';

/** Relative to the project root (npm runs scripts there). */
export const SDL_FILE = 'schema/subgraph.graphql';
export const CODEGEN_CONFIG_FILE = 'codegen.yml';

/** The model `PROFIT_MODEL` names. @default 'demo' */
const modelOf = (env: NodeJS.ProcessEnv = process.env) => env.PROFIT_MODEL?.trim() || DEFAULT_MODEL;

/** A model's committed SDL file, relative to the project root. */
export function sdlFileOf(model: string): string {
  return model === DEFAULT_MODEL ? SDL_FILE : `schema/${model}/subgraph.graphql`;
}

/** The committed SDL's text: the subgraph's `_service.sdl`, ending with one newline. */
export async function subgraphSdlFileText(model = modelOf()): Promise<string> {
  await loadModel(model);
  return `${(await printSubgraphSdl()).trimEnd()}\n`;
}

/** Writes the model's SDL file (`schema/subgraph.graphql` for the demo); returns whether it changed. */
export async function printSchemaFile(root = process.cwd(), model = modelOf()): Promise<boolean> {
  const file = resolve(root, sdlFileOf(model));
  await mkdir(dirname(file), { recursive: true });
  const text = await subgraphSdlFileText(model);
  const before = await readOptional(file);
  if (before === text) return false;
  await writeFile(file, text);
  return true;
}

/**
 * What codegen would write for codegen.yml, in memory: file name (relative to the root) → content. With `sdl`,
 * from that SDL text instead of the committed file.
 */
export async function generateTypedDocuments(root = process.cwd(), sdl?: string): Promise<Map<string, string>> {
  const context = await loadContext(resolve(root, CODEGEN_CONFIG_FILE));
  // No progress output: the check prints its own verdict.
  context.updateConfig({ silent: true, verbose: false, debug: false, watch: false });
  if (sdl !== undefined) context.updateConfig({ schema: sdl });
  // `generate` is typed loosely (it may return a watcher's promise); without `watch` it gives the outputs.
  const outputs: { filename: string; content: string }[] = await generate(context, false);
  return new Map(outputs.map((o) => [o.filename, o.content]));
}

export interface StaleArtifact {
  readonly file: string;
  /** What is wrong: a short, diff-like description of how the committed file differs, or an error. */
  readonly difference: string;
  /** The command that brings the file up to date; absent when the code itself needs a change. */
  readonly fix?: string;
}

/**
 * Compares the committed artifacts with what the code gives now. The typed documents are generated from the code's
 * SDL, so an operation that a schema change broke fails here even before the SDL file is reprinted.
 */
export async function findStaleArtifacts(root = process.cwd(), model = modelOf()): Promise<StaleArtifact[]> {
  const stale: StaleArtifact[] = [];
  const sdlFile = sdlFileOf(model);
  const expectedSdl = await subgraphSdlFileText(model);
  const committedSdl = await readOptional(resolve(root, sdlFile));
  if (committedSdl !== expectedSdl) {
    stale.push({
      file: sdlFile,
      difference: describeDifference(committedSdl, expectedSdl),
      fix: 'npm run schema:print',
    });
  }
  // Tools other than codegen (editors, linters, client tooling) load the file with graphql-js's strict build: it
  // must define every directive and scalar it uses. Codegen itself assumes valid SDL and would not notice.
  try {
    buildSchema(expectedSdl);
  } catch (error) {
    stale.push({ file: sdlFile, difference: `not a complete schema on its own: ${(error as Error).message}` });
  }
  // The example operations are written for the demo model's types.
  if (model !== DEFAULT_MODEL) return stale;
  let generated: Map<string, string>;
  try {
    generated = await generateTypedDocuments(root, committedSdl === expectedSdl ? undefined : expectedSdl);
  } catch (error) {
    // Codegen's own errors are long (a stack per task); the first lines say what is wrong.
    const message = (error instanceof Error ? error.message : String(error)).split('\n').slice(0, 8).join('\n');
    stale.push({ file: CODEGEN_CONFIG_FILE, difference: `codegen failed: ${message}` });
    return stale;
  }
  for (const [file, content] of generated) {
    const committed = await readOptional(resolve(root, file));
    if (committed !== content) {
      stale.push({ file, difference: describeDifference(committed, content), fix: 'npm run codegen' });
    }
  }
  return stale;
}

/**
 * One hunk in unified-diff style: the committed lines (`-`) against the expected ones (`+`) between the longest
 * common prefix and suffix, with two lines of context and at most `maxLines` lines per side. Pure.
 */
export function describeDifference(committed: string | undefined, expected: string, maxLines = 20): string {
  if (committed === undefined) return `missing (expected ${lineCount(expected)} lines)`;
  const a = committed.split('\n');
  const b = expected.split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const context = 2;
  const from = Math.max(0, start - context);
  const removed = a.slice(start, endA);
  const added = b.slice(start, endB);
  const side = (sign: string, lines: string[]) => [
    ...lines.slice(0, maxLines).map((l) => `${sign} ${l}`),
    ...(lines.length > maxLines ? [`${sign} … ${lines.length - maxLines} more lines`] : []),
  ];
  return [
    `@@ committed lines ${start + 1}–${endA}, expected lines ${start + 1}–${endB} @@`,
    ...a.slice(from, start).map((l) => `  ${l}`),
    ...side('-', removed),
    ...side('+', added),
    ...a.slice(endA, endA + context).map((l) => `  ${l}`),
  ].join('\n');
}

function lineCount(text: string): number {
  return text.split('\n').length;
}

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** `schema:print`: writes schema/subgraph.graphql. */
export async function printSchemaCommand(): Promise<void> {
  const model = modelOf();
  const changed = await printSchemaFile(process.cwd(), model);
  const codegen = changed && model === DEFAULT_MODEL ? ' (now run `npm run codegen`)' : '';
  console.log(`${sdlFileOf(model)}: ${changed ? 'written' : 'unchanged'}${codegen}`);
}

/** `schema:check`: exit code 1 when a committed artifact is stale; writes nothing. */
export async function checkSchemaCommand(): Promise<void> {
  const stale = await findStaleArtifacts();
  if (stale.length === 0) {
    const model = modelOf();
    const what = model === DEFAULT_MODEL ? `${SDL_FILE} and the typed documents match` : `${sdlFileOf(model)} matches`;
    console.log(`schema:check: ${what} the code`);
    return;
  }
  for (const s of stale) {
    if (s.fix !== undefined) {
      console.error(`schema:check: ${s.file} is stale (run \`${s.fix}\` and commit it):\n${s.difference}\n`);
    } else if (s.file === CODEGEN_CONFIG_FILE) {
      console.error(`schema:check: the typed documents cannot be generated from the code's SDL:\n${s.difference}\n`);
    } else {
      console.error(`schema:check: ${s.file}: ${s.difference}\n`);
    }
  }
  process.exitCode = 1;
}
