/**
 * OAuth 2 client credentials against the emulator's token endpoint: one token for many concurrent callers, the
 * cache, renewal before expiry, and one refresh after a 401. Tokens live 3 s here and the emulator's clock can be
 * moved forward, so expiry needs little real waiting.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { calls, expectProfitError, type Harness, startHarness } from './support.js';

const LIFETIME_SECONDS = 3;
/** Renew when half the lifetime is left: max(lifetime − skew, lifetime / 2) = 1.5 s. */
const SKEW_MS = 1500;

let harness: Harness;
/** How far the emulator's clock runs ahead of the real one. */
let ahead = 0;

beforeAll(async () => {
  harness = await startHarness({ tokenLifetimeSeconds: LIFETIME_SECONDS, clock: { now: () => Date.now() + ahead } });
});
afterAll(() => harness?.close());
beforeEach(() => {
  harness.log.clear();
  harness.emulator.faults.clear();
});

async function logged(): Promise<string[]> {
  return (await harness.log.entries()).map((e) => `${calls([e])[0]} ${e.status}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('OAuth client credentials', () => {
  it('asks for one token for 10 concurrent first calls, and sends all 10 with it', async () => {
    const client = harness.connect({ tokenRefreshSkewMs: SKEW_MS }).client(harness.oauth('admin'));
    await Promise.all(Array.from({ length: 10 }, () => client.get('Profit_Persons', { take: 1 })));
    expect(harness.emulator.log.tokenIssuances()).toBe(1);
    expect(await logged()).toEqual(['POST /oauth/token 200', ...Array(10).fill('GET /connectors/Profit_Persons 200')]);
  });

  it('reuses the cached token while it is fresh, then fetches exactly one new one for 5 concurrent calls', async () => {
    const client = harness.connect({ tokenRefreshSkewMs: SKEW_MS }).client(harness.oauth('hr'));
    await client.metainfo();
    await Promise.all(Array.from({ length: 5 }, () => client.get('Profit_Persons', { take: 1 })));
    expect(harness.emulator.log.tokenIssuances()).toBe(1);
    await sleep(SKEW_MS + 100);
    harness.log.clear();
    await Promise.all(Array.from({ length: 5 }, () => client.get('Profit_Persons', { take: 1 })));
    expect(await logged()).toEqual(['POST /oauth/token 200', ...Array(5).fill('GET /connectors/Profit_Persons 200')]);
  });

  it('after a 401 for a token the server let expire, fetches one new token and the call succeeds: 3 requests', async () => {
    const client = harness.connect().client(harness.oauth('portal'));
    await client.get('Profit_Organisations', { take: 1 });
    ahead += (LIFETIME_SECONDS + 1) * 1000;
    harness.log.clear();
    const { rows } = await client.get('Profit_Organisations', { take: 1 });
    expect(rows).toHaveLength(1);
    expect(await logged()).toEqual([
      'GET /connectors/Profit_Organisations 401',
      'POST /oauth/token 200',
      'GET /connectors/Profit_Organisations 200',
    ]);
  });

  it('refreshes once for 5 concurrent calls that all get a 401 for the same expired token', async () => {
    const client = harness.connect().client(harness.oauth('admin'));
    await client.metainfo();
    ahead += (LIFETIME_SECONDS + 1) * 1000;
    harness.log.clear();
    await Promise.all(Array.from({ length: 5 }, () => client.get('Profit_Persons', { take: 1 })));
    expect(harness.emulator.log.tokenIssuances()).toBe(1);
    const entries = await logged();
    expect(entries.filter((e) => e === 'GET /connectors/Profit_Persons 401')).toHaveLength(5);
    expect(entries.filter((e) => e === 'GET /connectors/Profit_Persons 200')).toHaveLength(5);
    expect(entries).toHaveLength(11);
  });

  it('retries the token request itself after a 503, like a GET: 2 token requests, then the call', async () => {
    harness.emulator.faults.set({ retryAfter: 0 });
    harness.emulator.faults.once({ kind: '503', path: 'oauth/token' });
    const client = harness.connect().client(harness.oauth('portal'));
    await client.get('Profit_Organisations', { take: 1 });
    expect(await logged()).toEqual([
      'POST /oauth/token 503',
      'POST /oauth/token 200',
      'GET /connectors/Profit_Organisations 200',
    ]);
  });

  it('repeats even a write once after such a 401, since a 401 means it was not executed: 3 requests', async () => {
    const client = harness.connect().client(harness.oauth('hr'));
    await client.metainfo();
    ahead += (LIFETIME_SECONDS + 1) * 1000;
    harness.log.clear();
    await client.insert('HrAbsenceID', {
      fields: { EmId: 'ALLARDJ', ViAt: 'V', DaBe: '2026-11-03', DaEn: '2026-11-03', LeDt: false },
    });
    expect(await logged()).toEqual([
      'POST /connectors/HrAbsenceID 401',
      'POST /oauth/token 200',
      'POST /connectors/HrAbsenceID 201',
    ]);
  });

  it('reports client credentials the token endpoint refuses as unauthorized, asked once, without the secret', async () => {
    const secret = 'not-the-secret-0123456789';
    const client = harness.connect().client(harness.oauth('admin', secret));
    const error = await expectProfitError(client.get('Profit_Persons'), 'unauthorized');
    expect(error.status).toBe(401);
    expect(error.message).not.toContain(secret);
    expect(await logged()).toEqual(['POST /oauth/token 401']);
  });

  it('tells the token’s expiry in metainfo', async () => {
    const meta = await harness.connect().client(harness.oauth('portal')).metainfo();
    expect(meta.info.tokenExpiry).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(meta.info.appName).toBe('Demo klantportaal');
  });
});
