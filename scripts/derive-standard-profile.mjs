#!/usr/bin/env node
/**
 * Derives a profile of AFAS's documented standard connectors from AFAS's OpenAPI files (one per functional area,
 * `oas/*.json` beside the AFAS documentation): a snapshot-format file (src/profit/snapshot.ts) that the emulator
 * serves (`emulator --profile`) and `generate --from` turns into a model, so neither needs the OpenAPI files.
 *
 *   node scripts/derive-standard-profile.mjs [--oas <dir>] [--check]
 *
 * What is carried over are facts: connector ids and their titles (the OpenAPI `summary`, the name metainfo lists),
 * field ids, types, lengths (`maxLength`), mandatory fields (`required`), key fields (the DELETE path's `@Field`s)
 * and code ids with their short labels. AFAS's prose (field descriptions, help texts) is not: a field's label is its
 * id.
 *
 * - GetConnectors: every `GET /connectors/<id>` path; the fields of its response's `rows` items.
 * - UpdateConnectors: every `POST`/`PUT /connectors/<id>`; the fields and nested objects of the `<id>_POST` body
 *   schema (the `<id>_PUT` schema's when there is no POST, and PUT-only fields appended), `$ref`s resolved.
 *
 * Types: `integer` → int, `number` → decimal (decimals from `multipleOf`), `boolean` → boolean, `string` with format
 * `date`/`date-time` → date, any other `string` → string. The GetConnector response schemas give no format, so a
 * GetConnector's date columns are typed string: *unconfirmed* which they are; text passes through unchanged, which
 * is the safe reading. `controlType` is 5 for a code field and 1 otherwise (the two values AFAS's metainfo examples
 * show).
 *
 * `--check` writes nothing and exits 1 when the committed file differs from what the OpenAPI files give.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const OUTPUT = resolve(here, '../profiles/afas-standard.json');
export const DEFAULT_OAS_DIR = '/work/shared/afas-docs/oas';

/** A placeholder `info` (no real environment stands behind the file). */
const INFO = { envid: 'O00000AA', appName: 'AFAS standard connectors', group: 'Standard', tokenExpiry: '0' };

const byId = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

