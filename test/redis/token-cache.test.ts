/**
 * RedisTokenCache under trouble: a replica that holds the refresh lock and never delivers, a wrong secret on one
 * replica, and Redis lost and back. Two connections stand for two replicas; the emulator counts token requests.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OAuthClientCredential } from '../../src/profit/index.js';
import { createRedisClient } from '../../src/redis/client.js';
import { type SharedMode, untilReady } from '../../src/redis/fallback.js';
import { RedisTokenCache } from '../../src/redis/token-cache.js';
import { type Harness, startHarness } from '../integration/support.js';
import { REDIS_SERVER, type RedisServer, startRedisServer } from './redis-server.js';

describe.skipIf(!REDIS_SERVER)('OAuth tokens shared through Redis', () => {
  let redisServer: RedisServer;
  let redis: Redis;
  let harness: Harness;

  beforeAll(async () => {
    redisServer = await startRedisServer();
    redis = createRedisClient(redisServer.url);
    await untilReady(redis, 2_000);
    harness = await startHarness();
  });
  afterAll(async () => {
    redis?.disconnect();
    await harness?.close();
    await redisServer?.kill();
  });
  beforeEach(async () => {
    await redis.flushall();
    harness.log.clear();
  });

  /** The Redis key OAuthTokens gives a credential on the emulator. */
  const keyOf = (credential: OAuthClientCredential) =>
    `profit-subgraph:oauth:${createHash('sha256').update(`${harness.emulator.baseUrl}\0${credential.fingerprint}`).digest('hex')}`;

  it('fetches a token itself when the replica holding the refresh lock never delivers one', async () => {
    const credential = harness.oauth('hr');
    await redis.set(`${keyOf(credential)}:lock`, 'a replica that died', 'PX', 60_000);
    const client = harness
      .connect({ tokenCache: new RedisTokenCache({ redis, lockMs: 200, pollMs: 20 }) })
      .client(credential);
    expect((await client.get('Profit_Persons', { take: 1 })).rows).toHaveLength(1);
    expect(harness.emulator.log.tokenIssuances()).toBe(1);
  });

  it('never gives a replica with a wrong secret the token the right secret earned', async () => {
    const cache = new RedisTokenCache({ redis });
    await harness.connect({ tokenCache: cache }).client(harness.oauth('hr')).get('Profit_Persons', { take: 1 });
    const wrong = harness.connect({ tokenCache: cache }).client(harness.oauth('hr', 'not-the-secret'));
    await expect(wrong.get('Profit_Persons', { take: 1 })).rejects.toMatchObject({ kind: 'unauthorized' });
    expect(harness.emulator.log.tokenIssuances()).toBe(1);
  });

  it('keeps the last token while Redis is lost, says so once, and shares again when Redis is back', async () => {
    const own = createRedisClient(redisServer.url);
    await untilReady(own, 2_000);
    const modes: SharedMode[] = [];
    const client = harness
      .connect({ tokenCache: new RedisTokenCache({ redis: own, onModeChange: (mode) => modes.push(mode) }) })
      .client(harness.oauth('portal'));
    try {
      await client.get('Profit_Organisations', { take: 1 });
      await redisServer.kill();
      for (let i = 0; i < 3; i++) expect((await client.get('Profit_Organisations', { take: 1 })).rows).toHaveLength(1);
      expect(harness.emulator.log.tokenIssuances()).toBe(1);
      expect(modes).toEqual(['local']);
      await redisServer.restart();
      await Promise.all([untilReady(own, 5_000), untilReady(redis, 5_000)]);
      // The restarted Redis is empty: one replica stores a token there again.
      await client.get('Profit_Organisations', { take: 1 });
      expect(modes).toEqual(['local', 'shared']);
      expect(harness.emulator.log.tokenIssuances()).toBe(2);
      expect(await redis.exists(keyOf(harness.oauth('portal')))).toBe(1);
    } finally {
      own.disconnect();
    }
  });
});
