/**
 * The caps of one service's Profit connection held in Redis (src/server/profit-caps.ts), in process: what the
 * budgets are named, that every Profit call takes a slot of the shared budget, and that the service reports the mode.
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisClient } from '../../src/redis/client.js';
import { limiterKeys } from '../../src/redis/limiter-scripts.js';
import { budgetName } from '../../src/server/profit-caps.js';
import { demoAuthorization, graphql, http, startTestService } from '../server/helpers.js';
import { REDIS_SERVER, type RedisServer, startRedisServer } from './redis-server.js';

describe('budgetName', () => {
  it("names a budget after the environment's host and path, then the cap", () => {
    expect(budgetName('https://12345.rest.afas.online/ProfitRestServices', 'shared')).toBe(
      '12345.rest.afas.online_ProfitRestServices:shared',
    );
    expect(budgetName('http://127.0.0.1:8080/ProfitRestServices', 'verification')).toBe(
      '127.0.0.1:8080_ProfitRestServices:verification',
    );
  });

  it('gives two environments two budgets, and an address too long for a key name a hash of it', () => {
    const a = budgetName('https://12345.resttest.afas.online/ProfitRestServices', 'shared');
    const b = budgetName('https://12345.rest.afas.online/ProfitRestServices', 'shared');
    expect(a).not.toBe(b);
    const long = budgetName(`https://proxy.example/${'x'.repeat(200)}`, 'shared');
    expect(long).toMatch(/^[0-9a-f]{32}:shared$/);
    expect(budgetName('http://[::1]:8080/ProfitRestServices', 'shared')).toMatch(/^[A-Za-z0-9._:-]+$/);
  });
});

describe.skipIf(!REDIS_SERVER)('a service with REDIS_URL', () => {
  let server: RedisServer;
  let admin: Redis;

  beforeAll(async () => {
    server = await startRedisServer();
    admin = createRedisClient(server.url);
  });

  afterAll(async () => {
    admin?.disconnect();
    await server?.kill();
  });

  it('takes every Profit call through the budget in Redis, says so in /metrics, and leaves nothing held when closed', async () => {
    const service = await startTestService({ REDIS_URL: server.url });
    const emulator = service.emulator;
    if (!emulator) throw new Error('expected the embedded emulator');
    const holders = limiterKeys('profit-subgraph:limiter:', budgetName(emulator.baseUrl, 'shared'))[0] as string;
    const before = scriptCalls(await admin.info('commandstats'));
    try {
      const metrics = await http(service.metricsUrl);
      expect(metrics.text).toContain('profit_subgraph_profit_limiter_shared{cap="shared"} 1');
      expect(metrics.text).toContain('profit_subgraph_profit_limiter_shared{cap="verification"} 1');

      emulator.log.clear();
      const reply = await graphql(service, '{ employees(first: 2) { edges { node { employeeId } } } }', {
        authorization: demoAuthorization(service),
      });
      expect(reply.json.errors).toBeUndefined();
      const calls = emulator.log.entries().length;
      expect(calls).toBeGreaterThan(0);
      // Each call: one TAKE and one LEAVE (the heartbeats every leaseMs / 3 may add more), by EVALSHA or, the first
      // time a script runs on this server, EVAL.
      const after = scriptCalls(await admin.info('commandstats'));
      expect(after - before).toBeGreaterThanOrEqual(2 * calls);
      expect(await admin.zcard(holders)).toBe(0);
    } finally {
      await service.close();
    }
    expect(await admin.zcard(holders)).toBe(0);
  });
});

/** Scripts run, by EVALSHA or EVAL, from `INFO commandstats`. */
function scriptCalls(stats: string): number {
  const calls = (command: string) => Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(stats)?.[1] ?? 0);
  return calls('evalsha') + calls('eval');
}
