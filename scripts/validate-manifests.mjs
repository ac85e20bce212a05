#!/usr/bin/env node
// Validates Kubernetes manifests without a cluster: every document of every *.yaml file under the given folders
// (default deploy/kubernetes) against the JSON schemas of the Kubernetes API that the npm package kubernetes-models
// bundles (types, required fields, enums, formats; it is generated from the API's OpenAPI description). Nothing is
// fetched at run time, so it works where only the npm registry is reachable (kubeconform downloads its schemas).
// Those schemas allow unknown fields, so a second pass types each object with the package's TypeScript declarations
// of the same API (a misspelt field is then an excess property; TypeScript names the first one per object).
//
//   node scripts/validate-manifests.mjs [folder…]     one line per problem on stderr; exit 1 on any
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { parseAllDocuments } from 'yaml';

/** Files in a folder that are not cluster objects: kustomize's own configuration. */
const NOT_OBJECTS = new Set(['kustomization.yaml', 'kustomization.yml']);

/** kubernetes-models' module for an apiVersion: `v1` (the core group) or `group/version`. */
const moduleOf = (apiVersion) => `kubernetes-models/${apiVersion}`;

function yamlFiles(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? yamlFiles(join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [join(dir, e.name)] : [],
    )
    .sort();
}

/** The problems of one file, each a line `file[#document] Kind/name: message`; schema-valid objects go to `valid`. */
export async function validateFile(file, valid = []) {
  const name = relative(process.cwd(), file);
  if (NOT_OBJECTS.has(file.split('/').at(-1))) return [];
  const problems = [];
  const documents = parseAllDocuments(readFileSync(file, 'utf8'));
  if (!Array.isArray(documents)) return [`${name}: not a YAML stream`];
  for (const [index, document] of documents.entries()) {
    const where = documents.length > 1 ? `${name}#${index + 1}` : name;
    if (document.errors.length > 0) {
      problems.push(...document.errors.map((e) => `${where}: YAML: ${e.message.split('\n')[0]}`));
      continue;
    }
    const object = document.toJS();
    if (object === null || object === undefined) continue;
    const { apiVersion, kind } = object;
    const label = `${where} ${kind ?? '?'}/${object.metadata?.name ?? '?'}`;
    if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
      problems.push(`${label}: apiVersion and kind are required`);
      continue;
    }
    let Model;
    try {
      Model = (await import(moduleOf(apiVersion)))[kind];
    } catch {
      Model = undefined;
    }
    if (typeof Model !== 'function') {
      problems.push(`${label}: unknown apiVersion/kind ${apiVersion} ${kind}`);
      continue;
    }
    try {
      new Model(object).validate();
      valid.push({ label, apiVersion, kind, object });
    } catch (error) {
      for (const message of String(error.message).split(', ')) problems.push(`${label}: ${message}`);
    }
  }
  return problems;
}

/**
 * Unknown fields: each object as a constant typed `I<Kind>` from kubernetes-models' declarations, in one program
 * compiled in memory beside this script (so the package resolves as it does for the script).
 */
export function unknownFields(objects) {
  if (objects.length === 0) return [];
  const file = join(import.meta.dirname, '__manifests__.mts');
  const lines = objects.map(
    ({ apiVersion, kind }, i) => `import type { I${kind} as T${i} } from 'kubernetes-models/${apiVersion}/${kind}';`,
  );
  const starts = [];
  let text = `${lines.join('\n')}\n`;
  for (const [i, { object }] of objects.entries()) {
    starts.push(text.length);
    text += `export const m${i}: T${i} = ${JSON.stringify(object)};\n`;
  }
  const options = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists } = host;
  host.getSourceFile = (name, language, ...rest) =>
    name === file ? ts.createSourceFile(name, text, language) : getSourceFile.call(host, name, language, ...rest);
  host.fileExists = (name) => name === file || fileExists.call(host, name);
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const index = starts.findLastIndex((start) => start <= (d.start ?? 0));
    const label = index < 0 ? 'manifests' : objects[index].label;
    return `${label}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n').split('\n')[0]}`;
  });
}

/** The problems of every manifest under `dirs`, and how many files were read. */
export async function validateManifests(dirs) {
  const files = dirs.flatMap(yamlFiles);
  const problems = [];
  const valid = [];
  for (const file of files) problems.push(...(await validateFile(file, valid)));
  problems.push(...unknownFields(valid));
  return { files: files.length, problems };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dirs = process.argv.length > 2 ? process.argv.slice(2) : ['deploy/kubernetes'];
  const { files, problems } = await validateManifests(dirs);
  for (const problem of problems) console.error(problem);
  if (files === 0) console.error(`no manifests under ${dirs.join(', ')}`);
  console.log(`manifests: ${files} files, ${problems.length} problems`);
  process.exit(files > 0 && problems.length === 0 ? 0 : 1);
}
