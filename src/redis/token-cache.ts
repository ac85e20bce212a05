/**
 * OAuth client-credentials tokens shared by replicas: one token per client and Profit environment for all of them,
 * renewed by one replica at a time (profit-api.md "Authentication": `POST {base}/oauth/token`).
 *
 *   {prefix}oauth:{key}        HASH token, refreshAt, expiresAt; expires with the token
 *   {prefix}oauth:{key}:lock   STRING the refreshing holder's id; SET NX PX `lockMs`
 *
 * `key` is OAuthTokens' sha256 of the Profit environment and the credential's fingerprint (a hash of client id and
 * secret), never of the id alone: a replica configured with a wrong secret must not pick up the token the right one
 * earned. The token itself is stored
 * in Redis (a replica that did not fetch it must send it); its key expires with the token (`expires_in`).
 *
 * While Redis is unavailable each replica keeps and fetches its own tokens (`LocalTokenCache`), as without Redis,
 * starting from the last token it read or stored in Redis.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { type CachedToken, LocalTokenCache, type TokenCache } from '../profit/index.js';
import { FallbackNotice, type OnSharedModeChange } from './fallback.js';

/** Deletes the token only if it is still the one Profit refused: a fresher one another replica stored stays. */
const DELETE_IF_TOKEN = `
if redis.call('HGET', KEYS[1], 'token') == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** Releases the refresh lock only if this holder still has it (it may have expired and been taken since). */
const RELEASE_LOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

export interface RedisTokenCacheOptions {
  readonly redis: Redis;
  /** @default 'profit-subgraph:' */
  readonly keyPrefix?: string;
  /**
   * How long one replica may hold the refresh before another fetches a token itself (a holder that died or hangs).
   * @default 5_000 ms
   */
  readonly lockMs?: number;
  /** How often a replica waiting for another's refresh looks for the new token. @default 50 ms */
  readonly pollMs?: number;
  /** Reports falling back to the local cache and coming back, once each. */
  readonly onModeChange?: OnSharedModeChange;
}

export class RedisTokenCache implements TokenCache {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #lockMs: number;
  readonly #pollMs: number;
  readonly #local = new LocalTokenCache();
  readonly #notice: FallbackNotice;

  constructor(options: RedisTokenCacheOptions) {
    this.#redis = options.redis;
    this.#prefix = options.keyPrefix ?? 'profit-subgraph:';
    this.#lockMs = options.lockMs ?? 5_000; // ms
    this.#pollMs = options.pollMs ?? 50; // ms
    this.#notice = new FallbackNotice('OAuth tokens', options.onModeChange);
  }

  #key(key: string): string {
    return `${this.#prefix}oauth:${key}`;
  }

  async get(key: string): Promise<CachedToken | undefined> {
    try {
      const token = await this.#read(this.#key(key));
      this.#notice.succeeded();
      // Kept here too, so losing Redis does not cost each replica a token request.
      if (token !== undefined) this.#local.set(key, token);
      return token;
    } catch (error) {
      this.#notice.failed(error);
      return this.#local.get(key);
    }
  }

  async refresh(
    key: string,
    fetch: () => Promise<CachedToken>,
    current: CachedToken | undefined,
  ): Promise<CachedToken> {
    const redisKey = this.#key(key);
    const lock = `${redisKey}:lock`;
    const holder = randomUUID();
    const deadline = Date.now() + this.#lockMs;
    try {
      for (;;) {
        if ((await this.#redis.set(lock, holder, 'PX', this.#lockMs, 'NX')) === 'OK') {
          return await this.#fetchHolding(key, redisKey, lock, holder, fetch);
        }
        // Another replica is renewing: its token, or the current one while Profit still accepts it.
        if (current !== undefined && Date.now() < current.expiresAt) return current;
        await delay(this.#pollMs);
        const stored = await this.#read(redisKey);
        if (stored !== undefined && Date.now() < stored.refreshAt) return stored;
        // The holder has not delivered within the lock's time: fetch without it rather than wait longer.
        if (Date.now() > deadline) return await this.#local.refresh(key, fetch);
      }
    } catch (error) {
      if (error instanceof TokenRequestFailed) throw error.cause;
      // Redis failed (not the token request): this replica fetches for itself.
      this.#notice.failed(error);
      return this.#local.refresh(key, fetch);
    }
  }

  /** Fetches while holding the lock, stores the token for all, releases the lock. A fetch failure is the caller's. */
  async #fetchHolding(
    key: string,
    redisKey: string,
    lock: string,
    holder: string,
    fetch: () => Promise<CachedToken>,
  ): Promise<CachedToken> {
    let token: CachedToken;
    try {
      token = await fetch();
    } catch (error) {
      await this.#redis.eval(RELEASE_LOCK, 1, lock, holder).catch(() => {});
      throw new TokenRequestFailed(error);
    }
    this.#local.set(key, token);
    const ttl = Math.max(1, token.expiresAt - Date.now());
    await this.#redis
      .multi()
      .hset(redisKey, { token: token.token, refreshAt: token.refreshAt, expiresAt: token.expiresAt })
      .pexpire(redisKey, ttl)
      .eval(RELEASE_LOCK, 1, lock, holder)
      .exec()
      .then(
        () => this.#notice.succeeded(),
        (error: unknown) => this.#notice.failed(error),
      );
    return token;
  }

  async invalidate(key: string, token: string): Promise<void> {
    await this.#local.invalidate(key, token);
    try {
      await this.#redis.eval(DELETE_IF_TOKEN, 1, this.#key(key), token);
      this.#notice.succeeded();
    } catch (error) {
      this.#notice.failed(error);
    }
  }

  /** Forgets this process's fallback tokens; the shared ones stay for the other replicas. */
  clear(): void {
    this.#local.clear();
  }

  async #read(redisKey: string): Promise<CachedToken | undefined> {
    const h = await this.#redis.hgetall(redisKey);
    const token = h.token;
    const refreshAt = Number(h.refreshAt);
    const expiresAt = Number(h.expiresAt);
    if (token === undefined || !Number.isFinite(refreshAt) || !Number.isFinite(expiresAt)) return undefined;
    return Date.now() < expiresAt ? { token, refreshAt, expiresAt } : undefined;
  }
}

/** Carries the token request's own failure past the Redis fallback (it is not a Redis failure). */
class TokenRequestFailed {
  constructor(readonly cause: unknown) {}
}
