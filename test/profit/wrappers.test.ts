/**
 * The connection's calls as wrappers around one `send` (docs/profit-calls.md), seen from an extra wrapper given
 * through `wrappers`, against the emulator over HTTP: what a later metric or trace wrapper will see.
 */
import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Answer, compose, Exchange, type Send, type Wrapper } from '../../src/profit/send/send.js';
import { calls, expectProfitError, type Harness, startHarness } from '../integration/support.js';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness?.close());
beforeEach(() => harness.reset());

/** What Profit logged, as `METHOD path status`. */
async function logged(): Promise<string[]> {
  return (await harness.log.entries()).map((e) => `${calls([e])[0]} ${e.status}`);
}

/** A wrapper that writes one line per attempt it sees: `METHOD path #attempt status`, or the failure's kind. */
function recorder(lines: string[]): Wrapper {
  return (next) => async (x) => {
    try {
      const answer = await next(x);
      lines.push(`${x.request.method} ${x.request.path} #${x.attempt} ${answer.status}`);
      return answer;
    } catch (error) {
      lines.push(`${x.request.method} ${x.request.path} #${x.attempt} ${(error as { kind?: string }).kind}`);
      throw error;
    }
  };
}

describe('an extra wrapper', () => {
  it('sees every attempt that is sent, the OAuth token request and retries included, as Profit logs them', async () => {
    harness.emulator.faults.set({ retryAfter: 0 });
    harness.emulator.faults.once({ kind: '503', path: 'oauth/token' });
    harness.emulator.faults.once({ kind: '503', path: 'Profit_Persons' });
    const lines: string[] = [];
    const client = harness.connect({ wrappers: [recorder(lines)] }).client(harness.oauth('admin'));
    await client.get('Profit_Persons', { take: 1 });
    expect(lines).toEqual([
      'POST /oauth/token #1 503',
      'POST /oauth/token #2 200',
      'GET /connectors/Profit_Persons #1 503',
      'GET /connectors/Profit_Persons #2 200',
    ]);
    expect(await logged()).toEqual([
      'POST /oauth/token 503',
      'POST /oauth/token 200',
      'GET /connectors/Profit_Persons 503',
      'GET /connectors/Profit_Persons 200',
    ]);
  });

  it('sees an attempt that got no answer as its ProfitError, and each retry of it (3 attempts, 3 requests)', async () => {
    harness.emulator.faults.once({ kind: 'reset', path: 'Profit_Persons', count: 3 });
    const lines: string[] = [];
    const client = harness.connect({ wrappers: [recorder(lines)] }).client(harness.token('admin'));
    await expectProfitError(client.get('Profit_Persons', { take: 1 }), 'network');
    expect(lines).toEqual(Array.from({ length: 3 }, (_, i) => `GET /connectors/Profit_Persons #${i + 1} network`));
    expect(await harness.log.entries()).toHaveLength(3);
  });

  it('sees the attempt with its slot held, and with the id and queue wait of its observer events', async () => {
    const seen: { id: number; queuedMs: number; active: number }[] = [];
    const ids: number[] = [];
    const waits: number[] = [];
    const connection = harness.connect({
      onRequest: (e) => {
        ids.push(e.id);
        waits.push(e.queuedMs);
      },
      wrappers: [
        (next) => (x) => {
          seen.push({ id: x.id, queuedMs: x.queuedMs, active: connection.load.active });
          return next(x);
        },
      ],
    });
    const client = connection.client(harness.token('admin'));
    await client.get('Profit_Persons', { take: 1 });
    await client.get('Profit_Persons', { take: 1 });
    expect(seen).toEqual([
      { id: ids[0], queuedMs: waits[0], active: 1 },
      { id: ids[1], queuedMs: waits[1], active: 1 },
    ]);
    expect(ids[1]).toBeGreaterThan(ids[0] ?? Number.POSITIVE_INFINITY);
    expect(await harness.log.entries()).toHaveLength(2);
  });

  it('runs inside the observer events, the first given outermost', async () => {
    const order: string[] = [];
    const mark =
      (name: string): Wrapper =>
      (next) =>
      async (x) => {
        order.push(`${name} in`);
        const answer = await next(x);
        order.push(`${name} out`);
        return answer;
      };
    const client = harness
      .connect({
        onRequest: () => order.push('onRequest'),
        onResponse: () => order.push('onResponse'),
        wrappers: [mark('metric'), mark('trace')],
      })
      .client(harness.token('admin'));
    await client.profitVersion();
    expect(order).toEqual(['onRequest', 'metric in', 'trace in', 'trace out', 'metric out', 'onResponse']);
    expect(await harness.log.entries()).toHaveLength(1);
  });

  it('never sees a call the open maintenance circuit refuses: it is not sent (1 request)', async () => {
    harness.emulator.faults.maintenance(7200);
    const lines: string[] = [];
    const client = harness
      .connect({ wrappers: [recorder(lines)], retry: { maintenanceProbeSeconds: 60 } })
      .client(harness.token('admin'));
    await expectProfitError(client.get('Profit_Persons', { take: 1 }), 'unavailable');
    const refused = await expectProfitError(client.get('Profit_Persons', { take: 1 }), 'unavailable');
    expect(refused.requestSent).toBe(false);
    expect(lines).toEqual(['GET /connectors/Profit_Persons #1 503']);
    expect(await harness.log.entries()).toHaveLength(1);
  });

  it('logs an exchange without its Authorization header, query string or body: no token, no client secret', async () => {
    const logs: string[] = [];
    const logger: Wrapper = (next) => (x) => {
      logs.push(JSON.stringify(x), inspect(x));
      return next(x);
    };
    const connection = harness.connect({ wrappers: [logger] });
    await connection.client(harness.oauth('admin')).get('Profit_Persons', { take: 1 });
    await connection.client(harness.token('hr')).get('Profit_Persons', { take: 1 });
    expect(logs).toHaveLength(6);
    expect(logs[0]).toContain('/oauth/token');
    expect(logs[2]).toContain('/connectors/Profit_Persons');
    for (const line of logs) {
      expect(line).not.toMatch(/client_secret|Bearer|AfasToken|take=/);
    }
    expect(await harness.log.entries()).toHaveLength(3);
  });

  it('is refused up front when it is not a function', () => {
    expect(() => harness.connect({ wrappers: ['trace' as unknown as Wrapper] })).toThrow(
      expect.objectContaining({ kind: 'invalid-argument' }),
    );
  });
});

