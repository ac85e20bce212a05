/**
 * The configuration table, from the declarations in variables.ts: docs/configuration.md (`npm run docs:config`,
 * checked by `npm run docs:config:check` in CI) and the short form `profit-subgraph <command> --help` prints.
 * Pure: variables in, text out.
 */
import { GROUPS, type Variable, type VariableName, variableList } from './variables.js';

/** Relative to the project root (npm runs scripts there). */
export const CONFIGURATION_FILE = 'docs/configuration.md';

type Named = Variable & { readonly name: VariableName };

const UNIT_WORDS: Record<string, string> = { ms: 'ms', s: 's', bytes: 'bytes' };

/** A number as an environment variable takes it: plain digits, so it can be copied. */
const grouped = (value: number) => String(value);

/** Bytes in MiB/GiB where that is exact, for a reader's eye. */
function bytesHint(value: number): string {
  if (value >= 1024 ** 3 && value % 1024 ** 3 === 0) return ` (${value / 1024 ** 3} GiB)`;
  if (value >= 1024 ** 2 && value % 1024 ** 2 === 0) return ` (${value / 1024 ** 2} MiB)`;
  return '';
}

function withUnit(variable: Extract<Variable, { type: 'integer' }>, value: number): string {
  const unit = variable.unit === undefined ? '' : ` ${UNIT_WORDS[variable.unit]}`;
  return `${grouped(value)}${unit}${variable.unit === 'bytes' ? bytesHint(value) : ''}`;
}

/** The default in words: `defaultText`, else the value (and the production default where it differs). */
export function defaultOf(variable: Variable): string {
  if (variable.defaultText !== undefined) return variable.defaultText;
  switch (variable.type) {
    case 'integer': {
      const base = `\`${withUnit(variable, variable.default)}\``;
      return variable.productionDefault === undefined
        ? base
        : `${base}, \`${withUnit(variable, variable.productionDefault)}\` with \`NODE_ENV=production\``;
    }
    case 'boolean':
      return variable.productionDefault === undefined
        ? `\`${variable.default}\``
        : `\`${variable.default}\`, \`${variable.productionDefault}\` with \`NODE_ENV=production\``;
    case 'enum':
      return `\`${variable.default}\``;
    case 'string':
      return variable.default === undefined ? '—' : `\`${variable.default}\``;
    case 'external':
      return '—';
  }
}

/** What a value may be: a range, a list of values, a format, or who reads it. */
export function valuesOf(variable: Variable): string {
  switch (variable.type) {
    case 'integer':
      return `${grouped(variable.min)}–${grouped(variable.max)}${variable.unit === undefined ? '' : ` ${variable.unit}`}`;
    case 'boolean':
      return '`true`, `false` (or `1`, `0`)';
    case 'enum':
      return variable.values.map((v) => `\`${v}\``).join(', ');
    case 'string':
      return variable.format ?? 'text';
    case 'external':
      return `read by ${variable.readBy}`;
  }
}

/** Markdown: a cell may not hold a `|` or a line break. */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** docs/configuration.md, whole. */
export function configurationMarkdown(variables: readonly Named[] = variableList()): string {
  const lines = [
    '# Configuration',
    '',
    '<!-- Generated from src/config/variables.ts by `npm run docs:config`; CI fails when it differs. Do not edit. -->',
    '',
    'Every setting is an environment variable; none is needed for the demo. A bad value stops the start with exit code 1',
    'and one line on stderr naming the variable (a secret is never shown). `profit-subgraph <command> --help` lists the',
    'variables a command reads.',
  ];
  for (const group of GROUPS) {
    const inGroup = variables.filter((v) => v.group === group);
    if (inGroup.length === 0) continue;
    lines.push('', `## ${group}`, '');
    lines.push('| Variable | Default | Values | Read by | Meaning |', '| --- | --- | --- | --- | --- |');
    for (const v of inGroup) {
      const readBy = v.commands.map((c) => `\`${c}\``).join(', ');
      const meaning = v.secret ? `${v.description} Secret: never shown.` : v.description;
      lines.push(`| \`${v.name}\` | ${cell(defaultOf(v))} | ${cell(valuesOf(v))} | ${readBy} | ${cell(meaning)} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The variables the command named `command` reads, grouped as in the docs, in their order. */
export function variablesOf(command: string, variables: readonly Named[] = variableList()): readonly Named[] {
  const mine = variables.filter((v) => (v.commands as readonly string[]).includes(command));
  return GROUPS.flatMap((group) => mine.filter((v) => v.group === group));
}

/** Backticks dropped, for a terminal. */
export const plain = (text: string) => text.replace(/`/g, '');
