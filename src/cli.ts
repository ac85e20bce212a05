#!/usr/bin/env node
/**
 * The commands a user runs (`profit-subgraph <command>`, the package's `bin`): `serve` (npm start, and the
 * default), `emulator` (npm run emulator), `snapshot` (see snapshot-command.ts), `check` (check-command.ts); for development, `schema:print`
 * and `schema:check` (see schema-artifacts.ts). `help` lists them. The names are a contract: extend, never rename.
 *
 * A configuration error (a ConfigError: a bad or missing setting, a port in use) ends the process with exit code 1
 * and exactly one line on stderr that names the variable, never a stack trace or a secret's value. The
 * configuration is read before the service's modules load, so a bad setting is reported at once.
 */
import 'reflect-metadata';
import { ConfigError, loadConfig } from './config/index.js';

async function serve(): Promise<void> {
  const config = loadConfig();
  const { describeService, startService } = await import('./server/index.js');
  const service = await startService(config);
  for (const line of describeService(service)) console.log(line);
  console.log('Press Ctrl-C to stop.');
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    // A second Ctrl-C does not wait for running requests to finish.
    if (stopping) process.exit(130);
    stopping = true;
    console.log(`\n${signal}: shutting down (finishing running requests; Ctrl-C again to force)`);
    service.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

interface Command {
  /** One line for `help`. */
  readonly summary: string;
  /** Resolves to the exit code, or to nothing for a command that keeps running (serve, emulator). */
  readonly run: (args: readonly string[]) => Promise<number | undefined>;
}

const commands: Record<string, Command> = {
  serve: {
    summary: 'run the GraphQL subgraph (default; the embedded demo emulator without Profit settings)',
    run: async () => void (await serve()),
  },
  emulator: {
    summary:
      'run the Profit emulator and print its credentials: the demo company, or `--profile env.json [--scale N] [--seed N]`',
    run: async (args) => {
      // Without arguments the demo company, as before.
      const { EmulatorSettingError, emulatorArgs, runEmulatorCli, SnapshotError } = await import('./emulator/index.js');
      const oneLine = (e: unknown) =>
        e instanceof SnapshotError || e instanceof EmulatorSettingError ? new ConfigError(e.message) : e;
      const options = await emulatorArgs(args).catch((e: unknown) => {
        throw oneLine(e);
      });
      await runEmulatorCli(options).catch((e: unknown) => {
        throw oneLine(e);
      });
      return undefined;
    },
  },
  snapshot: {
    summary: "snapshot --out FILE: write the environment's metainfo (every granted connector) to one JSON file",
    run: async (args) => (await import('./snapshot-command.js')).runSnapshotCommand(args),
  },
  check: {
    summary: 'check [--from env.json] [--json]: is the served model compatible with the environment? (exit 1 if not)',
    run: async (args) => (await import('./check-command.js')).runCheckCommand(args),
  },
  // Loaded on demand: they need development dependencies (GraphQL Code Generator).
  'schema:print': {
    summary: 'write schema/subgraph.graphql and the generated operation types (development)',
    run: async () => void (await (await import('./schema-artifacts.js')).printSchemaCommand()),
  },
  'schema:check': {
    summary: 'fail if schema/subgraph.graphql or the generated types are out of date (development)',
    run: async () => void (await (await import('./schema-artifacts.js')).checkSchemaCommand()),
  },
  generate: {
    summary: "generate --from FILE|live --out src/model/NAME: a model folder from an environment's metainfo",
    run: async (args) => {
      await (await import('./generate/cli.js')).generateCommand(args);
      return undefined;
    },
  },
};

function printHelp(): void {
  const width = Math.max(...Object.keys(commands).map((n) => n.length));
  console.log('usage: profit-subgraph <command> [options]   (no command: serve)');
  console.log('');
  for (const [name, { summary }] of Object.entries(commands)) console.log(`  ${name.padEnd(width)}  ${summary}`);
  console.log('');
  console.log('Settings are environment variables (see README.md); `profit-subgraph snapshot --help` for its options.');
}

const [name = 'serve', ...args] = process.argv.slice(2);
if (name === 'help' || name === '--help' || name === '-h') {
  printHelp();
  process.exit(0);
}
const command = commands[name];
if (command === undefined) {
  console.error(`unknown command '${name}'; use one of: ${Object.keys(commands).join(', ')} (or help)`);
  process.exit(2);
}
command.run(args).then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof ConfigError ? `configuration: ${error.message}` : error);
    process.exit(1);
  },
);
