/**
 * The response cache shared through Redis: two service replicas, one emulator as their Profit, a real redis-server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentials, type Emulator, startEmulator } from '../../src/emulator/index.js';
import type { Service } from '../../src/server/index.js';
import { graphql, startTestService } from '../server/helpers.js';
import { REDIS_SERVER, type RedisServer, startRedisServer } from './redis-server.js';

const EMPLOYEES = '{ employees(first: 3) { edges { node { employeeId name } } } }';
const UPDATE_EMPLOYEE = 'mutation ($input: UpdateEmployeeInput!) { updateEmployee(input: $input) { employeeId } }';

describe.skipIf(!REDIS_SERVER)('with REDIS_URL, two replicas', () => {
  let redis: RedisServer;
  let emulator: Emulator;
  let a: Service;
  let b: Service;
  let admin: string;

  /** Profit calls made while `run` ran, as `METHOD path`. */
  async function profitCalls(run: () => Promise<unknown>): Promise<string[]> {
    const before = emulator.log.entries().at(-1)?.seq ?? 0;
    await run();
    return emulator.log
      .entries()
      .filter((e) => e.seq > before)
      .map((e) => `${e.method} ${e.path}`);
  }

  beforeAll(async () => {
    redis = await startRedisServer();
    emulator = await startEmulator({});
    const env = { PROFIT_BASE_URL: emulator.baseUrl, REDIS_URL: redis.url, RESPONSE_CACHE_TTL_SECONDS: '60' };
    [a, b] = await Promise.all([startTestService(env), startTestService(env)]);
    admin = credentials(emulator.company)
      .flatMap((app) => app.users)
      .find((u) => u.name === 'admin')!.authorization;
    // Each replica reads the caller's grant once (its own grant cache), so the counts below are rows only.
    await Promise.all([a, b].map((s) => graphql(s, '{ me { appName } }', { authorization: admin })));
    await Promise.all([a, b].map((s) => untilCaching(s)));
  });

  /** Until the replica's Redis connection is up: its second identical query reaches no Profit. */
  async function untilCaching(service: Service): Promise<void> {
    const probe = `{ organisations(first: 1) { edges { node { organisationId } } } }`;
    for (let i = 0; i < 50; i++) {
      await graphql(service, probe, { authorization: admin });
      if ((await profitCalls(() => graphql(service, probe, { authorization: admin }))).length === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('the replica never cached through Redis');
  }
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await emulator?.close();
    await redis?.kill();
  });

  it("serves one replica's answer to the same caller on the other, with no Profit call", async () => {
    const query = '{ employees(first: 2) { edges { node { employeeId } } } }';
    const first = await graphql(a, query, { authorization: admin });
    let second: Awaited<ReturnType<typeof graphql>> | undefined;
    expect(
      await profitCalls(async () => {
        second = await graphql(b, query, { authorization: admin });
      }),
    ).toEqual([]);
    expect(second?.json).toEqual(first.json);
  });

  it('calls Profit again on the other replica after a mutation of an Employee on one', async () => {
    const page = await graphql(b, EMPLOYEES, { authorization: admin });
    expect(await profitCalls(() => graphql(b, EMPLOYEES, { authorization: admin }))).toEqual([]);
    const employeeId = page.json.data.employees.edges[0].node.employeeId;
    const written = await graphql(a, UPDATE_EMPLOYEE, {
      authorization: admin,
      variables: { input: { employeeId, blocked: false } },
    });
    expect(written.json.errors).toBeUndefined();
    expect(await profitCalls(() => graphql(b, EMPLOYEES, { authorization: admin }))).toEqual([
      'GET /ProfitRestServices/connectors/Profit_Employees',
    ]);
    expect(await profitCalls(() => graphql(a, EMPLOYEES, { authorization: admin }))).toEqual([]);
  });

  it('keeps no credential in Redis: keys are hashes and entity generations', async () => {
    const { createRedisClient } = await import('../../src/redis/client.js');
    const client = createRedisClient(redis.url);
    try {
      await new Promise<void>((resolve) => client.once('ready', () => resolve()));
      const token = admin.replace(/^AfasToken /, '');
      // Every key the replicas wrote (the cache's, the shared budget's, the grants'…) holds no credential.
      for (const key of await client.keys('*')) expect(key).not.toContain(token);
      const keys = await client.keys('profit-subgraph:response-cache:*');
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) {
        expect(key).toMatch(/^profit-subgraph:response-cache:(answer:fqc:[0-9a-f]{64}|generation:\w+)$/);
      }
      for (const key of keys.filter((k) => k.includes(':answer:'))) {
        expect(await client.get(key)).not.toContain(token);
      }
    } finally {
      client.disconnect();
    }
  });

  it('answers every query from Profit while Redis is down, caching nothing', async () => {
    await redis.kill();
    const query = '{ employees(first: 5) { edges { node { employeeId } } } }';
    for (let i = 0; i < 2; i++) {
      let reply: Awaited<ReturnType<typeof graphql>> | undefined;
      expect(
        await profitCalls(async () => {
          reply = await graphql(a, query, { authorization: admin });
        }),
      ).toEqual(['GET /ProfitRestServices/connectors/Profit_Employees']);
      expect(reply?.json.data.employees.edges).toHaveLength(5);
    }
  });
});
