#!/usr/bin/env node
/**
 * The commands a user runs (`profit-subgraph <command>`, the package's `bin`): `serve` (npm start, and the
 * default), `emulator` (npm run emulator), `snapshot` (see snapshot-command.ts), `check` (check-command.ts),
 * `generate`, `xsd` and `validate` (cli/xsd-command.ts); for development, `schema:print` and `schema:check` (see
 * schema-artifacts.ts), `docs:config` and `docs:config:check`. What each accepts is declared in cli/commands.ts;
 * `--help`, `help [command]` and `<command> --help` print it (cli/help.ts). The names are a contract: extend, never
 * rename.
 *
 * A usage mistake (an unknown command or option, an option without its value) ends with exit code 2 and one line
 * on stderr naming it and where the help is, before the command starts.
 *
 * A configuration error (a ConfigError: a bad or missing setting, a port in use) ends the process with exit code 1
 * and exactly one line on stderr that names the variable, never a stack trace or a secret's value. The
 * configuration is read before the service's modules load, so a bad setting is reported at once.
 */
import 'reflect-metadata';
import { COMMANDS, type CommandSpec } from './cli/commands.js';
import { asksForHelp, checkOptions, commandHelp, findCommand, mainHelp, PROGRAM, UsageError } from './cli/help.js';
import { ConfigError, loadConfig } from './config/index.js';

async function serve(): Promise<void> {
  const config = loadConfig();
  const { describeService, startService } = await import('./server/index.js');
  const service = await startService(config);
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    // A second Ctrl-C does not wait for running requests to finish.
    if (stopping) process.exit(130);
    stopping = true;
    const grace = config.shutdownDelayMs > 0 ? `/ready answers 503 for ${config.shutdownDelayMs} ms, then ` : '';
    console.log(`\n${signal}: shutting down (${grace}finishing running requests; Ctrl-C again to force)`);
    service.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  // Before the banner: a process manager may signal as soon as it reads it, and a signal without a listener ends
  // the process at once, with no grace.
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  for (const line of describeService(service, process.stdout.isTTY === true)) console.log(line);
  console.log('Press Ctrl-C to stop.');
}

type Run = (args: readonly string[]) => Promise<number | undefined>;

/** How each command of src/cli/commands.ts runs; resolves to the exit code, or nothing for one that keeps running. */
const RUN: Record<CommandSpec['name'], Run> = {
  serve: async () => void (await serve()),
  emulator: async (args) => {
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
  snapshot: async (args) => (await import('./snapshot-command.js')).runSnapshotCommand(args),
  check: async (args) => (await import('./check-command.js')).runCheckCommand(args),
  xsd: async (args) => (await import('./cli/xsd-command.js')).runXsdCommand('xsd', args),
  validate: async (args) => (await import('./cli/xsd-command.js')).runXsdCommand('validate', args),
  generate: async (args) => {
    await (await import('./generate/cli.js')).generateCommand(args);
    return undefined;
  },
  // Loaded on demand: they need development dependencies (GraphQL Code Generator).
  'schema:print': async () => void (await (await import('./schema-artifacts.js')).printSchemaCommand()),
  'schema:check': async () => void (await (await import('./schema-artifacts.js')).checkSchemaCommand()),
  'docs:config': async () => (await import('./cli/configuration-doc.js')).writeConfigurationDoc(),
  'docs:config:check': async () => (await import('./cli/configuration-doc.js')).checkConfigurationDoc(),
};

/** The command line → what to do: print lines, or run a command (exit code 2 for a usage mistake). */
function dispatch(
  argv: readonly string[],
): { readonly print: string[] } | { readonly run: Run; readonly args: string[] } {
  const [name = 'serve', ...args] = argv;
  if (name === 'help' || name === '--help' || name === '-h') {
    if (args[0] === undefined) return { print: mainHelp() };
    const spec = findCommand(args[0]);
    if (spec === undefined) throw new UsageError(`no command '${args[0]}' to help with (see ${PROGRAM} --help)`);
    return { print: commandHelp(spec) };
  }
  if (name.startsWith('-')) {
    throw new UsageError(`unknown option '${name}': a command comes first (see ${PROGRAM} --help)`);
  }
  const spec = findCommand(name);
  if (spec === undefined) {
    throw new UsageError(`unknown command '${name}'; use one of: ${COMMANDS.map((c) => c.name).join(', ')} (or help)`);
  }
  if (asksForHelp(args)) return { print: commandHelp(spec) };
  checkOptions(spec, args);
  return { run: RUN[spec.name], args };
}

function main(argv: readonly string[]): void {
  let next: ReturnType<typeof dispatch>;
  try {
    next = dispatch(argv);
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = error instanceof UsageError ? 2 : 1;
    return;
  }
  if ('print' in next) {
    console.log(next.print.join('\n'));
    return;
  }
  next.run(next.args).then(
    (code) => {
      if (code !== undefined) process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error instanceof ConfigError ? `configuration: ${error.message}` : error);
      process.exit(1);
    },
  );
}

main(process.argv.slice(2));
