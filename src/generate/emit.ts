/**
 * The model's files from a plan: one entity file per GetConnector in the style of src/model (`@Entity`, `@Bound`,
 * `@Relation`, and `@Writes` / `@Input` for the UpdateConnector that writes it), an index, and the mapping file.
 * The text is already formatted as Biome formats it (120 columns, single quotes, sorted imports), so generated
 * files pass `biome check` and re-running gives the same bytes. Pure and deterministic.
 */
import { plural } from './names.js';
import {
  type FieldType,
  type ModelMapping,
  type PlannedType,
  type PlanOptions,
  type ProfitSnapshot,
  planModel,
} from './plan.js';

export interface GenerateOptions extends PlanOptions {
  /** The model's name (`PROFIT_MODEL`). */
  readonly name: string;
  /** The import path from the model folder to src/graphql. @default '../../graphql' */
  readonly coreImport?: string;
  /** The import path from the model folder to src/profit. @default '../../profit' */
  readonly profitImport?: string;
  /** The command that regenerates the model, for the files' header. */
  readonly command?: string;
}

/** The mapping file's name inside the model folder. */
export const MAPPING_FILE = 'profit-model.json';

const WIDTH = 120;

/** A string literal as Biome prints it: single quotes unless the text holds more single than double quotes. */
export function quote(text: string): string {
  const escaped = text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
  const singles = (text.match(/'/g) ?? []).length;
  const doubles = (text.match(/"/g) ?? []).length;
  if (singles > doubles) return `"${escaped.replace(/"/g, '\\"')}"`;
  return `'${escaped.replace(/'/g, "\\'")}'`;
}

type Value = string | number | boolean | readonly string[] | Readonly<Record<string, string>>;

function literal(value: Value): string {
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map((v) => quote(v)).join(', ')}]`;
  const entries = Object.entries(value as Record<string, string>);
  return entries.length === 0 ? '{}' : `{ ${entries.map(([k, v]) => `${k}: ${quote(v)}`).join(', ')} }`;
}

/**
 * A decorator call `@Name(arg, …, { option: value })` at the given indent: on one line when it fits, else with the
 * options object broken one property a line (Biome's formatting of a last object argument).
 */
function decorator(indent: string, name: string, args: readonly string[], options: [string, Value][]): string {
  const object = options.length ? `{ ${options.map(([k, v]) => `${k}: ${literal(v)}`).join(', ')} }` : undefined;
  const all = object ? [...args, object] : args;
  const line = `${indent}@${name}(${all.join(', ')})`;
  if (line.length <= WIDTH || !object) return line;
  const inner = `${indent}  `;
  return [
    `${indent}@${name}(${[...args, '{'].join(', ')}`,
    ...options.map(([k, v]) => property(inner, k, v)),
    `${indent}})`,
  ].join('\n');
}

/**
 * One property of a broken object, as Biome prints it: on one line when it fits; else a string goes to the next
 * line, indented, and a list puts each element on a line of its own.
 */
function property(indent: string, key: string, value: Value): string {
  const line = `${indent}${key}: ${literal(value)},`;
  if (line.length <= WIDTH) return line;
  if (typeof value === 'string') return `${indent}${key}:\n${indent}  ${literal(value)},`;
  if (Array.isArray(value)) {
    return [`${indent}${key}: [`, ...value.map((v) => `${indent}  ${quote(v)},`), `${indent}],`].join('\n');
  }
  return line;
}

function fileNameOf(typeName: string): string {
  return typeName
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}

function propertyType(type: FieldType): string {
  switch (type) {
    case 'int':
      return 'number';
    case 'decimal':
      return 'ProfitDecimal | number';
    case 'boolean':
      return 'boolean';
    case 'datetime':
      return 'Date';
    default:
      return 'string';
  }
}

function inputType(type: FieldType): string {
  switch (type) {
    case 'int':
      return 'number | null';
    case 'decimal':
      // Sent as written: a decimal string or number, checked against the field's decimals.
      return 'unknown';
    case 'boolean':
      return 'boolean | null';
    case 'datetime':
      return 'Date | null';
    default:
      return 'string | null';
  }
}

/** Code tables this small become a checked list in the declaration; larger ones are read from the environment. */
const MAX_LISTED_CODES = 12;

/**
 * Biome's import order: farther (`../`) before nearer (`./`), then by path without its extension, so `./user.js`
 * comes before `./user-group.js` (a name before the longer names it begins).
 */
function importOrder(a: string, b: string): number {
  const depth = (s: string) => (s.match(/\.\.\//g) ?? []).length;
  if (depth(a) !== depth(b)) return depth(b) - depth(a);
  const x = a.replace(/\.js$/, '');
  const y = b.replace(/\.js$/, '');
  return x < y ? -1 : x > y ? 1 : 0;
}

function importLine(from: string, names: readonly string[], typeOnly: boolean): string {
  const sorted = [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `import ${typeOnly ? 'type ' : ''}{ ${sorted.join(', ')} } from '${from}';`;
}

function header(lines: readonly string[]): string {
  return ['/**', ...lines.map((l) => (l ? ` * ${l}` : ' *')), ' */'].join('\n');
}

function entityFile(type: PlannedType, options: GenerateOptions, files: ReadonlyMap<string, string>): string {
  const core = options.coreImport ?? '../../graphql';
  const profit = options.profitImport ?? '../../profit';
  const command = options.command ?? `npx profit-subgraph generate --from <env.json|live> --out <this folder>`;
  const imports = new Map<string, { names: Set<string>; typeOnly: boolean }>();
  const use = (from: string, name: string, typeOnly = false) => {
    const entry = imports.get(from) ?? { names: new Set<string>(), typeOnly };
    entry.typeOnly &&= typeOnly;
    entry.names.add(name);
    imports.set(from, entry);
  };
  use(`${core}/binding.js`, 'Entity');
  use(`${core}/binding.js`, 'Bound');

  const body: string[] = [];
  const entityOptions: [string, Value][] = [
    ['connector', type.connector],
    ['key', type.key],
  ];
  // The core's list query adds an `s` (`countrys`, `addresss`): name it when English does otherwise.
  const list = plural(type.name);
  if (list !== `${type.name.charAt(0).toLowerCase()}${type.name.slice(1)}s`) entityOptions.push(['queries', { list }]);
  if (type.description) entityOptions.push(['description', type.description]);
  body.push(decorator('', 'Entity', [], entityOptions));
  body.push(`export class ${type.name} {`);
  const members: string[] = [];
  for (const f of type.fields) {
    const opts: [string, Value][] = [];
    if (f.label && f.label !== f.id) opts.push(['description', f.label]);
    if (f.type === 'decimal') use(`${profit}/index.js`, 'ProfitDecimal', true);
    const tsType = f.key ? propertyType(f.type) : `${propertyType(f.type)} | null`;
    members.push(`${decorator('  ', 'Bound', [quote(f.id), quote(f.type)], opts)}\n  ${f.name}!: ${tsType};`);
  }
  for (const r of type.relations) {
    use(`${core}/binding.js`, 'Relation');
    const targetFile = files.get(r.target)!;
    if (r.target !== type.name) use(`./${targetFile}.js`, r.target);
    const opts: [string, Value][] = [['on', r.on]];
    if (r.list) {
      opts.push(['list', true]);
      use(`${core}/connection.js`, 'Connection', true);
    }
    const tsType = r.list ? `Connection<${r.target}> | null` : `${r.target} | null`;
    members.push(`${decorator('  ', 'Relation', [`() => ${r.target}`], opts)}\n  ${r.name}?: ${tsType};`);
  }
  body.push(members.join('\n\n'));
  body.push('}');

  if (type.write) {
    const w = type.write;
    use(`${core}/write/index.js`, 'Writes');
    use(`${core}/write/index.js`, 'Input');
    const hasKey = w.inputs.some((i) => i.field.primaryKey);
    const operations = hasKey ? ['create', 'update', 'delete'] : ['create', 'update'];
    body.push('');
    body.push(
      decorator(
        '',
        'Writes',
        [],
        [
          ['connector', w.connector],
          ['entity', `__ARROW__${type.name}`],
          ['key', w.key],
          ['operations', operations],
        ],
      ).replace(`'__ARROW__${type.name}'`, `() => ${type.name}`),
    );
    body.push(`export class ${w.className} {`);
    const inputs: string[] = [];
    for (const i of w.inputs) {
      const f = i.field;
      const opts: [string, Value][] = [];
      if (i.type === 'string' && f.length > 0) opts.push(['length', f.length]);
      if (i.type === 'decimal' && f.decimals > 0) opts.push(['decimals', f.decimals]);
      if (f.primaryKey) opts.push(['key', true]);
      if (f.mandatory) opts.push(['mandatory', true]);
      const codes = (f.values ?? []).map((v) => v.id);
      if (codes.length > 0 && (i.type === 'string' || i.type === 'int')) {
        opts.push(['oneOf', codes.length <= MAX_LISTED_CODES ? codes : 'environment']);
      }
      if (f.label && f.label !== f.fieldId) opts.push(['description', f.label]);
      let line = decorator('  ', 'Input', [quote(f.fieldId), quote(i.type)], opts);
      if (line.split('\n').some((l) => l.length > WIDTH) && codes.length > 0) {
        // A listed code table too wide for a line: the environment's own table checks the same codes.
        const index = opts.findIndex(([k]) => k === 'oneOf');
        opts[index] = ['oneOf', 'environment'];
        line = decorator('  ', 'Input', [quote(f.fieldId), quote(i.type)], opts);
      }
      inputs.push(`${line}\n  ${i.name}?: ${inputType(i.type)};`);
    }
    body.push(inputs.join('\n\n'));
    body.push('}');
  }

  const importLines = [...imports.keys()]
    .sort(importOrder)
    .map((from) => importLine(from, [...imports.get(from)!.names], imports.get(from)!.typeOnly));
  const title = `${type.name}: ${type.connector}${type.description ? ` (${type.description})` : ''}${type.write ? `, written by ${type.write.connector}` : ''}.`;
  return `${[
    header([
      title,
      '',
      `Generated by \`profit-subgraph generate\` from the environment's metainfo; regenerate with`,
      `\`${command}\`.`,
      'Re-running rewrites this file: keep names, keys, day-or-moment and relations in profit-model.json.',
    ]),
    ...importLines,
    '',
    ...body,
  ].join('\n')}\n`;
}

/** JSON as Biome formats it: objects one member a line, arrays of strings on one line when they fit. */
function printJson(value: unknown, indent = ''): string {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((v) => typeof v !== 'object' || v === null)) {
      const line = `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
      if (indent.length + line.length < WIDTH - 20) return line;
    }
    return `[\n${value.map((v) => `${inner}${printJson(v, inner)}`).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${printJson(v, inner)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

/** The mapping file's text. */
export function mappingText(mapping: ModelMapping): string {
  return `${printJson(mapping)}\n`;
}

/**
 * The model folder's files (path relative to the folder → text): an entity file per GetConnector, `index.ts` and
 * the mapping file with every choice made.
 */
export function generateModel(snapshot: ProfitSnapshot, options: GenerateOptions): Map<string, string> {
  const plan = planModel(snapshot, options);
  const fileOf = new Map(plan.types.map((t) => [t.name, fileNameOf(t.name)]));
  const files = new Map<string, string>();
  for (const type of plan.types) files.set(`${fileOf.get(type.name)}.ts`, entityFile(type, options, fileOf));
  const exports = plan.types
    .map((t) => ({ from: `./${fileOf.get(t.name)}.js`, names: [t.name, ...(t.write ? [t.write.className] : [])] }))
    .sort((a, b) => importOrder(a.from, b.from));
  files.set(
    'index.ts',
    `${[
      header([
        `The \`${options.name}\` model: serve it with \`PROFIT_MODEL=${options.name}\`. Importing this module registers its entities`,
        'and write declarations. Generated by `profit-subgraph generate`; re-running rewrites it.',
      ]),
      ...exports.map((e) => `export ${importLine(e.from, e.names, false).slice('import '.length)}`),
    ].join('\n')}\n`,
  );
  files.set(MAPPING_FILE, mappingText(plan.mapping));
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
