/**
 * Unknown credentials cannot starve known ones. Verifying a credential not yet known (its first `/metainfo`) takes a
 * slot of its own small cap (CREDENTIAL_CHECK_CONCURRENCY), never one of the shared cap known callers use; a
 * credential Profit refused is refused again, for REFUSED_CREDENTIAL_TTL_SECONDS, without calling Profit. Shown by
 * the emulator's request log (paths, callers, in-flight counts), not by timing.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { PermissionStore } from '../../src/graphql/auth/index.js';
import { afasToken, ProfitConnection } from '../../src/profit/index.js';
import type { Service } from '../../src/server/index.js';
import { demoAuthorization, graphql, startTestService } from '../server/helpers.js';

/** A classic token nobody issued: Profit refuses it (401). */
const madeUpToken = () =>
  `AfasToken ${Buffer.from(`<token><version>1</version><data>${randomBytes(32).toString('hex').toUpperCase()}</data></token>`).toString('base64')}`;

const EMPLOYEES = '{ employees(first: 2) { edges { node { employeeId } } } }';

describe('through the service', () => {
  let service: Service;
  let emulator: Emulator;
  let admin: string;
  beforeAll(async () => {
    service = await startTestService({ PROFIT_MAX_CONCURRENT: '4', CREDENTIAL_CHECK_CONCURRENCY: '2' });
    emulator = service.emulator as Emulator;
    admin = demoAuthorization(service, 'admin');
    // The known caller: its grant is read (and cached) once.
    expect((await graphql(service, EMPLOYEES, { authorization: admin })).status).toBe(200);
  });
  afterAll(() => service?.close());

  const profitCalls = () => emulator.log.entries().filter((e) => e.path.startsWith('/ProfitRestServices'));

  it('verifies at most CREDENTIAL_CHECK_CONCURRENCY made-up tokens at once, and a known caller is not queued behind them', async () => {
    emulator.log.clear();
    // Every verification takes Profit 2.5 s: the made-up tokens hold their slots while the known caller asks. (A
    // one-shot fault carries the delay; a 401 has no body, so `stall` adds nothing else.)
    emulator.faults.once({ kind: 'stall', path: 'metainfo$', count: 6, delayMs: 2500 });
    const flood = Array.from({ length: 6 }, () => graphql(service, EMPLOYEES, { authorization: madeUpToken() }));
    await vi.waitFor(() => expect(service.connection.verificationLoad).toEqual({ active: 2, queued: 4 }));

    const known = await graphql(service, EMPLOYEES, { authorization: admin });
    expect(known.status).toBe(200);
    expect(known.json.data.employees.edges).toHaveLength(2);

    const answers = await Promise.all(flood);
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(401));
    const calls = profitCalls();
    const knownCalls = calls.filter((e) => e.user === 'admin');
    const verifications = calls.filter((e) => e.user === undefined);
    expect(knownCalls.map((e) => e.path)).toEqual(['/ProfitRestServices/connectors/Profit_Employees']);
    expect(verifications.map((e) => `${e.path} ${e.status}`)).toEqual(
      Array(6).fill('/ProfitRestServices/metainfo 401'),
    );
    // The known caller's call went to Profit beside the first two verifications, before the four that waited.
    expect(knownCalls[0]?.inFlight).toBe(3);
    expect(verifications.slice(2).every((v) => v.seq > (knownCalls[0]?.seq ?? Infinity))).toBe(true);
    expect(Math.max(...verifications.map((e) => e.inFlight))).toBeLessThanOrEqual(3);
  });

  it('refuses a refused token again within REFUSED_CREDENTIAL_TTL_SECONDS without calling Profit', async () => {
    const token = madeUpToken();
    emulator.log.clear();
    const first = await graphql(service, EMPLOYEES, { authorization: token });
    expect(first.status).toBe(401);
    expect(profitCalls().map((e) => e.path)).toEqual(['/ProfitRestServices/metainfo']);

    emulator.log.clear();
    for (let i = 0; i < 3; i++) {
      const again = await graphql(service, EMPLOYEES, { authorization: token });
      expect(again.status).toBe(401);
      expect(again.json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    }
    expect(profitCalls()).toHaveLength(0);
  });
});

describe('the grant cache', () => {
  let emulator: Emulator;
  let connection: ProfitConnection;
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
    connection = new ProfitConnection({ baseUrl: emulator.baseUrl });
  });
  afterAll(async () => {
    await connection?.close();
    await emulator?.close();
  });

  const refusedToken = () => afasToken(randomBytes(32).toString('hex'));

  it('asks Profit again about a refused credential once its refusal has expired', async () => {
    let now = 1_000_000;
    const store = new PermissionStore({ refusedTtlMs: 30_000, now: () => now });
    const client = connection.client(refusedToken());
    emulator.log.clear();
    await expect(store.grants(client)).rejects.toMatchObject({ kind: 'unauthorized' });
    now += 29_000;
    await expect(store.grants(client)).rejects.toMatchObject({ kind: 'unauthorized' });
    expect(emulator.log.entries()).toHaveLength(1);
    now += 2_000;
    await expect(store.grants(client)).rejects.toMatchObject({ kind: 'unauthorized' });
    expect(emulator.log.entries()).toHaveLength(2);
    expect(store.stats.metainfo).toBe(2);
    expect(store.verificationStats).toEqual({ verifications: 2, refusedFromCache: 1 });
  });

  it('verifies a credential only the first time: refreshing a known grant after its TTL uses the shared cap', async () => {
    let now = 1_000_000;
    const store = new PermissionStore({ ttlMs: 60_000, now: () => now });
    const app = emulator.company.appConnectors.find((a) => a.users.length > 0);
    const token = app?.users[0]?.tokenData;
    if (token === undefined) throw new Error('the demo company has no user');
    const client = connection.client(afasToken(token));
    await store.grants(client);
    now += 61_000;
    await store.grants(client);
    expect(store.stats.metainfo).toBe(2);
    expect(store.verificationStats).toEqual({ verifications: 1, refusedFromCache: 0 });
  });
});
