/**
 * Node module hooks that run the TypeScript sources directly (`node --import ./test/support/typescript.mjs
 * src/cli.ts …`), so a test can start the CLI as a child process without a build. Each file is transpiled on its
 * own (as vitest does): `.js` specifiers resolve to the `.ts` file beside them, decorators keep their metadata.
 */
import { readFile } from 'node:fs/promises';
import ts from 'typescript';

const COMPILER_OPTIONS = {
  module: ts.ModuleKind.ESNext,
  target: ts.ScriptTarget.ES2022,
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  // As tsconfig.json: without strictNullChecks a property typed `Other | null` gets `Other` as its decorator
  // metadata, read while two model files import each other (Other not yet defined), where the build has `Object`.
  strict: true,
  esModuleInterop: true,
  inlineSourceMap: false,
};

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const relative = specifier.startsWith('./') || specifier.startsWith('../');
    if (!relative || !specifier.endsWith('.js') || !context.parentURL?.endsWith('.ts')) throw error;
    return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
  }
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return nextLoad(url, context);
  const source = await readFile(new URL(url), 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions: COMPILER_OPTIONS, fileName: url });
  return { format: 'module', source: outputText, shortCircuit: true };
}
