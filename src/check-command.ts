/**
 * `profit-subgraph check [--from env.json] [--xsd [ID=]FILE]… [--json]`: is the served model compatible with the
 * environment (or with UpdateConnector XSDs: `--xsd`, src/profit/xml/xsd-shape.ts)? After a Profit upgrade a
 * connector may be gone, a field renamed, retyped or shortened, an UpdateConnector field newly mandatory, a code
 * table changed (src/check/compare.ts lists each as a finding). Reads the live environment with
 * the usual settings (as `snapshot` does; without Profit settings the embedded demo emulator), or a snapshot file.
 *
 * Exit code 0: compatible (warnings may be printed); 1: incompatible (an error finding), or the environment could
 * not be read; 2: a usage mistake. stdout gets the report grouped by connector, or with `--json` the findings
 * array; stderr progress and failures, one line each. Suitable for a nightly CI job.
 */
import { parseArgs } from 'node:util';
import {
  checkEnvironment,
  compareModel,
  compareWithXsds,
  describeModel,
  type Finding,
  reportLines,
  summaryLine,
} from './check/index.js';
import { type Config, loadConfig } from './config/index.js';
import { DEFAULT_MODEL, loadModel } from './models.js';
import { readSnapshot } from './profit/index.js';
import { readUpdateXsd, type UpdateXsd, withUpdateXsds } from './profit/xml/index.js';
import {
  failureLine,
  type OutputStream,
  openProfit,
  progressPrinter,
  type SnapshotCommandIo,
  UsageError,
} from './snapshot-command.js';

export const CHECK_USAGE = [
  'usage: profit-subgraph check [--from env.json] [--xsd [ID=]FILE]… [--json]',
  "  Compares the served model with the environment's metainfo: connectors missing or not granted, fields",
  '  missing, renamed-looking, of another type or shorter, new mandatory UpdateConnector fields, changed code tables.',
  '  Live with the usual settings (PROFIT_ENVIRONMENT or PROFIT_BASE_URL, PROFIT_TOKEN or PROFIT_OAUTH_CLIENT_*;',
  '  without them the embedded demo emulator), or from a file written by `profit-subgraph snapshot`.',
  '  --from FILE  compare with this snapshot instead of the live environment',
  "  --xsd [ID=]FILE  an UpdateConnector's shape from its XSD (repeatable); without --from only the writes of",
  '               the connectors the XSDs describe are compared, offline',
  '  --json       print the findings as a JSON array',
  '  Exit code 0: compatible; 1: incompatible (or the environment could not be read); 2: usage.',
];

interface CheckArgs {
  readonly from: string | undefined;
  readonly json: boolean;
  /** `FILE` or `ID=FILE`. */
  readonly xsd: readonly string[];
}

function parseCheckArgs(args: readonly string[]): CheckArgs | 'help' {
  let values: { from?: string; json?: boolean; help?: boolean; xsd?: string[] };
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        from: { type: 'string' },
        json: { type: 'boolean' },
        xsd: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
      strict: true,
    }));
  } catch (error) {
    throw new UsageError(`check: ${(error as Error).message.split('\n')[0]}`);
  }
  if (values.help) return 'help';
  if (values.from !== undefined && values.from.trim() === '') throw new UsageError('check: --from needs a FILE');
  return { from: values.from, json: values.json === true, xsd: values.xsd ?? [] };
}

/** The model the service serves (`PROFIT_MODEL`, loaded as the server loads it), as plain data. */
async function servedModel(env: NodeJS.ProcessEnv) {
  await loadModel(env.PROFIT_MODEL?.trim() || DEFAULT_MODEL);
  return describeModel();
}

/** Runs the command; resolves to the process's exit code. */
export async function runCheckCommand(
  args: readonly string[],
  io: SnapshotCommandIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const line = (text: string) => io.stderr.write(`check: ${text.replace(/\s*\n\s*/g, ' ')}\n`);
  let parsed: CheckArgs | 'help';
  try {
    parsed = parseCheckArgs(args);
  } catch (error) {
    io.stderr.write(`${(error as Error).message} (see check --help)\n`);
    return 2;
  }
  if (parsed === 'help') {
    io.stdout.write(`${CHECK_USAGE.join('\n')}\n`);
    return 0;
  }
  let config: Config | undefined;
  let findings: Finding[];
  let source: string;
  try {
    const model = await servedModel(io.env ?? process.env);
    const xsds: UpdateXsd[] = [];
    for (const spec of parsed.xsd) xsds.push(await readUpdateXsd(spec));
    const xsdFiles = parsed.xsd.map((spec) => spec.replace(/^[A-Za-z_][A-Za-z0-9_]*=/, '')).join(', ');
    if (parsed.from !== undefined) {
      findings = compareModel(model, withUpdateXsds(await readSnapshot(parsed.from), xsds));
      source = xsds.length > 0 ? `${parsed.from} and ${xsdFiles}` : parsed.from;
    } else if (xsds.length > 0) {
      findings = compareWithXsds(model, xsds);
      source = xsdFiles;
    } else {
      config = loadConfig(io.env ?? process.env);
      const profit = await openProfit(config, 'check', 'checking', line);
      try {
        ({ findings } = await checkEnvironment(profit.client, model, { onProgress: progressPrinter(io.stderr) }));
      } finally {
        await profit.close();
      }
      source = config.target.kind === 'emulator' ? 'the demo emulator' : 'the environment';
    }
  } catch (error) {
    line(failureLine(error, config));
    return 1;
  }
  write(io.stdout, parsed.json, findings, source);
  return findings.some((f) => f.severity === 'error') ? 1 : 0;
}

function write(stdout: OutputStream, json: boolean, findings: readonly Finding[], source: string): void {
  if (json) {
    stdout.write(`${JSON.stringify(findings, null, 2)}\n`);
    return;
  }
  const lines = [`check: ${summaryLine(findings)} (${source})`, ...reportLines(findings)];
  stdout.write(`${lines.join('\n')}\n`);
}
