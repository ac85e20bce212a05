#!/usr/bin/env node
/**
 * The commands a user runs: `serve` (npm start) and `emulator` (npm run emulator).
 */
import 'reflect-metadata';
import { ConfigError, loadConfig } from './config/index.js';
import { runEmulatorCli } from './emulator/index.js';
import { describeService, startService } from './server/index.js';

async function serve(): Promise<void> {
  const config = loadConfig();
  const service = await startService(config);
  for (const line of describeService(service)) console.log(line);
  console.log('Press Ctrl-C to stop.');
  const stop = (signal: NodeJS.Signals) => {
    console.log(`\n${signal}: shutting down`);
    service.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

const commands: Record<string, () => Promise<unknown>> = {
  serve,
  emulator: () => runEmulatorCli(),
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
