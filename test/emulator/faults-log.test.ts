import { Agent, request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FaultController } from '../../src/emulator/faults.js';
import type { Emulator } from '../../src/emulator/server.js';
import { ADMIN, call, get, startFixtureEmulator } from './helpers.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startFixtureEmulator({ faults: { timeoutCapMs: 5_000 } });
});
afterEach(() => {
  emu.faults.clear();
  emu.faults.set({ timeoutCapMs: 5_000 });
  emu.log.clear();
  emu.reset();
});
afterAll(() => emu.close());

async function admin(method: string, path: string, body?: unknown) {
  const res = await request(`${emu.url}/__emulator${path}`, {
    method: method as 'GET',
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  const text = await res.body.text();
  return { status: res.statusCode, json: text ? JSON.parse(text) : undefined };
}

describe('maintenance', () => {
  it('answers every Profit request with the 503 body as AFAS’s OpenAPI types it (strings) and a Retry-After header', async () => {
    emu.faults.maintenance(7200);
    for (const path of ['/connectors/Fx_People', '/metainfo', '/oauth/token']) {
      const r = await call(emu, path === '/oauth/token' ? 'POST' : 'GET', path);
      expect(r.status).toBe(503);
      expect(r.json).toEqual({
        error: {
          code: '503',
          message:
            'Service temporarily unavailable due to scheduled maintenance. Please check afasstatus.nl for details.',
        },
        retry_after: 7200,
      });
      expect(r.headers['retry-after']).toBe('7200');
    }
    emu.faults.maintenance(null);
    expect((await get(emu, 'Fx_People')).status).toBe(200);
  });

  it('is switched on and off over the admin endpoint', async () => {
    expect((await admin('PUT', '/maintenance', { retryAfter: 60 })).status).toBe(200);
    expect((await get(emu, 'Fx_People')).json.retry_after).toBe(60);
    await admin('DELETE', '/maintenance');
    expect((await get(emu, 'Fx_People')).status).toBe(200);
  });
});

describe('one-shot faults', () => {
  it('gives the next N matching requests the fault, then behaves again', async () => {
    emu.faults.once({ kind: '500', count: 2, method: 'GET', path: 'connectors/Fx_People' });
    expect((await call(emu, 'GET', '/metainfo')).status).toBe(200);
    const first = await get(emu, 'Fx_People');
    expect(first.status).toBe(500);
    expect(first.json.externalMessage).toBe('An unexpected error has occurred.');
    expect((await get(emu, 'Fx_People')).status).toBe(500);
    expect((await get(emu, 'Fx_People')).status).toBe(200);
  });

  it('answers a 503 fault with retry_after', async () => {
    emu.faults.update({ retryAfter: 5 });
    emu.faults.once({ kind: '503' });
    const r = await get(emu, 'Fx_People');
    expect(r.status).toBe(503);
    expect(r.json.retry_after).toBe(5);
    expect(r.headers['retry-after']).toBe('5');
  });

  it('resets the connection for a reset fault', async () => {
    emu.faults.once({ kind: 'reset' });
    await expect(get(emu, 'Fx_People')).rejects.toThrow();
    expect(emu.log.entries()[0]?.status).toBe('reset');
    expect((await get(emu, 'Fx_People')).status).toBe(200);
  });

  it('answers 200 with a truncated body for a malformed fault', async () => {
    emu.faults.once({ kind: 'malformed' });
    const r = await get(emu, 'Fx_People');
    expect(r.status).toBe(200);
    expect(r.text.length).toBeGreaterThan(0);
    expect(() => JSON.parse(r.text)).toThrow();
  });

  it('stalls an answer after its first bytes until released, then sends the rest', async () => {
    const whole = (await get(emu, 'Fx_People')).text;
    emu.log.clear();
    emu.faults.once({ kind: 'stall', path: 'connectors/Fx_People', afterBytes: 10 });
    const res = await request(`${emu.baseUrl}/connectors/Fx_People`, { headers: { authorization: ADMIN } });
    expect(res.statusCode).toBe(200);
    const reader = res.body[Symbol.asyncIterator]();
    const first = (await reader.next()).value as Buffer;
    expect(first.toString()).toBe(whole.slice(0, 10));
    expect(emu.faults.stalled).toBe(1);
    expect(emu.log.entries().map((e) => [e.status, e.fault])).toEqual([['pending', 'stall']]);
    expect((await admin('POST', '/faults/release', {})).json).toEqual({ released: 1 });
    let rest = '';
    for (let r = await reader.next(); !r.done; r = await reader.next()) rest += (r.value as Buffer).toString();
    expect(first.toString() + rest).toBe(whole);
    expect(emu.log.entries()[0]?.status).toBe(200);
    expect(emu.faults.stalled).toBe(0);
  });

  it('breaks a stalled answer off when released with reset', async () => {
    emu.faults.once({ kind: 'stall', path: 'connectors/Fx_People' });
    const res = await request(`${emu.baseUrl}/connectors/Fx_People`, { headers: { authorization: ADMIN } });
    const reader = res.body[Symbol.asyncIterator]();
    await reader.next();
    expect(emu.faults.release('reset')).toBe(1);
    await expect(
      (async () => {
        for (let r = await reader.next(); !r.done; r = await reader.next());
      })(),
    ).rejects.toThrow();
    expect(emu.log.entries()[0]?.status).toBe('reset');
  });

  it('never answers a timeout fault: the client gives up, and the log says timeout', async () => {
    emu.faults.once({ kind: 'timeout' });
    // The client's own 300 ms headersTimeout ends the wait; the test's timeout would catch a hang.
    await expect(
      request(`${emu.baseUrl}/connectors/Fx_People`, { headers: { authorization: ADMIN }, headersTimeout: 300 }),
    ).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 50));
    expect(emu.log.entries()[0]?.status).toBe('timeout');
  });

  it('processes an update under a timeout fault, as Profit keeps working after a client timeout', async () => {
    emu.faults.once({ kind: 'timeout', method: 'POST' });
    await expect(
      request(`${emu.baseUrl}/connectors/FxPerson`, {
        method: 'POST',
        headers: { authorization: ADMIN, 'content-type': 'application/json' },
        body: JSON.stringify({ FxPerson: { Element: { Fields: { Nm: 'Ghost' } } } }),
        headersTimeout: 300,
      }),
    ).rejects.toThrow();
    const r = await get(emu, 'Fx_People', '?filterfieldids=Name&filtervalues=Ghost&operatortypes=1');
    expect(r.json.rows).toHaveLength(1);
  });

  it('closes a held connection when the cap passes', async () => {
    emu.faults.set({ timeoutCapMs: 200 });
    emu.faults.once({ kind: 'timeout' });
    const started = Date.now();
    await expect(get(emu, 'Fx_People')).rejects.toThrow();
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('adds the one-shot delay', async () => {
    emu.faults.once({ kind: '500', delayMs: 150 });
    const started = Date.now();
    await get(emu, 'Fx_People');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('is queued over the admin endpoint', async () => {
    await admin('POST', '/faults/once', [{ kind: '503', path: 'metainfo' }]);
    expect((await admin('GET', '/faults')).json.once).toEqual([{ kind: '503', path: 'metainfo', remaining: 1 }]);
    expect((await call(emu, 'GET', '/metainfo')).status).toBe(503);
    expect((await admin('GET', '/faults')).json.once).toEqual([]);
  });
});

describe('random faults', () => {
  it('inject faults at the configured rate from a seeded PRNG, reproducibly', () => {
    const run = () => {
      const f = new FaultController({ seed: 42, rates: { '500': 0.2, reset: 0.1 } });
      return Array.from({ length: 1000 }, () => f.decide('GET', '/x').kind ?? 'ok');
    };
    const a = run();
    expect(run()).toEqual(a);
    const count = (k: string) => a.filter((x) => x === k).length;
    expect(count('500')).toBeGreaterThan(150);
    expect(count('500')).toBeLessThan(250);
    expect(count('reset')).toBeGreaterThan(60);
    expect(count('reset')).toBeLessThan(140);
  });

  it('refuses rates that are not probabilities', () => {
    expect(() => new FaultController({ rates: { '500': 1.5 } })).toThrow('between 0 and 1');
    expect(() => new FaultController({ rates: { '500': 0.6, '503': 0.6 } })).toThrow('more than 1');
  });

  it('apply over HTTP, configured through the admin endpoint', async () => {
    const put = await admin('PUT', '/faults', { rates: { '500': 1 }, seed: 7 });
    expect(put.status).toBe(200);
    expect((await get(emu, 'Fx_People')).status).toBe(500);
    expect((await admin('PUT', '/faults', { rates: { nope: 1 } })).status).toBe(400);
    await admin('DELETE', '/faults');
    expect((await get(emu, 'Fx_People')).status).toBe(200);
  });

  it('add latency of fixed plus jitter milliseconds', async () => {
    emu.faults.set({ latency: { fixedMs: 100, jitterMs: 50 } });
    const started = Date.now();
    await get(emu, 'Fx_People');
    // A lower bound only: the emulator must have waited; how fast the machine is otherwise is the bench's concern.
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
  });
});

describe('request log', () => {
  it('records method, raw path and query, status, app connector and user, but never the token', async () => {
    await get(emu, 'Fx_People', '?skip=0&take=1&filtervalues=a%2Cb');
    await call(emu, 'GET', '/connectors/Fx_People', { auth: null });
    const [ok, refused] = emu.log.entries();
    expect(ok).toMatchObject({
      seq: expect.any(Number),
      method: 'GET',
      path: '/ProfitRestServices/connectors/Fx_People',
      query: '?skip=0&take=1&filtervalues=a%2Cb',
      status: 200,
      appConnector: 'fx-admin',
      user: 'admin',
      inFlight: 1,
    });
    expect(ok?.durationMs).toBeGreaterThanOrEqual(0);
    expect(refused).toMatchObject({ status: 401 });
    expect(refused?.appConnector).toBeUndefined();
    expect(JSON.stringify(emu.log.entries())).not.toContain(ADMIN.slice(10, 40));
  });

  it('records how many Profit requests were in flight when each arrived', async () => {
    emu.faults.set({ latency: { fixedMs: 100 }, timeoutCapMs: 5_000 });
    await Promise.all([1, 2, 3].map(() => get(emu, 'Fx_People')));
    expect(emu.log.maxInFlight()).toBe(3);
    expect(
      emu.log
        .entries()
        .map((e) => e.inFlight)
        .sort(),
    ).toEqual([1, 2, 3]);
  });

  it('does not log admin requests, and is read and cleared over the admin endpoint', async () => {
    await get(emu, 'Fx_People');
    const read = await admin('GET', '/log');
    expect(read.json.entries).toHaveLength(1);
    expect((await admin('DELETE', '/log')).status).toBe(204);
    expect(emu.log.entries()).toEqual([]);
  });
});

describe('admin', () => {
  it('reseeds the company on reset', async () => {
    await call(emu, 'DELETE', '/connectors/FxPerson/FxPerson/@PeId/1');
    expect((await get(emu, 'Fx_People')).json.rows).toHaveLength(5);
    expect((await admin('POST', '/reset')).status).toBe(200);
    expect((await get(emu, 'Fx_People')).json.rows).toHaveLength(6);
  });

  it('lists ready-to-use credentials', async () => {
    const r = await admin('GET', '/credentials');
    expect(r.json[0].users[0].authorization).toBe(ADMIN);
    expect(r.json[0].oauthClients[0].clientId).toBe('fx-admin-client');
  });

  it('closes with a held connection open', async () => {
    const other = await startFixtureEmulator();
    other.faults.once({ kind: 'timeout' });
    const dispatcher = new Agent();
    const pending = request(`${other.baseUrl}/ProfitVersion`, { headers: { authorization: ADMIN }, dispatcher });
    await new Promise((r) => setTimeout(r, 50));
    // close() must end the held request instead of waiting for the 60 s cap: the test's timeout would catch that.
    await other.close();
    await expect(pending).rejects.toThrow();
    await dispatcher.close();
  });
});
