/**
 * The cap on Profit's `retry_after` (`retry.maxRetryAfterSeconds`, PROFIT_MAX_RETRY_AFTER_SECONDS) is inclusive:
 * a 503 asking to wait exactly the cap is waited for and the GET retried, with the maintenance circuit left
 * closed; one second more fails fast after one call and opens the circuit. The cap is 1 s here, so the wait is short.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ProfitClient, ProfitConnection } from '../../src/profit/index.js';
import { calls, expectProfitError, type Harness, startHarness } from '../integration/support.js';

const CAP_SECONDS = 1;

describe('a 503’s retry_after against the cap', () => {
  let harness: Harness;
  let connection: ProfitConnection;
  let admin: ProfitClient;
  const sent = async () => calls(await harness.log.entries());
  const persons = () => admin.get('Profit_Persons', { take: 1 });

  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(() => harness.close());
  beforeEach(() => {
    harness.reset();
    connection = harness.connect({ retry: { maxRetryAfterSeconds: CAP_SECONDS, maintenanceProbeSeconds: 60 } });
    admin = connection.client(harness.token('admin'));
  });

  it('waits for exactly the cap and retries the GET: two calls, the answer, the circuit closed', async () => {
    harness.emulator.faults.set({ retryAfter: CAP_SECONDS });
    harness.emulator.faults.once({ kind: '503', path: 'Profit_Persons' });
    await expect(persons()).resolves.toMatchObject({ rows: [expect.any(Object)] });
    expect(await sent()).toEqual(['GET /connectors/Profit_Persons', 'GET /connectors/Profit_Persons']);
    expect(connection.maintenanceUntil).toBeUndefined();
  });

  it('fails fast one second over the cap: one call, unavailable, the circuit open', async () => {
    harness.emulator.faults.set({ retryAfter: CAP_SECONDS + 1 });
    harness.emulator.faults.once({ kind: '503', path: 'Profit_Persons' });
    const error = await expectProfitError(persons(), 'unavailable');
    expect(error.retryAfterSeconds).toBe(CAP_SECONDS + 1);
    expect(await sent()).toEqual(['GET /connectors/Profit_Persons']);
    expect(connection.maintenanceUntil).toBeInstanceOf(Date);
  });
});
