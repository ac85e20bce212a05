/**
 * `profit-subgraph --help`, `help [command]`, `<command> --help`, and the check of a command's options before it
 * runs. Pure: specs and variables in, lines or a UsageError out.
 *
 * Exit codes, the same for every command: 0 success; 1 a configuration error or a failure (one line on stderr);
 * 2 a usage mistake: an unknown command or option, an option without its value (one line on stderr, with where
 * to find the help). `check` also exits 1 when the model is incompatible.
 */
import { parseArgs } from 'node:util';
import { defaultOf, plain, valuesOf, variablesOf } from '../config/table.js';
import { COMMANDS, type CommandOption, type CommandSpec } from './commands.js';

export const PROGRAM = 'profit-subgraph';

/** A mistake in the command line: one line, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function findCommand(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name);
}

/** An option as `--help` shows it: `-o, --out FILE`. */
function optionLabel(option: CommandOption): string {
  const long = `--${option.name}${option.value === undefined ? '' : ` ${option.value}`}`;
  return option.short === undefined ? long : `-${option.short}, ${long}`;
}

/** The width help text is wrapped to: an ordinary terminal's, less a margin. */
const WIDTH = 110;

/** `text` in lines of at most `width` characters, broken at spaces (a longer word stays whole). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  return [...lines, line];
}

/** Rows as two columns, the first padded to the widest, the second wrapped under itself. */
function columns(rows: readonly (readonly [string, string])[], indent = '  '): string[] {
  const width = Math.max(...rows.map(([left]) => left.length));
  const hanging = ' '.repeat(indent.length + width + 2);
  return rows.flatMap(([left, right]) =>
    wrap(plain(right), Math.max(40, WIDTH - hanging.length)).map((part, i) =>
      (i === 0 ? `${indent}${left.padEnd(width)}  ${part}` : `${hanging}${part}`).trimEnd(),
    ),
  );
}

export function mainHelp(): string[] {
  const list = (development: boolean) =>
    columns(COMMANDS.filter((c) => (c.development === true) === development).map((c) => [c.name, c.summary]));
  return [
    `usage: ${PROGRAM} [command] [options]      (no command: serve)`,
    '',
    'Commands:',
    ...list(false),
    '',
    'Development (in a checkout, after npm ci):',
    ...list(true),
    '',
    `\`${PROGRAM} <command> --help\` lists a command's options and the environment variables it reads;`,
    'docs/configuration.md describes every variable.',
    'Exit codes: 0 success; 1 a configuration error or a failure (one line on stderr); 2 a usage mistake.',
  ].map(plain);
}

export function commandHelp(spec: CommandSpec): string[] {
  const summary = `${spec.summary.charAt(0).toUpperCase()}${spec.summary.slice(1)}`;
  const lines = [`usage: ${PROGRAM} ${spec.name}${spec.usage === '' ? '' : ` ${spec.usage}`}`, '', summary];
  const options: [string, string][] = spec.options.map((o) => [optionLabel(o), o.description]);
  options.push(['-h, --help', 'this help']);
  lines.push('', 'Options:', ...columns(options));
  if (spec.notes !== undefined) lines.push('', ...spec.notes);
  const variables = variablesOf(spec.name);
  if (variables.length > 0) {
    lines.push('', 'Environment (docs/configuration.md describes each):');
    lines.push(
      ...columns(
        variables.map((v) => {
          const fallback = defaultOf(v);
          const what = v.type === 'external' ? ` (${valuesOf(v)})` : fallback === '—' ? '' : ` (default ${fallback})`;
          return [v.name, `${v.description}${what}`];
        }),
      ),
    );
  }
  return lines.map(plain);
}

/** Whether the arguments ask for the command's help (`--help`, `-h`) rather than a run. */
export const asksForHelp = (args: readonly string[]) => args.includes('--help') || args.includes('-h');

/**
 * Refuses, before the command runs, an argument its spec does not declare: an unknown option, an option without
 * its value, a stray word. The command still checks the values themselves.
 */
export function checkOptions(spec: CommandSpec, args: readonly string[]): void {
  const options: NonNullable<Parameters<typeof parseArgs>[0]>['options'] = {};
  for (const o of spec.options) {
    options[o.name] = {
      type: o.value === undefined ? 'boolean' : 'string',
      ...(o.short === undefined ? {} : { short: o.short }),
      ...(o.multiple ? { multiple: true } : {}),
    };
  }
  try {
    const { positionals } = parseArgs({
      args: [...args],
      options,
      strict: true,
      allowPositionals: spec.argument !== undefined,
    });
    if (spec.argument !== undefined && positionals.length !== 1) {
      throw new Error(`give exactly one ${spec.argument}`);
    }
  } catch (error) {
    // node:util's messages name the option ("Unknown option '--foo'"); their first line is enough.
    const message = (error as Error).message.split('\n')[0]?.replace(/\. To specify a positional.*$/, '') ?? '';
    throw new UsageError(`${spec.name}: ${message} (see ${PROGRAM} ${spec.name} --help)`);
  }
}
