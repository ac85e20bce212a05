/**
 * Behaviour of the connection over an in-process undici MockAgent: headers, retries, OAuth, the cap.
 * (Tests against the emulator over real HTTP live elsewhere.)
 */
import { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  afasToken,
  type Credential,
  oauthClient,
  ProfitConnection,
  type ProfitConnectionOptions,
  ProfitError,
  type ProfitRequestEvent,
  type ProfitResponseEvent,
} from '../../src/profit/index.js';

const ORIGIN = 'http://profit.test';
const BASE = `${ORIGIN}/ProfitRestServices`;
const TOKEN = afasToken('ADE370BE8DAF40D0A17FFB914E42675E9998C2D546A2F4FA3E4F3ABFA867B96F');
const ROWS = JSON.stringify({ skip: 0, take: 100, rows: [{ Id: 1, D: '2024-07-01T12:00:00Z', A: 0.1 }] });

let agent: MockAgent;
let connection: ProfitConnection | undefined;

beforeEach(() => {
  agent = new MockAgent();
  agent.disableNetConnect();
});

afterEach(async () => {
  await connection?.close();
  await agent.close();
});

function connect(options: Partial<ProfitConnectionOptions> = {}): ProfitConnection {
  connection = new ProfitConnection({ baseUrl: BASE, dispatcher: agent, retry: { baseDelayMs: 1 }, ...options });
  return connection;
}

function headersOf(opts: { headers?: unknown }): Record<string, string> {
  const h = opts.headers;
  if (Array.isArray(h)) {
    const out: Record<string, string> = {};
    for (let i = 0; i < h.length; i += 2) out[String(h[i]).toLowerCase()] = String(h[i + 1]);
    return out;
  }
  return Object.fromEntries(Object.entries((h ?? {}) as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]));
}

const isPath = (prefix: string) => (p: string) => p.startsWith(`/ProfitRestServices${prefix}`);

/** Answers `method path…` with `reply(call number)` until the test ends; `counter.calls` counts the requests. */
function answer(method: 'GET' | 'POST', path: string, reply: (call: number) => MockReply) {
  const counter = { calls: 0 };
  agent
    .get(ORIGIN)
    .intercept({ path: isPath(path), method })
    .reply(() => reply(++counter.calls))
    .persist();
  return counter;
}

interface MockReply {
  statusCode: number;
  data: string;
  responseOptions?: { headers: Record<string, string> };
}

async function kindOf(p: Promise<unknown>): Promise<ProfitError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ProfitError);
    return e as ProfitError;
  }
  throw new Error('expected a ProfitError');
}

describe('requests', () => {
  it('sends Accept, Authorization, IntegrationId and Accept-Language, never Connection: close', async () => {
    let seen: Record<string, string> = {};
    let path = '';
    agent
      .get(ORIGIN)
      .intercept({ path: isPath('/connectors/Profit_Users'), method: 'GET' })
      .reply((opts) => {
        seen = headersOf(opts);
        path = opts.path;
        return { statusCode: 200, data: ROWS };
      });
    const client = connect({ integrationId: '12345_1', acceptLanguage: 'en-us' }).client(TOKEN);
    const page = await client.get(
      'Profit_Users',
      { take: 10, orderBy: [{ field: 'Id' }] },
      { columns: { D: 'datetime' } },
    );
    expect(path).toBe('/ProfitRestServices/connectors/Profit_Users?skip=0&take=10&orderbyfieldids=Id');
    expect(seen.accept).toBe('application/json');
    expect(seen.authorization).toBe(TOKEN.authorization());
    expect(seen.integrationid).toBe('12345_1');
    expect(seen['accept-language']).toBe('en-us');
    expect(seen.connection).toBeUndefined();
    expect(page.take).toBe(10);
    expect(page.rows[0]?.D).toEqual(new Date('2024-07-01T10:00:00Z'));
  });

  it('refuses an over-long query string without making a request', async () => {
    const client = connect().client(TOKEN);
    const e = await kindOf(
      client.get('Profit_Users', { filter: [[{ field: 'Ds', op: 'eq', value: 'x'.repeat(2100) }]] }),
    );
    expect(e.kind).toBe('query-too-long');
    expect(e.requestSent).toBe(false);
  });

  it('reports each attempt to the observer without headers', async () => {
    const events: ProfitResponseEvent[] = [];
    agent
      .get(ORIGIN)
      .intercept({ path: isPath('/ProfitVersion'), method: 'GET' })
      .reply(200, '{"version":"22.22.5"}');
    const requests: ProfitRequestEvent[] = [];
    const client = connect({ onRequest: (e) => requests.push(e), onResponse: (e) => events.push(e) }).client(TOKEN);
    expect(await client.profitVersion()).toBe('22.22.5');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ method: 'GET', path: '/ProfitVersion', status: 200, attempt: 1, bytes: 21 });
    // The pair carries one id, so an observer can match a response to its request.
    expect(requests).toHaveLength(1);
    expect(requests[0]?.id).toBe(events[0]?.id);
    expect(events[0]?.queuedMs).toBe(requests[0]?.queuedMs);
    expect(JSON.stringify([requests, events])).not.toContain('AfasToken');
  });

  it("hands a tagged client's tag to both events of its calls, and no tag for an untagged client", async () => {
    agent
      .get(ORIGIN)
      .intercept({ path: isPath('/ProfitVersion'), method: 'GET' })
      .reply(200, '{"version":"22.22.5"}')
      .times(3);
    const requests: ProfitRequestEvent[] = [];
    const events: ProfitResponseEvent[] = [];
    const client = connect({ onRequest: (e) => requests.push(e), onResponse: (e) => events.push(e) }).client(TOKEN);
    const request = { id: 'request 1' };
    await client.tagged(request).profitVersion();
    await client.tagged(request).profitVersion({ tag: 'its own' });
    await client.profitVersion();
    expect(requests.map((e) => e.tag)).toEqual([request, 'its own', undefined]);
    expect(events.map((e) => e.tag)).toEqual([request, 'its own', undefined]);
    expect('tag' in (events[2] ?? {})).toBe(false);
  });
});

