/**
 * `profit-subgraph snapshot --out FILE [--allow-missing]`: records the environment's shape (see
 * src/profit/snapshot.ts) with the usual Profit settings: `PROFIT_ENVIRONMENT` / `PROFIT_BASE_URL` and
 * `PROFIT_TOKEN` or the `PROFIT_OAUTH_CLIENT_*` pair, at most `PROFIT_MAX_CONCURRENT` calls at a time. Without
 * Profit settings it records the embedded demo emulator, as its admin unless a credential is given.
 *
 * Progress goes to stderr (`12/340 connectors`); stdout gets one line naming the file. Every failure is one line
 * on stderr and exit code 1, and leaves no file behind (the file is written whole, or not at all).
 */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type Config, ConfigError, loadConfig } from './config/index.js';
import {
  afasToken,
  authorizationHeader,
  type Credential,
  oauthClient,
  type ProfitClient,
  ProfitConnection,
  type ProfitConnectionOptions,
  ProfitError,
  SnapshotError,
  type SnapshotProgress,
  takeSnapshot,
  writeSnapshot,
} from './profit/index.js';

export const SNAPSHOT_USAGE = [
  'usage: profit-subgraph snapshot --out FILE [--allow-missing]',
  "  Writes {metainfo, get: {id: …}, update: {id: …}}: Profit's metainfo answers for every granted connector, verbatim.",
  '  Settings: PROFIT_ENVIRONMENT (+ PROFIT_ENVIRONMENT_TYPE) or PROFIT_BASE_URL, and PROFIT_TOKEN or',
  '  PROFIT_OAUTH_CLIENT_ID + PROFIT_OAUTH_CLIENT_SECRET; PROFIT_MAX_CONCURRENT caps the parallel calls.',
  '  Without them: the embedded demo emulator, as its admin.',
  '  --allow-missing  write the file without granted connectors whose metainfo Profit refuses (403/404)',
];

/** A mistake in the command line: one line, exit code 2 (as an unknown command). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

interface SnapshotArgs {
  readonly out: string;
  readonly allowMissing: boolean;
}

function parseSnapshotArgs(args: readonly string[]): SnapshotArgs | 'help' {
  let values: { out?: string; 'allow-missing'?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        out: { type: 'string', short: 'o' },
        'allow-missing': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
      strict: true,
    }));
  } catch (error) {
    // node:util's messages are one line and name the option ("Unknown option '--foo'").
    throw new UsageError(`snapshot: ${(error as Error).message.split('\n')[0]}`);
  }
  if (values.help) return 'help';
  if (values.out === undefined || values.out.trim() === '') throw new UsageError('snapshot: --out FILE is required');
  return { out: values.out, allowMissing: values['allow-missing'] === true };
}

/** The connection the service would open for `config` (see connectionFor in src/server/index.ts). */
function connectionOptions(config: Config, emulatorBaseUrl: string | undefined): ProfitConnectionOptions {
  // Built here rather than imported from the server, so the command loads neither GraphQL nor the model.
  const common = {
    integrationId: config.profit.integrationId,
    acceptLanguage: config.profit.acceptLanguage,
    maxConcurrent: config.profit.maxConcurrent,
    timeoutMs: config.profit.timeoutMs,
    retry: {
      maxAttempts: config.profit.retryAttempts,
      maxRetryAfterSeconds: config.profit.maxRetryAfterSeconds,
    },
  };
  const { target } = config;
  if (target.kind === 'emulator') return { ...common, baseUrl: emulatorBaseUrl as string };
  if (target.baseUrl !== undefined) return { ...common, baseUrl: target.baseUrl };
  return { ...common, environment: { id: target.environmentId ?? '', type: target.environmentType } };
}

function configuredCredential(config: Config): Credential | undefined {
  const c = config.credential;
  if (c.kind === 'token') return afasToken(c.token);
  if (c.kind === 'oauth') return oauthClient({ clientId: c.clientId, clientSecret: c.clientSecret });
  return undefined;
}

/** A client on the environment the settings name, and how to let go of it (its connection, the emulator). */
export interface ProfitSource {
  readonly client: ProfitClient;
  close(): Promise<void>;
}

/**
 * Opens the environment `config` names with its credential; without Profit settings the embedded demo emulator,
 * as its admin unless a credential is given (`line` says so: `recording` the emulator).
 * Shared by the commands that read an environment's metainfo (snapshot, check).
 */
