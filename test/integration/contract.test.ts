/**
 * The read-only contract checks that the live suite (test/live/contract.test.ts) runs against a real Profit
 * environment, run here against the emulator: once with its request log and a chosen connector, and once exactly
 * as the live suite runs them (no log, the connector picked from the token's own metainfo).
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { CONTRACT_CHECKS, type ContractTarget } from './contract-checks.js';
import { type Harness, startHarness } from './support.js';

let harness: Harness;
const targets: Record<'logged' | 'asLive', ContractTarget | undefined> = { logged: undefined, asLive: undefined };

beforeAll(async () => {
  harness = await startHarness();
  const connection = harness.connect();
  targets.logged = {
    connection,
    client: connection.client(harness.token('portal')),
    log: harness.log,
    getConnector: 'Profit_Organisations',
  };
  targets.asLive = { connection, client: connection.client(harness.token('hr')) };
});
afterAll(() => harness?.close());

describe.each([
  ['with the request log, on Profit_Organisations (portal token)', 'logged'],
  ['as the live suite runs them: no log, a connector from the hr token’s metainfo', 'asLive'],
] as const)('the contract checks against the emulator, %s', (_name, key) => {
  for (const check of CONTRACT_CHECKS) {
    it(check.name, () => check.run(targets[key] as ContractTarget));
  }
});