describe('retries', () => {
  it('retries a GET after a 503 without retry_after, then succeeds (2 calls)', async () => {
    let calls = 0;
    agent
      .get(ORIGIN)
      .intercept({ path: isPath('/connectors/X'), method: 'GET' })
      .reply(() => {
        calls++;
        return calls === 1 ? { statusCode: 503, data: '{}' } : { statusCode: 200, data: ROWS };
      })
      .times(2);
    const page = await connect().client(TOKEN).get('X');
    expect(page.rows).toHaveLength(1);
    expect(calls).toBe(2);
  });

  it('fails fast when retry_after exceeds the cap, saying when Profit is back (1 call)', async () => {
    let calls = 0;
    agent
      .get(ORIGIN)
      .intercept({ path: isPath('/connectors/X'), method: 'GET' })
      .reply(() => {
        calls++;
        return { statusCode: 503, data: '{"error":{"message":"maintenance"},"retry_after":7200}' };
      })
      .persist();
    const e = await kindOf(connect().client(TOKEN).get('X'));
    expect(e.kind).toBe('unavailable');
    expect(e.retryAfterSeconds).toBe(7200);
    expect(e.message).toContain('2 h');
    expect(calls).toBe(1);
  });

  // AFAS's OpenAPI files give every 503 a `Retry-After` header; a proxy in front of Profit may send only that.
  it('honours a Retry-After header in seconds when the 503 body has no retry_after: fails fast beyond the cap (1 call)', async () => {
    const profit = answer('GET', '/connectors/X', () => ({
      statusCode: 503,
      data: '{"error":{"code":"503","message":"maintenance"}}',
      responseOptions: { headers: { 'retry-after': '7200' } },
    }));
    const e = await kindOf(connect().client(TOKEN).get('X'));
    expect(e.kind).toBe('unavailable');
    expect(e.retryAfterSeconds).toBe(7200);
    expect(profit.calls).toBe(1);
  });

  it('honours a Retry-After header given as an HTTP date, counted from the connection’s clock (1 call)', async () => {
    const now = Date.parse('2026-12-01T22:00:00Z');
    const profit = answer('GET', '/connectors/X', () => ({
      statusCode: 503,
      data: '',
      responseOptions: { headers: { 'retry-after': 'Wed, 02 Dec 2026 00:00:00 GMT' } },
    }));
    const e = await kindOf(
      connect({ now: () => now })
        .client(TOKEN)
        .get('X'),
    );
    expect(e.kind).toBe('unavailable');
    expect(e.retryAfterSeconds).toBe(7200);
    expect(profit.calls).toBe(1);
  });

  it('retries after a Retry-After header within the cap, then succeeds (2 calls)', async () => {
    let calls = 0;
    agent
      .get(ORIGIN)
      .intercept({ path: isPath('/connectors/X'), method: 'GET' })
      .reply(() => {
        calls++;
        return calls === 1
          ? { statusCode: 503, data: '', responseOptions: { headers: { 'retry-after': '0' } } }
          : { statusCode: 200, data: ROWS };
      })
      .times(2);
    const page = await connect().client(TOKEN).get('X');
    expect(page.rows).toHaveLength(1);
    expect(calls).toBe(2);
  });

  it('opens the maintenance circuit on a Retry-After header beyond the cap: the next call is not sent (1 call)', async () => {
    const profit = answer('GET', '/connectors/X', () => ({
      statusCode: 503,
      data: '',
      responseOptions: { headers: { 'retry-after': '7200' } },
    }));
    const client = connect({ retry: { baseDelayMs: 1, maintenanceProbeSeconds: 60 } }).client(TOKEN);
    expect((await kindOf(client.get('X'))).kind).toBe('unavailable');
    const second = await kindOf(client.get('X'));
    expect(second.kind).toBe('unavailable');
    expect(second.requestSent).toBe(false);
    expect(profit.calls).toBe(1);
  });

  it('never retries a POST, even on 503 (1 call)', async () => {
    const profit = answer('POST', '/connectors/KnSubject', () => ({ statusCode: 503, data: '{}' }));
    const e = await kindOf(
      connect()
        .client(TOKEN)
        .insert('KnSubject', { fields: { Ds: 'x' } }),
    );
    expect(e.kind).toBe('unavailable');
    expect(profit.calls).toBe(1);
  });

  it('gives up a GET after maxAttempts network failures (3 calls)', async () => {
    let calls = 0;
    agent
      .get(ORIGIN)
      .intercept({ path: isPath('/connectors/X'), method: 'GET' })
      .reply(() => {
        calls++;
        throw Object.assign(new Error('reset'), { code: 'ECONNRESET' });
      })
      .persist();
    const e = await kindOf(connect().client(TOKEN).get('X'));
    expect(e.kind).toBe('network');
    expect(calls).toBe(3);
  });

  it('does not retry a functional 500', async () => {
    let calls = 0;
    agent
      .get(ORIGIN)
      .intercept({ path: isPath('/connectors/X'), method: 'GET' })
      .reply(() => {
        calls++;
        return {
          statusCode: 500,
          data: '{"externalMessage":"Connector field \'Y\' not found","profitLogReference":"R1"}',
        };
      })
      .persist();
    const e = await kindOf(connect().client(TOKEN).get('X'));
    expect(e.kind).toBe('rejected');
    expect(e.profitLogReference).toBe('R1');
    expect(calls).toBe(1);
  });
});

