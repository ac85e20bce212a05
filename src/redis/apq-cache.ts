/**
 * Apollo's automatic persisted queries (APQ) on Redis, so a hash registered on one replica is known on every other:
 * a `KeyValueCache` (@apollo/utils.keyvaluecache) over the service's one ioredis client. Apollo prefixes its keys
 * (`apq:`) and passes `persistedQueries.ttl` as `ttl` (seconds; null: no expiry).
 *
 * While Redis is unavailable documents are kept in this process (bounded, least recently stored go first), as
 * Apollo's default in-memory cache would: at worst a client is told `PERSISTED_QUERY_NOT_FOUND` and sends the query
 * again, which is APQ's own protocol, so no request fails because of Redis.
 */
import type { KeyValueCache, KeyValueCacheSetOptions } from '@apollo/utils.keyvaluecache';
import type { Redis } from 'ioredis';
import { FallbackNotice, type OnSharedModeChange } from './fallback.js';

export interface RedisKeyValueCacheOptions {
  readonly redis: Redis;
  /** @default 'profit-subgraph:' */
  readonly keyPrefix?: string;
  /** Entries kept in this process while Redis is unavailable. @default 1_000 */
  readonly maxLocalEntries?: number;
  /** Reports falling back to the local cache and coming back, once each. */
  readonly onModeChange?: OnSharedModeChange;
}

export class RedisKeyValueCache implements KeyValueCache<string> {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #maxLocal: number;
  readonly #local = new Map<string, { value: string; expiresAt: number }>();
  readonly #notice: FallbackNotice;

  constructor(options: RedisKeyValueCacheOptions) {
    this.#redis = options.redis;
    this.#prefix = options.keyPrefix ?? 'profit-subgraph:';
    this.#maxLocal = options.maxLocalEntries ?? 1_000;
    this.#notice = new FallbackNotice('persisted queries', options.onModeChange);
  }

  async get(key: string): Promise<string | undefined> {
    try {
      const value = await this.#redis.get(this.#prefix + key);
      this.#notice.succeeded();
      return value ?? undefined;
    } catch (error) {
      this.#notice.failed(error);
      const entry = this.#local.get(key);
      return entry !== undefined && Date.now() < entry.expiresAt ? entry.value : undefined;
    }
  }

  async set(key: string, value: string, options?: KeyValueCacheSetOptions): Promise<void> {
    const ttl = options?.ttl;
    try {
      if (typeof ttl === 'number' && ttl > 0)
        await this.#redis.set(this.#prefix + key, value, 'PX', Math.ceil(ttl * 1000));
      else await this.#redis.set(this.#prefix + key, value);
      this.#notice.succeeded();
    } catch (error) {
      this.#notice.failed(error);
      this.#local.delete(key);
      this.#local.set(key, {
        value,
        expiresAt: typeof ttl === 'number' && ttl > 0 ? Date.now() + ttl * 1000 : Infinity,
      });
      while (this.#local.size > this.#maxLocal) this.#local.delete(this.#local.keys().next().value as string);
    }
  }

  async delete(key: string): Promise<boolean> {
    const local = this.#local.delete(key);
    try {
      const n = await this.#redis.del(this.#prefix + key);
      this.#notice.succeeded();
      return n > 0 || local;
    } catch (error) {
      this.#notice.failed(error);
      return local;
    }
  }
}
