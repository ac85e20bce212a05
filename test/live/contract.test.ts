/**
 * The live contract suite: the client's read-only checks (test/integration/contract-checks.ts) against a real
 * Profit environment. It runs only when its settings are present, and nothing in it writes:
 *
 *   PROFIT_LIVE_BASE_URL=https://12345.resttest.afas.online/ProfitRestServices   (or PROFIT_LIVE_ENVIRONMENT=12345
 *                                                                               and PROFIT_LIVE_ENVIRONMENT_TYPE=test)
 *   PROFIT_LIVE_TOKEN=<token XML, its 64-hex data, or a whole "AfasToken …"/"Bearer …" header value>
 *   PROFIT_LIVE_CONNECTOR=Profit_Xyz        (optional: the GetConnector to check filters on)
 *
 * Without them the suite is skipped, and its name says why.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  afasToken,
  authorizationHeader,
  type Credential,
  ProfitConnection,
  type ProfitEnvironmentType,
} from '../../src/profit/index.js';
import { CONTRACT_CHECKS, type ContractTarget } from '../integration/contract-checks.js';

const env = process.env;
const baseUrl = env.PROFIT_LIVE_BASE_URL || undefined;
const environment = env.PROFIT_LIVE_ENVIRONMENT || undefined;
const token = env.PROFIT_LIVE_TOKEN || undefined;
const configured = token !== undefined && (baseUrl !== undefined || environment !== undefined);

const SKIPPED =
  'live contract suite (skipped: set PROFIT_LIVE_TOKEN and PROFIT_LIVE_ENVIRONMENT or PROFIT_LIVE_BASE_URL to run against real Profit)';

function credentialOf(value: string): Credential {
  return /^(afastoken|bearer)\s/i.test(value) ? authorizationHeader(value) : afasToken(value);
}

if (!configured) {
  console.info(SKIPPED);
  describe.skip(SKIPPED, () => {
    it('runs the read-only contract checks against a real Profit environment', () => {});
  });
} else {
  describe(`live contract suite against ${baseUrl ?? `environment ${environment} (${env.PROFIT_LIVE_ENVIRONMENT_TYPE ?? 'production'})`}`, () => {
    let connection: ProfitConnection;
    let target: ContractTarget;
    beforeAll(() => {
      connection = new ProfitConnection(
        baseUrl !== undefined
          ? { baseUrl }
          : {
              environment: {
                id: environment as string,
                type: (env.PROFIT_LIVE_ENVIRONMENT_TYPE || 'production') as ProfitEnvironmentType,
              },
            },
      );
      target = {
        connection,
        client: connection.client(credentialOf(token as string)),
        ...(env.PROFIT_LIVE_CONNECTOR ? { getConnector: env.PROFIT_LIVE_CONNECTOR } : {}),
      };
    });
    afterAll(() => connection?.close());
    for (const check of CONTRACT_CHECKS) it(check.name, () => check.run(target), 60_000);
  });
}