describe('timeouts and the cap', () => {
  it('times out a slow answer', async () => {
    agent
      .get(ORIGIN)
      .intercept({ path: isPath('/connectors/X'), method: 'GET' })
      .reply(200, ROWS)
      .delay(500)
      .persist();
    const e = await kindOf(
      connect({ timeoutMs: 50, retry: { maxAttempts: 1 } })
        .client(TOKEN)
        .get('X'),
    );
    expect(e.kind).toBe('timeout');
  });

  it('queues beyond maxConcurrent and times out in the queue without sending', async () => {
    let calls = 0;
    agent
      .get(ORIGIN)
      .intercept({ path: isPath('/connectors/X'), method: 'GET' })
      .reply(() => {
        calls++;
        return { statusCode: 200, data: ROWS };
      })
      .delay(300)
      .persist();
    const client = connect({ maxConcurrent: 1, timeoutMs: 1000 }).client(TOKEN);
    const first = client.get('X');
    const second = kindOf(client.get('X', {}, { timeoutMs: 50 }));
    const e = await second;
    expect(e.kind).toBe('timeout');
    expect(e.requestSent).toBe(false);
    await first;
    expect(calls).toBe(1);
  });
});

describe('OAuth', () => {
  function oauthServer(tokens: string[]): { tokenCalls: () => number; seen: string[] } {
    let n = 0;
    const seen: string[] = [];
    const pool = agent.get(ORIGIN);
    pool
      .intercept({ path: '/ProfitRestServices/oauth/token', method: 'POST' })
      .reply((opts) => {
        const token = tokens[n++] ?? 'none';
        expect(String(opts.body)).toContain('grant_type=client_credentials');
        return {
          statusCode: 200,
          data: JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: 3600, refresh_token: null }),
        };
      })
      .persist();
    pool
      .intercept({ path: isPath('/connectors/X'), method: 'GET' })
      .reply((opts) => {
        const auth = headersOf(opts).authorization ?? '';
        seen.push(auth);
        return auth === 'Bearer t-revoked' ? { statusCode: 401, data: '' } : { statusCode: 200, data: ROWS };
      })
      .persist();
    return { tokenCalls: () => n, seen };
  }

  it('shares one token request between concurrent callers and caches it', async () => {
    const server = oauthServer(['t1']);
    const conn = connect();
    const cred: Credential = oauthClient({ clientId: 'app', clientSecret: 'secret' });
    await Promise.all(Array.from({ length: 5 }, () => conn.client(cred).get('X')));
    await conn.client(oauthClient({ clientId: 'app', clientSecret: 'secret' })).get('X');
    expect(server.tokenCalls()).toBe(1);
    expect(server.seen).toEqual(Array(6).fill('Bearer t1'));
  });

  it('drops a token Profit refuses with 401 and retries once with a fresh one', async () => {
    const server = oauthServer(['t-revoked', 't2']);
    const page = await connect()
      .client(oauthClient({ clientId: 'app', clientSecret: 'secret' }))
      .get('X');
    expect(page.rows).toHaveLength(1);
    expect(server.tokenCalls()).toBe(2);
    expect(server.seen).toEqual(['Bearer t-revoked', 'Bearer t2']);
  });

  it('reports refused client credentials as unauthorized without the secret', async () => {
    agent
      .get(ORIGIN)
      .intercept({ path: '/ProfitRestServices/oauth/token', method: 'POST' })
      .reply(401, '{"error":"invalid_client"}');
    const e = await kindOf(
      connect()
        .client(oauthClient({ clientId: 'app', clientSecret: 'very-secret' }))
        .get('X'),
    );
    expect(e.kind).toBe('unauthorized');
    expect(e.message).toContain('invalid_client');
    expect(e.message).not.toContain('very-secret');
  });
});
