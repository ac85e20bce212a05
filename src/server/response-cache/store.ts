/**
 * Where cached answers live, and each entity's write generation. The generation is part of every key of an answer
 * that read the entity; a write bumps it, so those entries are never looked up again and expire by their TTL. No
 * scan, no list of keys per entity, and a write on one replica reaches all of them through one Redis INCR.
 *
 * A query that read the generation before a concurrent write and Profit after it stores its answer under the old
 * generation, where no later request looks: the bump comes after the write call, so nothing stale is served.
 */
import type { Redis } from 'ioredis';

interface KeyValueCacheSetOptions {
  /** Seconds. */
  readonly ttl?: number | null;
}

/**
 * The response-cache plugin's store: `KeyValueCache` of @apollo/utils.keyvaluecache (its dependency, not ours),
 * restated so this file imports nothing the project does not declare.
 */
export interface KeyValueCache<V> {
  get(key: string): Promise<V | undefined>;
  set(key: string, value: V, options?: KeyValueCacheSetOptions): Promise<void>;
  delete(key: string): Promise<boolean>;
}

export interface ResponseStore {
  /** The answers, for `@apollo/server-plugin-response-cache` (TTL in seconds). Failures are misses. */
  readonly answers: KeyValueCache<string>;
  /** Each entity's generation, in order; undefined when unknown (Redis unavailable): then nothing is cached. */
  generations(entities: readonly string[]): Promise<readonly string[] | undefined>;
  /** Makes every answer that read one of the entities unreachable, on every replica that shares the store. */
  bump(entities: readonly string[]): Promise<void>;
}

/** Key names: never a credential (the plugin hashes its whole key: fingerprint, operation, variables). */
const PREFIX = 'profit-subgraph:response-cache:';

/** Redis (REDIS_URL): shared by the replicas. */
export class RedisResponseStore implements ResponseStore {
  readonly answers: KeyValueCache<string>;

  constructor(private readonly redis: Redis) {
    this.answers = {
      get: async (key) => (await redis.get(`${PREFIX}answer:${key}`).catch(() => null)) ?? undefined,
      set: async (key, value, options?: KeyValueCacheSetOptions) => {
        const ttl = options?.ttl;
        if (!ttl || ttl <= 0) return;
        // An answer Redis could not keep is only a miss later.
        await redis.set(`${PREFIX}answer:${key}`, value, 'EX', Math.ceil(ttl)).catch(() => undefined);
      },
      delete: async (key) => (await redis.del(`${PREFIX}answer:${key}`).catch(() => 0)) > 0,
    };
  }

  async generations(entities: readonly string[]): Promise<readonly string[] | undefined> {
    try {
      const values = await this.redis.mget(entities.map((e) => `${PREFIX}generation:${e}`));
      return values.map((v) => v ?? '0');
    } catch {
      // Without the generations a write elsewhere could go unseen: neither read nor store.
      return undefined;
    }
  }

  async bump(entities: readonly string[]): Promise<void> {
    // One round trip; exec() reports a failed command in its results instead of rejecting.
    const results = await entities
      .reduce((pipeline, e) => pipeline.incr(`${PREFIX}generation:${e}`), this.redis.pipeline())
      .exec();
    const failed = results?.find(([error]) => error !== null)?.[0];
    if (failed) throw failed;
  }
}

export interface MemoryStoreOptions {
  /** The answers' total size (UTF-16 length as an estimate of bytes); the least recently used go first. */
  readonly maxBytes: number;
  /** @default Date.now */
  readonly now?: () => number;
}

/** One process: a bounded map, least recently used out first. */
export class MemoryResponseStore implements ResponseStore {
  readonly answers: KeyValueCache<string>;
  readonly #entries = new Map<string, { readonly value: string; readonly expires: number }>();
  readonly #generations = new Map<string, number>();
  #bytes = 0;

  constructor(options: MemoryStoreOptions) {
    const now = options.now ?? Date.now;
    const entries = this.#entries;
    const remove = (key: string) => {
      const entry = entries.get(key);
      if (entry === undefined) return false;
      entries.delete(key);
      this.#bytes -= key.length + entry.value.length;
      return true;
    };
    this.answers = {
      get: async (key) => {
        const entry = entries.get(key);
        if (entry === undefined) return undefined;
        remove(key);
        if (entry.expires <= now()) return undefined;
        // Re-inserted: Map keeps insertion order, so the first key is the least recently used.
        entries.set(key, entry);
        this.#bytes += key.length + entry.value.length;
        return entry.value;
      },
      set: async (key, value, setOptions?: KeyValueCacheSetOptions) => {
        const ttl = setOptions?.ttl;
        remove(key);
        const size = key.length + value.length;
        if (!ttl || ttl <= 0 || size > options.maxBytes) return;
        while (this.#bytes + size > options.maxBytes) {
          const oldest = entries.keys().next().value;
          if (oldest === undefined) break;
          remove(oldest);
        }
        entries.set(key, { value, expires: now() + ttl * 1000 });
        this.#bytes += size;
      },
      delete: async (key) => remove(key),
    };
  }

  async generations(entities: readonly string[]): Promise<readonly string[]> {
    return entities.map((e) => String(this.#generations.get(e) ?? 0));
  }

  async bump(entities: readonly string[]): Promise<void> {
    for (const e of entities) this.#generations.set(e, (this.#generations.get(e) ?? 0) + 1);
  }
}