describe('the order of the wrappers', () => {
  it('retries outside the slot: a call backing off lets a queued call through first', async () => {
    harness.emulator.faults.once({ kind: 'reset', path: 'Profit_Persons' });
    const client = harness.connect({ maxConcurrent: 1 }).client(harness.token('admin'));
    const persons = client.get('Profit_Persons', { take: 1 });
    const organisations = client.get('Profit_Organisations', { take: 1 });
    await Promise.all([persons, organisations]);
    expect((await harness.log.entries()).map((e) => calls([e])[0])).toEqual([
      'GET /connectors/Profit_Persons',
      'GET /connectors/Profit_Organisations',
      'GET /connectors/Profit_Persons',
    ]);
  });

  it('reports an attempt with onRequest while it holds its slot, and with onResponse once the slot is free', async () => {
    const active: string[] = [];
    const connection = harness.connect({
      onRequest: (e) => active.push(`request ${e.path} ${connection.load.active}`),
      onResponse: (e) => active.push(`response ${e.path} ${connection.load.active}`),
    });
    const client = connection.client(harness.token('admin'));
    await client.get('Profit_Persons', { take: 1 });
    await expectProfitError(client.get('Profit_Nothing', { take: 1 }), 'not-granted');
    expect(active).toEqual([
      'request /connectors/Profit_Persons 1',
      'response /connectors/Profit_Persons 0',
      'request /connectors/Profit_Nothing 1',
      'response /connectors/Profit_Nothing 0',
    ]);
    expect(await harness.log.entries()).toHaveLength(2);
  });

  it('does not repeat a token request that failed after its own retries (3 token requests, no call)', async () => {
    harness.emulator.faults.once({ kind: 'reset', path: 'oauth/token', count: 9 });
    const client = harness.connect().client(harness.oauth('admin'));
    await expectProfitError(client.get('Profit_Persons', { take: 1 }), 'network');
    expect((await harness.log.entries()).map((e) => calls([e])[0])).toEqual(Array(3).fill('POST /oauth/token'));
  });
});

describe('compose', () => {
  it('stacks wrappers around one send, the first outermost', async () => {
    const order: string[] = [];
    const tag =
      (name: string): Wrapper =>
      (next) =>
      (x) => {
        order.push(name);
        return next(x);
      };
    const send: Send = async (x: Exchange): Promise<Answer> => ({ status: 200, text: x.request.path });
    const composed = compose([tag('a'), tag('b'), tag('c')], send);
    const answer = await composed(new Exchange({ method: 'GET', path: '/x', idempotent: true }, {}, undefined, false));
    expect(answer.text).toBe('/x');
    expect(order).toEqual(['a', 'b', 'c']);
  });
});