export async function openProfit(
  config: Config,
  command: string,
  doing: string,
  line: (text: string) => void,
): Promise<ProfitSource> {
  let credential = configuredCredential(config);
  let emulatorBaseUrl: string | undefined;
  let closeEmulator: (() => Promise<void>) | undefined;
  if (config.target.kind === 'emulator') {
    const { target } = config;
    const { credentials, startEmulator } = await import('./emulator/index.js');
    const emulator = await startEmulator({ company: { seed: target.seed, scale: target.scale } });
    closeEmulator = () => emulator.close();
    emulatorBaseUrl = emulator.baseUrl;
    if (credential === undefined) {
      const admin = credentials(emulator.company).find((app) => app.appConnector === 'admin')?.users[0];
      if (admin === undefined) {
        await closeEmulator();
        throw new Error('the demo emulator has no admin user');
      }
      credential = authorizationHeader(admin.authorization);
    }
    line(`no PROFIT_ENVIRONMENT or PROFIT_BASE_URL: ${doing} the embedded demo emulator`);
  } else if (credential === undefined) {
    throw new ConfigError(
      `${command} needs a credential: set PROFIT_TOKEN or PROFIT_OAUTH_CLIENT_ID and PROFIT_OAUTH_CLIENT_SECRET`,
    );
  }
  const connection = new ProfitConnection(connectionOptions(config, emulatorBaseUrl));
  return {
    client: connection.client(credential),
    async close() {
      await connection.close();
      await closeEmulator?.();
    },
  };
}

/** Progress on stderr: rewritten in place on a terminal, else about twenty lines however many connectors. */
export function progressPrinter(stderr: OutputStream): (p: SnapshotProgress) => void {
  let printed = -1;
  return ({ done, total, missing }) => {
    if (missing) {
      if (stderr.isTTY) stderr.write('\n');
      const status = missing.status === undefined ? '' : ` (${missing.status})`;
      stderr.write(`warning: Profit refused the metainfo of ${missing.kind} connector ${missing.id}${status}\n`);
    }
    if (stderr.isTTY) {
      stderr.write(`\r${done}/${total} connectors${done === total ? '\n' : ''}`);
      return;
    }
    const step = Math.max(1, Math.ceil(total / 20));
    if (done !== printed && (done === total || (done > 0 && done % step === 0))) {
      printed = done;
      stderr.write(`${done}/${total} connectors\n`);
    }
  };
}

/** One line for a failure; never a stack trace, never a credential (ProfitError messages carry none). */
export function failureLine(error: unknown, config: Config | undefined): string {
  if (error instanceof ProfitError && error.kind === 'unauthorized') {
    const setting =
      config?.credential.kind === 'oauth'
        ? 'PROFIT_OAUTH_CLIENT_ID / PROFIT_OAUTH_CLIENT_SECRET'
        : config?.credential.kind === 'token'
          ? 'PROFIT_TOKEN'
          : 'the demo admin';
    return `Profit refused the credential (${setting}${error.status ? `, ${error.status}` : ''})`;
  }
  if (error instanceof ConfigError) return `configuration: ${error.message}`;
  if (error instanceof SnapshotError && error.missing.length > 0) {
    return `${error.message}; --allow-missing writes the file without ${error.missing.length === 1 ? 'it' : 'them'}`;
  }
  if (error instanceof ProfitError || error instanceof SnapshotError || error instanceof UsageError) {
    return error.message;
  }
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Where the command writes and what it reads: the process's own by default. */
export interface SnapshotCommandIo {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  /** @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface OutputStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/** Runs the command; resolves to the process's exit code (0, 1 for a failure, 2 for a usage mistake). */
export async function runSnapshotCommand(
  args: readonly string[],
  io: SnapshotCommandIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const line = (text: string) => io.stderr.write(`snapshot: ${text.replace(/\s*\n\s*/g, ' ')}\n`);
  let parsed: SnapshotArgs | 'help';
  try {
    parsed = parseSnapshotArgs(args);
  } catch (error) {
    io.stderr.write(`${(error as Error).message} (see snapshot --help)\n`);
    return 2;
  }
  if (parsed === 'help') {
    io.stdout.write(`${SNAPSHOT_USAGE.join('\n')}\n`);
    return 0;
  }
  let config: Config | undefined;
  let close: (() => Promise<void>) | undefined;
  try {
    config = loadConfig(io.env ?? process.env);
    // Checked before the first call: hundreds of connectors are not read only to find the file cannot be written.
    await access(dirname(resolve(parsed.out)), constants.W_OK).catch(() => {
      throw new SnapshotError(`${parsed.out}: its folder does not exist or cannot be written`);
    });
    const source = await openProfit(config, 'snapshot', 'recording', line);
    close = source.close;
    const recording = await takeSnapshot(source.client, {
      allowMissing: parsed.allowMissing,
      onProgress: progressPrinter(io.stderr),
    });
    await writeSnapshot(parsed.out, recording);
    const { get, update } = recording.snapshot;
    const left = recording.missing.length > 0 ? ` (${recording.missing.length} left out: see the warnings)` : '';
    io.stdout.write(
      `wrote ${parsed.out}: ${Object.keys(get).length} GetConnectors, ${Object.keys(update).length} UpdateConnectors${left}\n`,
    );
    return 0;
  } catch (error) {
    line(failureLine(error, config));
    return 1;
  } finally {
    await close?.();
  }
}
