/**
 * The grant cache shared by replicas (`SharedGrantCache` of src/graphql/auth/permissions.ts): what `/metainfo`,
 * `/metainfo/get/{id}` and `/metainfo/update/{id}` gave a credential, read by one replica and used by all.
 *
 *   {prefix}grant:{sha256(scope, fingerprint)}   HASH part → JSON; expires `PERMISSIONS_TTL_SECONDS` after the grant
 *   {prefix}grant-invalidated:{sha256(scope)}     channel: `{sender} {fingerprint}` when a replica drops a grant
 *
 * Keys and messages carry the credential's fingerprint (a hash), never the credential. An invalidation (Profit
 * contradicted the grant) deletes the hash and is published, so every replica drops its own copy at once.
 *
 * While Redis is unavailable each replica reads metainfo for itself, as without Redis; invalidations published
 * meanwhile are lost, so another replica may trust a grant until its TTL (as it would without Redis).
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { SharedGrantCache } from '../graphql/auth/index.js';
import { FallbackNotice, hashedKey, type OnSharedModeChange } from './fallback.js';

export interface RedisGrantCacheOptions {
  readonly redis: Redis;
  /** The Profit environment (its base URL): part of the hashed key, so environments never share a grant. */
  readonly scope: string;
  /** @default 'profit-subgraph:' */
  readonly keyPrefix?: string;
  /** Reports falling back to the local cache and coming back, once each. */
  readonly onModeChange?: OnSharedModeChange;
}

export class RedisGrantCache implements SharedGrantCache {
  readonly #redis: Redis;
  readonly #scope: string;
  readonly #prefix: string;
  readonly #channel: string;
  /** Tells this process's own messages apart: it has already dropped what it publishes. */
  readonly #id = randomUUID();
  readonly #subscriber: Redis;
  readonly #listeners: ((fingerprint: string) => void)[] = [];
  readonly #notice: FallbackNotice;

  constructor(options: RedisGrantCacheOptions) {
    this.#redis = options.redis;
    this.#scope = options.scope;
    this.#prefix = options.keyPrefix ?? 'profit-subgraph:';
    this.#channel = `${this.#prefix}grant-invalidated:${hashedKey(this.#scope, '')}`;
    this.#notice = new FallbackNotice('grant cache', options.onModeChange);
    // A subscribed connection can run no other command: a second one, which resubscribes after each reconnect.
    this.#subscriber = options.redis.duplicate();
    this.#subscriber.on('error', () => {});
    this.#subscriber.on('ready', () => {
      this.#subscriber.subscribe(this.#channel).catch(() => {});
    });
    this.#subscriber.on('message', (_channel: string, message: string) => {
      const [sender, fingerprint] = message.split(' ');
      if (sender === this.#id || fingerprint === undefined) return;
      for (const listener of this.#listeners) listener(fingerprint);
    });
  }

  #key(fingerprint: string): string {
    return `${this.#prefix}grant:${hashedKey(this.#scope, fingerprint)}`;
  }

  async get(fingerprint: string, part: string): Promise<{ value: unknown; ttlMs: number } | undefined> {
    try {
      const replies = await this.#redis.multi().hget(this.#key(fingerprint), part).pttl(this.#key(fingerprint)).exec();
      this.#notice.succeeded();
      const json = replies?.[0]?.[1];
      const ttlMs = Number(replies?.[1]?.[1]);
      if (typeof json !== 'string' || !(ttlMs > 0)) return undefined;
      return { value: JSON.parse(json), ttlMs };
    } catch (error) {
      this.#notice.failed(error);
      return undefined;
    }
  }

  async set(fingerprint: string, part: string, value: unknown, ttlMs: number): Promise<void> {
    const key = this.#key(fingerprint);
    try {
      // NX: a later part (a connector's fields) does not extend the grant's life.
      await this.#redis
        .multi()
        .hset(key, part, JSON.stringify(value))
        .pexpire(key, Math.max(1, Math.round(ttlMs)), 'NX')
        .exec();
      this.#notice.succeeded();
    } catch (error) {
      this.#notice.failed(error);
    }
  }

  async invalidate(fingerprint: string): Promise<void> {
    try {
      await this.#redis.multi().del(this.#key(fingerprint)).publish(this.#channel, `${this.#id} ${fingerprint}`).exec();
      this.#notice.succeeded();
    } catch (error) {
      this.#notice.failed(error);
    }
  }

  onInvalidate(listener: (fingerprint: string) => void): void {
    this.#listeners.push(listener);
  }

  /** Closes the subscriber; the shared client is its owner's to close. */
  close(): void {
    this.#subscriber.disconnect();
  }
}
