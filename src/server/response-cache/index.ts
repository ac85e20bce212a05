/**
 * The optional response cache (`RESPONSE_CACHE_TTL_SECONDS`, off at 0): a query's answer kept per caller for a
 * short time, through `@apollo/server-plugin-response-cache`. In Redis when `REDIS_URL` is set (shared by the
 * replicas), else in a bounded map in memory; the same rules either way:
 *
 * - queries only; the plugin never caches a mutation, nor an answer with errors;
 * - keyed by the caller: the credential's fingerprint (the grant cache's, never the credential) and a JWT's scopes,
 *   since every answer depends on the caller's grant (scope PRIVATE); a request without a credential is not cached;
 * - for the smallest `maxAge` among the entities it reads (policy.ts), at most the TTL;
 * - a write of an entity (any UpdateConnector call, on any replica) bumps its generation, which is part of the key
 *   of every answer that read it (store.ts).
 *
 * The answer's own HTTP header stays `no-store`: only this server can drop an entry when a write happens.
 */
import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import ApolloServerPluginResponseCache from '@apollo/server-plugin-response-cache';
import type { GraphQLSchema } from 'graphql';
import type { Redis } from 'ioredis';
import type { WriteListener } from '../../graphql/context.js';
import type { Logger } from '../log.js';
import { type CachedEntity, type CachePlan, CachePolicy } from './policy.js';
import { MemoryResponseStore, RedisResponseStore, type ResponseStore } from './store.js';

export type { CachedEntity, CachePlan } from './policy.js';
export { CachePolicy } from './policy.js';
export { MemoryResponseStore, RedisResponseStore, type ResponseStore } from './store.js';

export interface ResponseCacheOptions {
  /** The longest an answer is kept (`RESPONSE_CACHE_TTL_SECONDS`), > 0. */
  readonly ttlSeconds: number;
  /** Without Redis: the in-memory bound (`RESPONSE_CACHE_MAX_BYTES`). */
  readonly maxBytes: number;
  /** Shared by the replicas when set. @default none: one process, in memory */
  readonly redis?: Redis;
  /** The model's entities and their hints. */
  readonly entities: readonly CachedEntity[];
  /** Each lookup of a cacheable query: `hit` (served from the cache, no Profit call) or `miss`. */
  readonly onLookup?: (result: 'hit' | 'miss') => void;
  readonly logger: Logger;
}

/** Who a request runs as, for its key. */
export interface CacheCaller {
  /** The credential's fingerprint (ProfitClient `fingerprint`). */
  readonly fingerprint: string;
  /** A verified JWT's scopes, which narrow the grant. */
  readonly scopes?: readonly string[];
  /** The tenant (several environments): the same credential may see other data in another environment. */
  readonly tenant?: string;
}

export interface ResponseCache {
  /** For Apollo Server's `plugins`, after authentication. */
  readonly plugins: readonly ApolloServerPlugin<object>[];
  /** Names the caller of a request context; a context never named is not cached. */
  identify(context: object, caller: CacheCaller): void;
  /** For the request context (`onWrite`): drops what read the written entities; never fails the write. */
  readonly onWrite: WriteListener;
}

/** One request's part in the cache: its caller's session and, when cacheable, its plan. */
interface CacheRequest {
  readonly session: string;
  plan?: CachePlan;
}

export function createResponseCache(options: ResponseCacheOptions): ResponseCache {
  if (!(options.ttlSeconds > 0)) throw new Error('createResponseCache: ttlSeconds must be > 0');
  const store: ResponseStore = options.redis
    ? new RedisResponseStore(options.redis)
    : new MemoryResponseStore({ maxBytes: options.maxBytes });
  // On the context itself: Apollo runs each operation with a shallow copy of it, which keeps symbol properties.
  const CALLER = Symbol('response-cache caller');
  const policies = new WeakMap<GraphQLSchema, CachePolicy>();
  const policyFor = (schema: GraphQLSchema) => {
    let policy = policies.get(schema);
    if (policy === undefined) {
      policy = new CachePolicy(schema, options.entities, options.ttlSeconds);
      policies.set(schema, policy);
    }
    return policy;
  };
  const requestOf = (rc: GraphQLRequestContext<object>) => (rc.contextValue as { [CALLER]?: CacheRequest })[CALLER];

  const responseCache = ApolloServerPluginResponseCache<object>({
    cache: store.answers,
    sessionId: async (rc) => requestOf(rc)?.session ?? null,
    // Runs once per query before the lookup: the plan, and the generations of the entities it reads.
    extraCacheKeyData: async (rc) => {
      const request = requestOf(rc);
      if (request === undefined || rc.document === undefined) return null;
      const plan = policyFor(rc.schema).plan(rc.schema, rc.document);
      if (plan === undefined) return null;
      const generations = await store.generations(plan.entities);
      if (generations === undefined) return null;
      request.plan = plan;
      // What the plugin stores with the answer and checks before it writes (scope PRIVATE: per session only).
      rc.overallCachePolicy.replace({ maxAge: plan.maxAge, scope: 'PRIVATE' });
      return plan.entities.map((entity, i) => `${entity}:${generations[i]}`);
    },
    shouldReadFromCache: async (rc) => requestOf(rc)?.plan !== undefined,
    shouldWriteToCache: async (rc) => requestOf(rc)?.plan !== undefined,
  });

  const countLookups: ApolloServerPlugin<object> = {
    async requestDidStart() {
      return {
        async willSendResponse(rc) {
          if (requestOf(rc)?.plan === undefined) return;
          options.onLookup?.(rc.metrics.responseCacheHit ? 'hit' : 'miss');
        },
      };
    },
  };

  return {
    plugins: [responseCache, countLookups],
    identify(context, caller) {
      const scopes = caller.scopes === undefined ? null : [...caller.scopes].sort();
      // Hashed with the rest of the key by the plugin (SHA-256): no fingerprint appears in a Redis key.
      const session = [caller.fingerprint, scopes, ...(caller.tenant !== undefined ? [caller.tenant] : [])];
      const request: CacheRequest = { session: JSON.stringify(session) };
      Object.assign(context, { [CALLER]: request });
    },
    async onWrite(entities) {
      try {
        await store.bump(entities);
      } catch (error) {
        // The write is done; what read the entities may be served until its TTL.
        options.logger.warn(
          `response cache: could not drop the answers that read ${entities.join(', ')} (${error instanceof Error ? error.message : String(error)}); other replicas may serve them until their TTL`,
        );
      }
    },
  };
}
