#!/usr/bin/env node
/**
 * The commands a user runs: `serve` (npm start) and `emulator` (npm run emulator); for development,
 * `schema:print` and `schema:check` (see schema-artifacts.ts).
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

const commands: Record<string, () => Promise<unknown>> = {
  serve,
  emulator: async () => (await import('./emulator/index.js')).runEmulatorCli(),
  // Loaded on demand: they need development dependencies (GraphQL Code Generator).
  'schema:print': async () => (await import('./schema-artifacts.js')).printSchemaCommand(),
  'schema:check': async () => (await import('./schema-artifacts.js')).checkSchemaCommand(),
  generate: async () => (await import('./generate/cli.js')).generateCommand(process.argv.slice(3)),
};

const name = process.argv[2] ?? 'serve';
const command = commands[name];
if (command === undefined) {
  console.error(`unknown command '${name}'; use one of: ${Object.keys(commands).join(', ')}`);
  process.exit(2);
}
command().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `configuration: ${error.message}` : error);
  process.exit(1);
});
