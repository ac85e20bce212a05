/**
 * `profit-subgraph xsd <UpdateConnector> [--from env.json]`: prints the XSD of an UpdateConnector's XML body.
 * `profit-subgraph validate <file.xml> [--connector ID] [--from env.json]`: validates an XML body against it, as
 * integrators do with AFAS's AppConnectorTestTool.
 *
 * Where the XSD comes from (said on stderr):
 * - `--from FILE`: a snapshot (`profit-subgraph snapshot`): the XSD generated from its update metainfo by the
 *   emulator's generator (src/emulator/soap/xsd.ts, Profit's layout); offline, no call at all;
 * - live, with the usual Profit settings (without them the embedded demo emulator): Profit's own XSD through the
 *   DataConnector's `GetXmlSchema` over SOAP; where SOAP does not answer it (no SOAP address for the environment, or
 *   a 404), the XSD generated from the live update metainfo.
 *
 * Exit codes: 0 printed / valid; 1 invalid (stdout: one line per violation, `path: message`), or the XSD could not
 * be had (one line on stderr); 2 a usage mistake.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { type Config, loadConfig } from '../config/index.js';
import { type ProfitClient, ProfitError, type ProfitSnapshot, readSnapshot } from '../profit/index.js';
import type { UpdateConnectorMetainfo } from '../profit/results.js';
import { CompiledXsd, prettyXml } from '../profit/xml/index.js';
import { failureLine, openProfit, type SnapshotCommandIo, UsageError } from '../snapshot-command.js';

interface XsdArgs {
  /** The UpdateConnector (xsd) or the XML file (validate). */
  readonly subject: string;
  readonly from: string | undefined;
  readonly connector: string | undefined;
}

type CommandName = 'xsd' | 'validate';

function parse(command: CommandName, args: readonly string[]): XsdArgs | 'help' {
  let values: { from?: string; connector?: string; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...args],
      options: {
        from: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        connector: { type: 'string' },
      },
      allowPositionals: true,
      strict: true,
    }));
  } catch (error) {
    throw new UsageError(`${command}: ${(error as Error).message.split('\n')[0]}`);
  }
  if (values.help) return 'help';
  if (command === 'xsd' && values.connector !== undefined)
    throw new UsageError('xsd: the UpdateConnector is its argument');
  const what = command === 'xsd' ? 'an UpdateConnector' : 'an XML file';
  if (positionals.length !== 1 || positionals[0]?.trim() === '') {
    throw new UsageError(`${command}: give exactly one argument, ${what}`);
  }
  if (values.from !== undefined && values.from.trim() === '') throw new UsageError(`${command}: --from needs a FILE`);
  if (values.connector !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(values.connector)) {
    throw new UsageError(`${command}: --connector needs an UpdateConnector id`);
  }
  return { subject: positionals[0] as string, from: values.from, connector: values.connector };
}

/** The XSD text and a line saying where it came from. */
interface Xsd {
  readonly text: string;
  readonly source: string;
}

/** The root a body of `metainfo` takes; `rootName` when the XML names another (KnEmployee's is AfasEmployee). */
async function generated(metainfo: UpdateConnectorMetainfo, rootName: string | undefined): Promise<string> {
  // Loaded on demand: the generator lives with the emulator, whose SOAP side serves it as GetXmlSchema.
  const { generateUpdateXsd } = await import('../emulator/index.js');
  return generateUpdateXsd(metainfo, rootName === undefined ? {} : { rootName });
}

function fromSnapshot(snapshot: ProfitSnapshot, connector: string, file: string): UpdateConnectorMetainfo {
  const id = Object.keys(snapshot.update).find((k) => k.toLowerCase() === connector.toLowerCase());
  const metainfo = id === undefined ? undefined : snapshot.update[id];
  if (metainfo === undefined) {
    const known = Object.keys(snapshot.update).sort().join(', ') || 'none';
    throw new UsageError(`${file} has no UpdateConnector ${connector} (it has: ${known}; --connector names one)`);
  }
  return metainfo;
}

/** Profit's XSD over SOAP, else the one generated from the live metainfo (`source` says which). */
export async function liveXsd(client: ProfitClient, connector: string, rootName: string | undefined): Promise<Xsd> {
  try {
    return { text: await client.xmlSchema(connector), source: `Profit's XSD of ${connector} (GetXmlSchema over SOAP)` };
  } catch (error) {
    const unserved =
      error instanceof ProfitError &&
      ((error.kind === 'invalid-argument' && !error.requestSent) || error.kind === 'not-found');
    if (!unserved) throw error;
    const metainfo = await client.updateConnectorMetainfo(connector);
    return {
      text: await generated(metainfo, rootName),
      source: `the XSD generated from the live update metainfo of ${connector} (GetXmlSchema is not served here)`,
    };
  }
}

