/**
 * What each command accepts, as data: its summary, usage and options. src/cli.ts runs the commands; help.ts prints
 * these (with the environment variables each reads, from src/config/variables.ts) and refuses an option not
 * declared here before the command starts. Names are a contract: extend, never rename.
 */
import type { CommandName } from '../config/index.js';

export interface CommandOption {
  /** The long name, without dashes. */
  readonly name: string;
  /** The value's placeholder (`FILE`); absent for a flag. */
  readonly value?: string;
  readonly short?: string;
  /** May be given more than once. */
  readonly multiple?: true;
  readonly description: string;
}

export interface CommandSpec {
  readonly name: CommandName | 'docs:config' | 'docs:config:check';
  /** One line for the command list. */
  readonly summary: string;
  /** The arguments after the command's name. */
  readonly usage: string;
  /** The placeholder of the one argument that is not an option (`FILE`); absent when the command takes none. */
  readonly argument?: string;
  readonly options: readonly CommandOption[];
  /** Lines after the options: what else a user must know (exit codes of its own, where output goes). */
  readonly notes?: readonly string[];
  /** Listed apart: needs the development dependencies or a checkout. */
  readonly development?: true;
}

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'serve',
    summary: 'run the GraphQL subgraph (the default command; without Profit settings on the embedded demo emulator)',
    usage: '',
    options: [],
    notes: [
      'SIGTERM or Ctrl-C: /ready answers 503 for SHUTDOWN_DELAY_MS, then running requests finish; a second signal ends at once.',
    ],
  },
  {
    name: 'emulator',
    summary: 'run the Profit emulator alone and print its base URL and demo credentials',
    usage: '[--profile FILE] [--scale N] [--seed N]',
    options: [
      {
        name: 'profile',
        value: 'FILE',
        description: 'serve a snapshot of your own environment (written by `snapshot`) instead of the demo company',
      },
      { name: 'scale', value: 'N', description: 'grow the company, 1–1000 (wins over EMULATOR_SCALE)' },
      { name: 'seed', value: 'N', description: "the company's seed (wins over EMULATOR_SEED)" },
    ],
  },
  {
    name: 'snapshot',
    summary: "write the environment's metainfo (every granted connector) to one JSON file",
    usage: '--out FILE [--allow-missing]',
    options: [
      { name: 'out', short: 'o', value: 'FILE', description: 'the file to write (required)' },
      {
        name: 'allow-missing',
        description: 'write the file without granted connectors whose metainfo Profit refuses (403/404)',
      },
    ],
    notes: ['Without Profit settings: the embedded demo emulator, as its admin.'],
  },
  {
    name: 'check',
    summary: 'is the served model compatible with the environment? (exit 1 if not)',
    usage: '[--from FILE] [--xsd [ID=]FILE]… [--json]',
    options: [
      { name: 'from', value: 'FILE', description: 'compare with this snapshot instead of the live environment' },
      {
        name: 'xsd',
        value: '[ID=]FILE',
        multiple: true,
        description:
          "an UpdateConnector's shape from its XSD (repeatable); without --from, only those connectors' writes, offline",
      },
      { name: 'json', description: 'print the findings as a JSON array' },
    ],
    notes: ['Exit code 0: compatible; 1: incompatible, or the environment could not be read; 2: usage.'],
  },
  {
    name: 'generate',
    summary: "write a model folder from an environment's metainfo",
    usage: '--from FILE|live --out src/model/NAME [--connector ID]… [--name NAME] [--xsd [ID=]FILE]…',
    options: [
      { name: 'from', value: 'FILE|live', description: 'a snapshot file, or `live`: the configured environment' },
      { name: 'out', value: 'DIR', description: 'the model folder to write, src/model/NAME (required)' },
      { name: 'connector', value: 'ID', multiple: true, description: 'only these GetConnectors (repeatable)' },
      { name: 'name', value: 'NAME', description: 'the model name PROFIT_MODEL selects (default: the folder name)' },
      {
        name: 'xsd',
        value: '[ID=]FILE',
        multiple: true,
        description: "an UpdateConnector's shape from its XSD instead of its update metainfo (repeatable)",
      },
    ],
  },
  {
    name: 'xsd',
    summary: "print the XSD of an UpdateConnector's XML body",
    usage: '<UpdateConnector> [--from FILE]',
    argument: 'UpdateConnector',
    options: [
      {
        name: 'from',
        value: 'FILE',
        description: 'generate it from the update metainfo in this snapshot (offline) instead of the live environment',
      },
    ],
    notes: [
      "Live: Profit's own XSD (GetXmlSchema over SOAP), else the one generated from the update metainfo; stderr says which.",
    ],
  },
  {
    name: 'validate',
    summary: "validate an UpdateConnector's XML body against its XSD (exit 1 if invalid)",
    usage: '<file.xml> [--connector ID] [--from FILE]',
    argument: 'file.xml',
    options: [
      { name: 'connector', value: 'ID', description: "the UpdateConnector (default: the root element's name)" },
      { name: 'from', value: 'FILE', description: 'take the XSD from this snapshot (offline), as `xsd --from` does' },
    ],
    notes: [
      'Exit code 0: valid; 1: invalid (stdout: one line per violation, `path: message`) or no XSD to be had; 2: usage.',
    ],
  },
  {
    name: 'schema:print',
    summary: 'write schema/subgraph.graphql and the generated operation types',
    usage: '',
    options: [],
    development: true,
  },
  {
    name: 'schema:check',
    summary: 'fail if schema/subgraph.graphql or the generated types are out of date',
    usage: '',
    options: [],
    development: true,
  },
  {
    name: 'docs:config',
    summary: 'write docs/configuration.md from the declared variables (src/config/variables.ts)',
    usage: '',
    options: [],
    development: true,
  },
  {
    name: 'docs:config:check',
    summary: 'fail if docs/configuration.md differs from the declared variables',
    usage: '',
    options: [],
    development: true,
  },
];
