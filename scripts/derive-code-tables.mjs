#!/usr/bin/env node
/**
 * Derives the code tables of the UpdateConnectors the emulator serves from AFAS's OpenAPI files (one per
 * functional area, `oas/*.json` beside the AFAS documentation) and writes them to a committed TypeScript file, so
 * the build and the tests never need the OpenAPI files.
 *
 *   node scripts/derive-code-tables.mjs [--oas <dir>] [--check]
 *
 * In the OpenAPI files a code field is a string with an `enum` of its ids and a description whose first line is the
 * field's name and whose other lines are `<id> = <label>;`. The script takes each table from the POST body schema
 * of the connector (and fails when the PUT schema differs, or when the ids of `enum` and description disagree), and
 * writes `connector → object → field → [id, label][]` in AFAS's order.
 *
 * `--check` writes nothing and exits 1 when the committed file differs from what the OpenAPI files give.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const OUTPUT = resolve(here, '../src/emulator/company/update/afas-code-tables.ts');
export const DEFAULT_OAS_DIR = '/work/shared/afas-docs/oas';

/** The UpdateConnectors the emulator serves that AFAS's OpenAPI files describe (KnEmployee is not among them). */
export const CONNECTORS = [
  'HrAbsence',
  'HrAbsenceID',
  'KnAppointment',
  'KnOrganisation',
  'KnPerson',
  'KnSubject',
  'KnUser',
  'PtProject',
];

/** `{ object: { field: [[id, label], …] } }` of one connector body schema. */
function tablesOf(schema, where) {
  const out = {};
  const walk = (node, objectName) => {
    const props = node?.properties ?? {};
    let element = props.Element;
    if (element === undefined) {
      for (const [name, child] of Object.entries(props)) walk(child, name);
      if (node?.type === 'array') walk(node.items, objectName);
      return;
    }
    if (element.type === 'array') element = element.items;
    const fields = element?.properties?.Fields?.properties ?? {};
    for (const [fieldId, field] of Object.entries(fields)) {
      if (!Array.isArray(field.enum)) continue;
      const rows = parseRows(field, `${where} ${objectName}.${fieldId}`);
      out[objectName] = { ...out[objectName], [fieldId]: rows };
    }
    let objects = element?.properties?.Objects;
    if (objects?.type === 'array') objects = objects.items;
    for (const [name, child] of Object.entries(objects?.properties ?? {})) walk(child, name);
  };
  walk(schema, undefined);
  return out;
}

function parseRows(field, where) {
  const lines = String(field.description ?? '')
    .split('\n')
    .slice(1);
  const rows = [];
  for (const line of lines) {
    const text = line.trim().replace(/;$/, '');
    if (text === '') continue;
    const at = text.indexOf(' = ');
    if (at < 0) throw new Error(`${where}: cannot read the code line ${JSON.stringify(line)}`);
    rows.push([text.slice(0, at), text.slice(at + 3)]);
  }
  const ids = rows.map(([id]) => id);
  if (JSON.stringify(ids) !== JSON.stringify(field.enum.map(String))) {
    throw new Error(`${where}: the description's codes differ from the enum`);
  }
  return rows;
}

/** Every connector's tables, read from the OpenAPI files in `oasDir`. */
export function deriveCodeTables(oasDir) {
  const schemas = {};
  for (const file of readdirSync(oasDir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const doc = JSON.parse(readFileSync(join(oasDir, file), 'utf8'));
    for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) schemas[name] = schema;
  }
  const tables = {};
  for (const connector of CONNECTORS) {
    const post = schemas[`${connector}_POST`];
    if (!post) throw new Error(`no ${connector}_POST schema in ${oasDir}`);
    tables[connector] = tablesOf(post, `${connector}_POST`);
    const put = schemas[`${connector}_PUT`];
    if (put && JSON.stringify(tablesOf(put, `${connector}_PUT`)) !== JSON.stringify(tables[connector])) {
      throw new Error(`${connector}: the PUT schema's code tables differ from the POST schema's`);
    }
  }
  return tables;
}

const quote = (s) =>
  s.includes("'") && !s.includes('"') ? JSON.stringify(s) : `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const key = (s) => (/^[A-Za-z_$][\w$]*$/.test(s) ? s : quote(s));

/**
 * The TypeScript source of the committed file. A table that stands under several fields (nationalities in
 * KnPerson and in KnOrganisation's contact person, …) is written once, as a constant the fields share.
 */
export function render(tables) {
  const rowsOf = (rows) => rows.map(([id, label]) => `[${quote(id)}, ${quote(label)}],`);
  const uses = new Map();
  for (const objects of Object.values(tables))
    for (const fields of Object.values(objects))
      for (const [fieldId, rows] of Object.entries(fields)) {
        const text = JSON.stringify(rows);
        const use = uses.get(text) ?? { fieldId, rows, count: 0 };
        use.count++;
        uses.set(text, use);
      }
  const shared = new Map();
  const names = new Set();
  for (const [text, { fieldId, rows, count }] of uses) {
    if (count < 2) continue;
    let name = `${fieldId.toUpperCase()}_CODES`;
    for (let n = 2; names.has(name); n++) name = `${fieldId.toUpperCase()}_CODES_${n}`;
    names.add(name);
    shared.set(text, { name, rows });
  }
  const lines = [
    '/**',
    " * AFAS's code tables of the UpdateConnectors the emulator serves: connector → object → field → [id, label], in",
    " * AFAS's order. Generated by `node scripts/derive-code-tables.mjs` from AFAS's OpenAPI files; do not edit.",
    ' */',
    'export type CodeRow = readonly [id: string, label: string];',
    '',
  ];
  for (const { name, rows } of shared.values()) {
    lines.push(`const ${name}: readonly CodeRow[] = [`, ...rowsOf(rows).map((r) => `  ${r}`), '];', '');
  }
  lines.push(
    'export const AFAS_CODE_TABLES: Readonly<',
    '  Record<string, Readonly<Record<string, Readonly<Record<string, readonly CodeRow[]>>>>>',
    '> = {',
  );
  for (const [connector, objects] of Object.entries(tables)) {
    lines.push(`  ${key(connector)}: {`);
    for (const [object, fields] of Object.entries(objects)) {
      lines.push(`    ${key(object)}: {`);
      for (const [fieldId, rows] of Object.entries(fields)) {
        const common = shared.get(JSON.stringify(rows));
        if (common) {
          lines.push(`      ${key(fieldId)}: ${common.name},`);
          continue;
        }
        lines.push(`      ${key(fieldId)}: [`, ...rowsOf(rows).map((r) => `        ${r}`), '      ],');
      }
      lines.push('    },');
    }
    lines.push('  },');
  }
  lines.push('};', '');
  return lines.join('\n');
}

function main(argv) {
  const at = argv.indexOf('--oas');
  const oasDir = at >= 0 ? argv[at + 1] : DEFAULT_OAS_DIR;
  const source = render(deriveCodeTables(oasDir));
  if (argv.includes('--check')) {
    const current = readFileSync(OUTPUT, 'utf8');
    if (current !== source) {
      console.error(`${OUTPUT} is not what ${oasDir} gives: run node scripts/derive-code-tables.mjs`);
      process.exit(1);
    }
    console.log(`${OUTPUT} is current`);
    return;
  }
  writeFileSync(OUTPUT, source);
  console.log(`wrote ${OUTPUT}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