async function xsdFor(
  parsed: { readonly from: string | undefined },
  connector: string,
  rootName: string | undefined,
  env: NodeJS.ProcessEnv,
  line: (text: string) => void,
  setConfig: (config: Config) => void,
): Promise<Xsd> {
  if (parsed.from !== undefined) {
    const metainfo = fromSnapshot(await readSnapshot(parsed.from), connector, parsed.from);
    return {
      text: await generated(metainfo, rootName),
      source: `the XSD generated from the update metainfo of ${connector} in ${parsed.from}`,
    };
  }
  const config = loadConfig(env);
  setConfig(config);
  const profit = await openProfit(config, 'xsd', 'reading', line);
  try {
    return await liveXsd(profit.client, connector, rootName);
  } finally {
    await profit.close();
  }
}

/** The root element's name of an XML text, or `undefined` when none can be found. */
function rootNameOf(xml: string): string | undefined {
  const body = xml
    .replace(/^\uFEFF/, '')
    .replace(/<\?[\s\S]*?\?>/g, '')
    .replace(/<!--[\s\S]*?-->/g, '');
  return /<([A-Za-z_][A-Za-z0-9_]*)[\s/>]/.exec(body)?.[1];
}

export const XSD_USAGE = [
  'usage: profit-subgraph xsd <UpdateConnector> [--from env.json]',
  "  Prints the XSD of the UpdateConnector's XML body (SOAP Execute's dataXml).",
  "  Live with the usual settings: Profit's own XSD (GetXmlSchema over SOAP), else the one generated from the",
  '  update metainfo; or, with --from, generated from the update metainfo in a snapshot file (offline).',
  '  Exit code 0: printed; 1: the XSD could not be had; 2: usage.',
];

export const VALIDATE_USAGE = [
  'usage: profit-subgraph validate <file.xml> [--connector ID] [--from env.json]',
  "  Validates an UpdateConnector's XML body against its XSD (see `xsd`); the connector is the root element's name",
  '  unless --connector names it (KnEmployee bodies are rooted at AfasEmployee).',
  '  Exit code 0: valid; 1: invalid (stdout: one line per violation, `path: message`), or the XSD could not be had;',
  '  2: usage.',
];

/** Runs `xsd` or `validate`; resolves to the process's exit code. */
export async function runXsdCommand(
  command: CommandName,
  args: readonly string[],
  io: SnapshotCommandIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const line = (text: string) => io.stderr.write(`${command}: ${text.replace(/\s*\n\s*/g, ' ')}\n`);
  let parsed: XsdArgs | 'help';
  try {
    parsed = parse(command, args);
  } catch (error) {
    io.stderr.write(`${(error as Error).message} (see ${command} --help)\n`);
    return 2;
  }
  if (parsed === 'help') {
    io.stdout.write(`${(command === 'xsd' ? XSD_USAGE : VALIDATE_USAGE).join('\n')}\n`);
    return 0;
  }
  const env = (io.env ?? process.env) as NodeJS.ProcessEnv;
  let config: Config | undefined;
  const remember = (c: Config) => {
    config = c;
  };
  try {
    if (command === 'xsd') {
      const xsd = await xsdFor(parsed, parsed.subject, undefined, env, line, remember);
      line(`from ${xsd.source}`);
      io.stdout.write(`${prettyXml(xsd.text)}\n`);
      return 0;
    }
    let xml: string;
    try {
      xml = await readFile(parsed.subject, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new UsageError(`${parsed.subject}: cannot read the XML file${code ? ` (${code})` : ''}`);
    }
    const root = rootNameOf(xml);
    const connector = parsed.connector ?? root;
    if (connector === undefined) throw new UsageError(`${parsed.subject}: no root element; name it with --connector`);
    const xsd = await xsdFor(parsed, connector, root, env, line, remember);
    line(`against ${xsd.source}`);
    const compiled = CompiledXsd.compile(connector, xsd.text);
    try {
      const violations = compiled.violations(xml);
      if (violations.length === 0) {
        io.stdout.write(`${parsed.subject}: valid\n`);
        return 0;
      }
      for (const v of violations) io.stdout.write(`${v.path}: ${v.message}\n`);
      return 1;
    } finally {
      compiled.dispose();
    }
  } catch (error) {
    line(failureLine(error, config));
    return 1;
  }
}