/** Resolves `{ $ref: '#/components/schemas/X' }` within `doc`; other nodes as they are. */
function deref(doc, node) {
  let n = node;
  for (let i = 0; n && typeof n.$ref === 'string' && i < 20; i++) {
    const path = n.$ref.replace(/^#\//, '').split('/');
    n = path.reduce((at, part) => at?.[part], doc);
  }
  return n;
}

/** Decimal places of a `multipleOf` such as 0.01; 0 when unstated. */
function decimalsOf(prop) {
  const step = prop.multipleOf;
  if (typeof step !== 'number' || step >= 1) return 0;
  return Math.max(0, Math.round(-Math.log10(step)));
}

function dataTypeOf(prop) {
  switch (prop.type) {
    case 'integer':
      return 'int';
    case 'number':
      return 'decimal';
    case 'boolean':
      return 'boolean';
    default:
      return prop.format === 'date' || prop.format === 'date-time' ? 'date' : 'string';
  }
}

const lengthOf = (prop) => (typeof prop.maxLength === 'number' ? prop.maxLength : 0);

/** `<id> = <label>;` lines of a code field's description, keyed by id (the code table's short labels). */
function codeLabels(prop) {
  const labels = new Map();
  for (const line of String(prop.description ?? '')
    .split('\n')
    .slice(1)) {
    const text = line.trim().replace(/;$/, '');
    const at = text.indexOf(' = ');
    if (at > 0) labels.set(text.slice(0, at), text.slice(at + 3));
  }
  return labels;
}

function getField(id, prop) {
  const dataType = dataTypeOf(prop);
  return {
    id,
    fieldId: id,
    dataType,
    label: id,
    length: lengthOf(prop),
    controlType: 1,
    decimals: dataType === 'decimal' ? decimalsOf(prop) : 0,
    decimalsFieldId: '',
  };
}

function updateField(id, prop, required, keys) {
  const dataType = dataTypeOf(prop);
  const codes = Array.isArray(prop.enum) ? prop.enum.map(String) : null;
  const labels = codes ? codeLabels(prop) : new Map();
  return {
    fieldId: id,
    primaryKey: keys.includes(id),
    dataType,
    label: id,
    mandatory: required.includes(id),
    length: lengthOf(prop),
    decimals: dataType === 'decimal' ? decimalsOf(prop) : 0,
    decimalFieldId: '',
    notzero: false,
    controlType: codes ? 5 : 1,
    values: codes ? codes.map((code) => ({ id: code, description: labels.get(code) ?? code })) : null,
  };
}

/** `Element` (or its array's item) of an object schema node. */
function elementOf(doc, node) {
  let element = deref(doc, deref(doc, node)?.properties?.Element);
  if (element?.type === 'array') element = deref(doc, element.items);
  return element;
}

/** An update object's fields and nested objects from its `Element` schema; `seen` stops a cycle of `$ref`s. */
function updateObject(doc, name, node, keys, seen) {
  const element = elementOf(doc, node);
  const fieldsNode = deref(doc, element?.properties?.Fields);
  const required = Array.isArray(fieldsNode?.required) ? fieldsNode.required : [];
  const fields = Object.entries(fieldsNode?.properties ?? {}).map(([id, p]) =>
    updateField(id, deref(doc, p), required, keys),
  );
  let objects = deref(doc, element?.properties?.Objects);
  if (objects?.type === 'array') objects = deref(doc, objects.items);
  const nested = [];
  for (const [child, childNode] of Object.entries(objects?.properties ?? {})) {
    const target = deref(doc, childNode);
    if (seen.includes(target)) continue;
    nested.push(updateObject(doc, child, target, [], [...seen, target]));
  }
  return { name, fields, objects: nested };
}

/** Appends `extra`'s fields and objects that `base` lacks (a PUT schema's beside the POST's), recursively. */
function merge(base, extra) {
  const fields = [...base.fields];
  for (const f of extra.fields)
    if (!fields.some((g) => g.fieldId === f.fieldId)) fields.push({ ...f, mandatory: false });
  const objects = base.objects.map((o) => {
    const other = extra.objects.find((e) => e.name === o.name);
    return other ? merge(o, other) : o;
  });
  for (const o of extra.objects) if (!objects.some((b) => b.name === o.name)) objects.push(o);
  return { ...base, fields, objects };
}

/** The profile (a snapshot's JSON value) from the OpenAPI files in `oasDir`. */
export function deriveStandardProfile(oasDir) {
  const get = new Map();
  const update = new Map();
  const titles = { get: new Map(), update: new Map() };
  const files = readdirSync(oasDir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  if (files.length === 0) throw new Error(`no OpenAPI files (*.json) in ${oasDir}`);
  for (const file of files) {
    const doc = JSON.parse(readFileSync(join(oasDir, file), 'utf8'));
    const paths = doc.paths ?? {};
    for (const [path, ops] of Object.entries(paths)) {
      const match = /^\/connectors\/([A-Za-z0-9_]+)$/.exec(path);
      if (!match) continue;
      const id = match[1];
      if (ops.get) {
        const schema = deref(doc, ops.get.responses?.['200']?.content?.['application/json']?.schema);
        const rows = deref(doc, deref(doc, schema?.properties?.rows)?.items);
        const fields = Object.entries(rows?.properties ?? {}).map(([f, p]) => getField(f, deref(doc, p)));
        if (fields.length === 0) throw new Error(`${file}: GET ${path} has no row fields`);
        const meta = { name: id, description: ops.get.summary ?? id, fields };
        const before = get.get(id);
        if (before && JSON.stringify(before) !== JSON.stringify(meta)) {
          throw new Error(`${file}: GetConnector ${id} differs from its description in another file`);
        }
        get.set(id, meta);
      }
      if (ops.post || ops.put) {
        // Key fields: the DELETE path's `@A,@B` (`/connectors/<id>/<object>/@A,@B/{A},{B}`), when there is one.
        const deletePath = Object.keys(paths).find((p) => p.startsWith(`/connectors/${id}/`) && paths[p].delete);
        const keys = deletePath ? [...deletePath.split('/')[4].matchAll(/@([A-Za-z0-9_]+)/g)].map((m) => m[1]) : [];
        const bodies = ['POST', 'PUT']
          .map((method) => doc.components?.schemas?.[`${id}_${method}`])
          .filter((s) => s !== undefined)
          .map((schema) => {
            const [root, node] = Object.entries(deref(doc, schema).properties ?? {})[0] ?? [];
            if (root === undefined) throw new Error(`${file}: ${id}'s body schema has no root object`);
            return updateObject(doc, root, node, keys, [deref(doc, node)]);
          });
        if (bodies.length === 0) throw new Error(`${file}: no ${id}_POST or ${id}_PUT schema`);
        const body = bodies.reduce(merge);
        const meta = {
          name: id,
          description: (ops.post ?? ops.put).summary ?? id,
          fields: body.fields,
          objects: body.objects,
        };
        if (update.has(id) && JSON.stringify(update.get(id)) !== JSON.stringify(meta)) {
          throw new Error(`${file}: UpdateConnector ${id} differs from its description in another file`);
        }
        update.set(id, meta);
      }
      if (ops.get) titles.get.set(id, ops.get.summary ?? id);
      if (ops.post || ops.put) titles.update.set(id, (ops.post ?? ops.put).summary ?? id);
    }
  }
  const sorted = (map) => Object.fromEntries([...map].sort(([a], [b]) => byId(a, b)));
  const refs = (map) => [...map].sort(([a], [b]) => byId(a, b)).map(([id, description]) => ({ id, description }));
  return {
    metainfo: { updateConnectors: refs(titles.update), getConnectors: refs(titles.get), info: INFO },
    get: sorted(get),
    update: sorted(update),
  };
}

/**
 * The file's text: JSON laid out as Biome formats it (two spaces, one member a line; a field's short code list on
 * one line would be Biome's choice too, so lists are always broken: Biome keeps a broken list broken).
 */
export function render(profile) {
  return `${JSON.stringify(profile, null, 2)}\n`;
}

function main(argv) {
  const at = argv.indexOf('--oas');
  const oasDir = at >= 0 ? argv[at + 1] : DEFAULT_OAS_DIR;
  const text = render(deriveStandardProfile(oasDir));
  if (argv.includes('--check')) {
    let current;
    try {
      current = readFileSync(OUTPUT, 'utf8');
    } catch {
      current = undefined;
    }
    if (current !== text) {
      console.error(`${OUTPUT} is not what ${oasDir} gives: run node scripts/derive-standard-profile.mjs`);
      process.exit(1);
    }
    console.log(`${OUTPUT} is current`);
    return;
  }
  writeFileSync(OUTPUT, text);
  console.log(`wrote ${OUTPUT}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
