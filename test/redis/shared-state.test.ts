/**
 * What replicas share through Redis (issue 14 §2): one OAuth token per client, the grant cache with its
 * invalidation, and Apollo's persisted queries. Two services in this process share one `redis-server` and one
 * emulator; the emulator's log counts what reached Profit.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { credentials, type Emulator, startEmulator } from '../../src/emulator/index.js';
import { PermissionStore } from '../../src/graphql/auth/index.js';
import { authorizationHeader, ProfitConnection } from '../../src/profit/index.js';
import { createRedisClient } from '../../src/redis/client.js';
import { untilReady } from '../../src/redis/fallback.js';
import { RedisGrantCache } from '../../src/redis/grant-cache.js';
import type { Service } from '../../src/server/index.js';
import { adminOAuthSettings, graphql, http, startTestService } from '../server/helpers.js';
import { startLoggedService } from '../server/observability-support.js';
import { REDIS_SERVER, type RedisServer, startRedisServer } from './redis-server.js';

const EMPLOYEES = '{ employees(first: 3) { edges { node { employeeId name } } } }';

describe.skipIf(!REDIS_SERVER)('state shared by replicas through Redis', () => {
  let redisServer: RedisServer;
  let redis: Redis;
  let emulator: Emulator;
  /** How far the emulator's clock runs ahead of the real one (to expire its OAuth tokens). */
  let ahead = 0;
  const running: Service[] = [];

  beforeAll(async () => {
    redisServer = await startRedisServer();
    redis = createRedisClient(redisServer.url);
    await untilReady(redis, 2_000);
    emulator = await startEmulator({ clock: { now: () => Date.now() + ahead } });
  });
  afterAll(async () => {
    redis?.disconnect();
    await emulator?.close();
    await redisServer?.kill();
  });
  beforeEach(async () => {
    await redis.flushall();
    emulator.log.clear();
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.close()));
  });

  /** Two replicas of the service on one Redis and one emulator. */
  async function replicas(env: Record<string, string>): Promise<[Service, Service]> {
    const settings = { PROFIT_BASE_URL: emulator.baseUrl, REDIS_URL: redisServer.url, ...env };
    const both = await Promise.all([startTestService(settings), startTestService(settings)]);
    running.push(...both);
    return both;
  }

  const requests = (suffix: string) => emulator.log.entries().filter((e) => e.path.endsWith(suffix));
  const metainfoCalls = () => emulator.log.entries().filter((e) => e.path.includes('/metainfo'));
  const hr = () =>
    credentials(emulator.company)
      .flatMap((a) => a.users)
      .find((u) => u.name === 'hr')!.authorization;

  describe('OAuth client-credentials tokens', () => {
    it('fetches one token for both replicas: the second finds it in Redis', async () => {
      const [a, b] = await replicas(adminOAuthSettings(emulator));
      expect((await graphql(a, EMPLOYEES)).json.data.employees.edges).toHaveLength(3);
      expect((await graphql(b, EMPLOYEES)).json.data.employees.edges).toHaveLength(3);
      expect(emulator.log.tokenIssuances()).toBe(1);
    });

    it('fetches one token for 10 concurrent first requests spread over both replicas', async () => {
      const [a, b] = await replicas(adminOAuthSettings(emulator));
      const replies = await Promise.all(Array.from({ length: 10 }, (_, i) => graphql(i % 2 ? a : b, EMPLOYEES)));
      expect(replies.map((r) => r.status)).toEqual(Array(10).fill(200));
      expect(emulator.log.tokenIssuances()).toBe(1);
    });

    it('drops a token Profit refuses for both replicas: one 401 and one new token in all', async () => {
      const [a, b] = await replicas(adminOAuthSettings(emulator));
      await graphql(a, EMPLOYEES);
      ahead += 2 * 3600 * 1000; // past the emulator's token lifetime: it answers 401 to the old token
      emulator.log.clear();
      expect((await graphql(a, EMPLOYEES)).status).toBe(200);
      expect((await graphql(b, EMPLOYEES)).status).toBe(200);
      expect(emulator.log.tokenIssuances()).toBe(1);
      expect(emulator.log.entries().filter((e) => e.status === 401)).toHaveLength(1);
    });

    it('keeps the token in Redis under a hash, never the client id or secret, expiring with the token', async () => {
      const settings = adminOAuthSettings(emulator);
      const [a] = await replicas(settings);
      await graphql(a, EMPLOYEES);
      const keys = await redis.keys('*');
      const tokenKeys = keys.filter((k) => k.includes(':oauth:'));
      expect(tokenKeys).toHaveLength(1);
      expect(tokenKeys[0]).toMatch(/^profit-subgraph:oauth:[0-9a-f]{64}$/);
      const dump = JSON.stringify([keys, ...(await Promise.all(keys.map((k) => redis.dump(k))))]);
      expect(dump).not.toContain(settings.PROFIT_OAUTH_CLIENT_ID);
      expect(dump).not.toContain(settings.PROFIT_OAUTH_CLIENT_SECRET);
      const ttl = await redis.pttl(tokenKeys[0]!);
      expect(ttl).toBeGreaterThan(3500 * 1000);
      expect(ttl).toBeLessThanOrEqual(3600 * 1000);
    });
  });

  describe('the grant cache', () => {
    it('reads a credential’s metainfo on one replica only: the second calls no /metainfo', async () => {
      const [a, b] = await replicas({});
      expect((await graphql(a, EMPLOYEES, { authorization: hr() })).json.data.employees.edges).toHaveLength(3);
      const afterFirst = metainfoCalls().length;
      expect(requests('/metainfo')).toHaveLength(1);
      expect((await graphql(b, EMPLOYEES, { authorization: hr() })).json.data.employees.edges).toHaveLength(3);
      expect(metainfoCalls()).toHaveLength(afterFirst);
    });

    it('keys grants by a hash of the fingerprint, never the credential', async () => {
      const [a] = await replicas({});
      await graphql(a, EMPLOYEES, { authorization: hr() });
      const keys = await redis.keys('*grant*');
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) expect(key).toMatch(/^profit-subgraph:grant:[0-9a-f]{64}$/);
      expect(JSON.stringify(keys)).not.toContain(hr().split(' ')[1]);
    });

    it('drops a grant on every replica when Profit contradicts it on one: the next request reads /metainfo once', async () => {
      const [a, b] = await replicas({});
      await graphql(a, EMPLOYEES, { authorization: hr() });
      await graphql(b, EMPLOYEES, { authorization: hr() });
      expect(requests('/metainfo')).toHaveLength(1);
      const listener = createRedisClient(redisServer.url);
      try {
        await untilReady(listener, 2_000);
        const published = new Promise<string>((resolve) => listener.on('pmessage', (_p, _c, m: string) => resolve(m)));
        await listener.psubscribe('profit-subgraph:grant-invalidated:*');
        emulator.faults.once({ kind: '401', path: 'Profit_Employees' });
        expect((await graphql(a, EMPLOYEES, { authorization: hr() })).json.errors).toBeDefined();
        await published; // replica b hears it on its own subscriber at the same moment
        expect((await graphql(b, EMPLOYEES, { authorization: hr() })).json.data.employees.edges).toHaveLength(3);
        expect(requests('/metainfo')).toHaveLength(2);
        expect((await graphql(a, EMPLOYEES, { authorization: hr() })).json.data.employees.edges).toHaveLength(3);
        expect(requests('/metainfo')).toHaveLength(2);
      } finally {
        listener.disconnect();
      }
    });

    it('publishes an invalidation: the other replica reads /metainfo again at its next request', async () => {
      const connection = new ProfitConnection({ baseUrl: emulator.baseUrl });
      const client = connection.client(authorizationHeader(hr()));
      const [redisA, redisB] = [createRedisClient(redisServer.url), createRedisClient(redisServer.url)];
      const [sharedA, sharedB] = [
        new RedisGrantCache({ redis: redisA, scope: emulator.baseUrl }),
        new RedisGrantCache({ redis: redisB, scope: emulator.baseUrl }),
      ];
      const heard = new Promise<string>((resolve) => sharedB.onInvalidate(resolve));
      const [storeA, storeB] = [new PermissionStore({ shared: sharedA }), new PermissionStore({ shared: sharedB })];
      try {
        await Promise.all([untilReady(redisA, 2_000), untilReady(redisB, 2_000)]);
        await storeA.grants(client);
        await storeB.grants(client);
        expect(requests('/metainfo')).toHaveLength(1);
        storeA.invalidate(client.fingerprint);
        expect(await heard).toBe(client.fingerprint);
        await storeB.grants(client);
        expect(requests('/metainfo')).toHaveLength(2);
        expect([storeA.stats.metainfo, storeB.stats.metainfo]).toEqual([1, 1]);
      } finally {
        sharedA.close();
        sharedB.close();
        redisA.disconnect();
        redisB.disconnect();
        await connection.close();
      }
    });
  });

  describe('automatic persisted queries', () => {
    it('knows on one replica a hash registered on the other', async () => {
      const [a, b] = await replicas({});
      const sha256Hash = createHash('sha256').update(EMPLOYEES).digest('hex');
      const extensions = { persistedQuery: { version: 1, sha256Hash } };
      const post = (service: Service, body: object) =>
        http(service.graphqlUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: hr() },
          body: JSON.stringify(body),
        });
      const registered = await post(a, { query: EMPLOYEES, extensions });
      expect(registered.json.data.employees.edges).toHaveLength(3);
      const byHash = await post(b, { extensions });
      expect(byHash.json.errors).toBeUndefined();
      expect(byHash.json.data.employees.edges).toHaveLength(3);
      expect(await redis.exists(`profit-subgraph:apq:${sha256Hash}`)).toBe(1);
    });
  });

  describe('when Redis is unavailable', () => {
    it('serves every request with this process’s own caches, and says so once in the logs', async () => {
      const down = await startRedisServer();
      await down.kill();
      const settings = { ...adminOAuthSettings(emulator), REDIS_URL: down.url };
      const { service, lines } = await startLoggedService(settings);
      running.push(service);
      const sha256Hash = createHash('sha256').update(EMPLOYEES).digest('hex');
      const extensions = { persistedQuery: { version: 1, sha256Hash } };
      const post = (body: object) =>
        http(service.graphqlUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      expect((await post({ query: EMPLOYEES, extensions })).json.data.employees.edges).toHaveLength(3);
      expect((await post({ extensions })).json.data.employees.edges).toHaveLength(3);
      expect((await graphql(service, EMPLOYEES)).json.data.employees.edges).toHaveLength(3);
      expect(emulator.log.tokenIssuances()).toBe(1);
      expect(requests('/metainfo')).toHaveLength(1);
      const warnings = lines.filter((l) => /^Redis unavailable/.test(l.msg ?? ''));
      expect(warnings.map((l) => l.msg.replace(/ \(.*\)/, ''))).toEqual(
        expect.arrayContaining([
          'Redis unavailable: OAuth tokens kept by this process only',
          'Redis unavailable: persisted queries kept by this process only',
        ]),
      );
      expect(new Set(warnings.map((l) => l.msg)).size).toBe(warnings.length);
    });
  });
});
