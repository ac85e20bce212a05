/**
 * Tenants across replicas: with REDIS_URL, each tenant's PROFIT_MAX_CONCURRENT is one budget for all replicas,
 * named after its own environment (src/server/profit-caps.ts), so a tenant whose Profit is slow holds its own
 * calls, never another tenant's.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentials, type Emulator, startEmulator } from '../../src/emulator/index.js';
import { createRedisClient } from '../../src/redis/client.js';
import { limiterKeys } from '../../src/redis/limiter-scripts.js';
import type { Service } from '../../src/server/index.js';
import { budgetName } from '../../src/server/profit-caps.js';
import { REDIS_SERVER, type RedisServer, startRedisServer } from '../redis/redis-server.js';
import { graphql, startTestService } from './helpers.js';

const HEADER = 'x-profit-environment';

/** Resolves once `check` holds, polling (the calls it waits for are in flight on another server). */
async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await check())) await delay(10);
}

describe.skipIf(!REDIS_SERVER)('tenants on two replicas sharing Redis', () => {
  let server: RedisServer;
  let redis: Redis;
  let acme: Emulator;
  let globex: Emulator;
  let replicas: Service[];
  let admin: string;

  beforeAll(async () => {
    server = await startRedisServer();
    redis = createRedisClient(server.url);
    [acme, globex] = await Promise.all([startEmulator({}), startEmulator({})]);
    admin = credentials(acme.company)
      .flatMap((app) => app.users)
      .find((u) => u.name === 'admin')?.authorization as string;
    const env = {
      REDIS_URL: server.url,
      PROFIT_TENANTS: JSON.stringify([
        { name: 'acme', PROFIT_BASE_URL: acme.baseUrl, PROFIT_MAX_CONCURRENT: 2 },
        { name: 'globex', PROFIT_BASE_URL: globex.baseUrl, PROFIT_MAX_CONCURRENT: 2 },
      ]),
    };
    replicas = await Promise.all([startTestService(env), startTestService(env)]);
  });
  afterAll(async () => {
    await Promise.all((replicas ?? []).map((r) => r.close()));
    await Promise.all([acme?.close(), globex?.close()]);
    redis?.disconnect();
    await server?.kill();
  });

  const employees = (replica: Service, tenant: string, first: number) =>
    graphql(replica, `{ employees(first: ${first}) { edges { node { employeeId } } } }`, {
      authorization: admin,
      headers: { [HEADER]: tenant },
    });

  it("holds acme to 2 calls over both replicas while its Profit stalls, and serves globex from globex's own budget", async () => {
    const [one, two] = replicas as [Service, Service];
    // The grants first, on both replicas: the calls below are then only pages.
    await Promise.all([one, two].flatMap((r) => [employees(r, 'acme', 1), employees(r, 'globex', 1)]));
    acme.log.clear();
    globex.log.clear();
    acme.faults.once({ kind: 'stall', path: 'Profit_Employees', count: 2, afterBytes: 10 });
    const [holders, queue] = limiterKeys('profit-subgraph:limiter:', budgetName(acme.baseUrl, 'shared')) as [
      string,
      string,
    ];

    const stalled = [employees(one, 'acme', 11), employees(two, 'acme', 12), employees(one, 'acme', 13)];
    const queued = employees(two, 'acme', 14);
    await until(() => acme.faults.stalled === 2);
    await until(async () => (await redis.zcard(queue)) === 2);
    expect(await redis.zcard(holders)).toBe(2);
    expect(acme.log.entries()).toHaveLength(2);

    // acme's slots are all taken, across both replicas; globex's budget is its own.
    const other = await employees(two, 'globex', 15);
    expect(other.json.errors).toBeUndefined();
    expect(globex.log.entries()).toHaveLength(1);

    acme.faults.release();
    const replies = await Promise.all([...stalled, queued]);
    expect(replies.every((r) => r.json.errors === undefined)).toBe(true);
    expect(acme.log.entries()).toHaveLength(4);
    expect(Math.max(...acme.log.entries().map((e) => e.inFlight))).toBe(2);
    expect(globex.log.entries()).toHaveLength(1);
  });
});
