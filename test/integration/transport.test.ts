/**
 * How the client treats the transport, observed from the emulator's request log: GETs retried after a 503, a
 * timeout or a reset; writes never retried (a write that timed out may have run); the cap on parallel calls.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ProfitClient } from '../../src/profit/index.js';
import { calls, expectProfitError, type Harness, startHarness } from './support.js';

let harness: Harness;
let admin: ProfitClient;

beforeAll(async () => {
  harness = await startHarness();
  admin = harness.connect().client(harness.token('admin'));
});
afterAll(() => harness?.close());
beforeEach(() => harness.reset());

async function logged(): Promise<string[]> {
  return (await harness.log.entries()).map((e) => `${calls([e])[0]} ${e.status}`);
}

describe('GET retries', () => {
  it('retries a GET after a 503, waiting the retry_after Profit asks for, then succeeds: 2 requests', async () => {
    harness.emulator.faults.set({ retryAfter: 1 });
    harness.emulator.faults.once({ kind: '503', path: 'Profit_Persons' });
    const started = performance.now();
    const { rows } = await admin.get('Profit_Persons', { take: 5 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(990);
    expect(rows).toHaveLength(5);
    expect(await logged()).toEqual(['GET /connectors/Profit_Persons 503', 'GET /connectors/Profit_Persons 200']);
  });

  it('gives up after 3 attempts that all get a 503, reporting unavailable: 3 requests', async () => {
    harness.emulator.faults.set({ retryAfter: 0 });
    harness.emulator.faults.once({ kind: '503', path: 'Profit_Persons', count: 3 });
    const error = await expectProfitError(admin.get('Profit_Persons'), 'unavailable');
    expect(error.retryAfterSeconds).toBe(0);
    expect(await logged()).toEqual(Array(3).fill('GET /connectors/Profit_Persons 503'));
  });

  it('retries a GET after a timeout and then a reset, and succeeds on the third attempt: 3 requests', async () => {
    harness.emulator.faults.once({ kind: 'timeout', path: 'Profit_Persons' });
    harness.emulator.faults.once({ kind: 'reset', path: 'Profit_Persons' });
    const { rows } = await admin.get('Profit_Persons', { take: 5 }, { timeoutMs: 150 });
    expect(rows).toHaveLength(5);
    expect(await logged()).toEqual([
      'GET /connectors/Profit_Persons timeout',
      'GET /connectors/Profit_Persons reset',
      'GET /connectors/Profit_Persons 200',
    ]);
  });
});

describe('writes are never retried', () => {
  const note = (ds: string) => ({ fields: { StId: 4, Ds: ds } });

  it('does not repeat a POST whose connection was reset: 1 request, and the error says the outcome is unknown', async () => {
    harness.emulator.faults.once({ kind: 'reset', method: 'POST' });
    const error = await expectProfitError(admin.insert('KnSubject', note('Na reset')), 'network');
    expect(error.requestSent).toBe(true);
    expect(error.message).toMatch(/may still have executed it/);
    expect(await logged()).toEqual(['POST /connectors/KnSubject reset']);
  });

  it('does not repeat a POST that timed out, although Profit went on to execute it: 1 request, 1 new item', async () => {
    harness.emulator.faults.once({ kind: 'timeout', method: 'POST' });
    const error = await expectProfitError(
      admin.insert('KnSubject', note('Na time-out, toch verwerkt'), { timeoutMs: 200 }),
      'timeout',
    );
    expect(error.requestSent).toBe(true);
    expect(error.message).toMatch(/may still have executed it/);
    expect(await logged()).toEqual(['POST /connectors/KnSubject timeout']);
    const { rows } = await admin.get('ProfitSubjects', {
      filter: [[{ field: 'Ds', op: 'eq', value: 'Na time-out, toch verwerkt' }]],
    });
    expect(rows).toHaveLength(1);
  });

  it.each([
    ['PUT', () => admin.update('KnSubject', { keys: { SbId: 54286 }, fields: { Ds: 'Gewijzigd' } })],
    ['DELETE', () => admin.delete('KnSubject', { SbId: 54286 })],
  ] as const)('does not repeat a %s after a 503 that a GET would retry: 1 request', async (method, write) => {
    harness.emulator.faults.set({ retryAfter: 0 });
    harness.emulator.faults.once({ kind: '503', method });
    const error = await expectProfitError(write(), 'unavailable');
    expect(error.retryAfterSeconds).toBe(0);
    expect((await harness.log.entries()).map((e) => [e.method, e.status])).toEqual([[method, 503]]);
  });
});

describe('the cap on parallel calls', () => {
  /** The highest number of requests the emulator saw in flight at once, and how often it saw that many. */
  async function parallelism(): Promise<{ max: number; atMax: number; total: number }> {
    const entries = await harness.log.entries();
    const max = Math.max(...entries.map((e) => e.inFlight));
    return { max, atMax: entries.filter((e) => e.inFlight === max).length, total: entries.length };
  }

  it('never has more than maxConcurrent (4) requests in flight, and uses all 4: 20 concurrent GETs', async () => {
    harness.emulator.faults.set({ latency: { fixedMs: 40 } });
    const client = harness.connect({ maxConcurrent: 4 }).client(harness.token('admin'));
    const pages = await Promise.all(
      Array.from({ length: 20 }, (_, i) => client.get('Profit_Persons', { skip: i, take: 1 })),
    );
    expect(pages.every((p) => p.rows.length === 1)).toBe(true);
    const { max, atMax, total } = await parallelism();
    expect(total).toBe(20);
    expect(max).toBe(4);
    expect(atMax).toBeGreaterThan(1);
    expect((await harness.log.entries()).every((e) => e.status === 200)).toBe(true);
  });

  it('holds the cap across every client of one connection (two credentials, 10 calls each)', async () => {
    harness.emulator.faults.set({ latency: { fixedMs: 40 } });
    const connection = harness.connect({ maxConcurrent: 4 });
    const clients = [connection.client(harness.token('admin')), connection.client(harness.token('hr'))];
    await Promise.all(clients.flatMap((c) => Array.from({ length: 10 }, () => c.get('Profit_Persons', { take: 1 }))));
    expect(await parallelism()).toMatchObject({ max: 4, total: 20 });
  });

  it('times out a call still waiting for a slot without ever sending it', async () => {
    harness.emulator.faults.set({ latency: { fixedMs: 300 } });
    const client = harness.connect({ maxConcurrent: 1 }).client(harness.token('admin'));
    const first = client.get('Profit_Persons', { take: 1 });
    const error = await expectProfitError(client.get('Profit_Organisations', {}, { timeoutMs: 100 }), 'timeout');
    expect(error.requestSent).toBe(false);
    expect(error.message).toMatch(/waited 100 ms for one of the 1 parallel slots/);
    await first;
    expect(await logged()).toEqual(['GET /connectors/Profit_Persons 200']);
  });

  it('lets the emulator see more in flight when the cap allows it (maxConcurrent 8), so the measure can tell', async () => {
    harness.emulator.faults.set({ latency: { fixedMs: 40 } });
    const client = harness.connect({ maxConcurrent: 8 }).client(harness.token('admin'));
    await Promise.all(Array.from({ length: 16 }, () => client.get('Profit_Persons', { take: 1 })));
    expect(await parallelism()).toMatchObject({ max: 8, total: 16 });
  });
});
