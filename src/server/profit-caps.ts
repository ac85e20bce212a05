/**
 * With REDIS_URL, the caps of parallel Profit calls are held by all replicas together (issue 14 §1, docs/redis.md):
 * `PROFIT_MAX_CONCURRENT` and `CREDENTIAL_CHECK_CONCURRENCY` then count the calls of every replica to one Profit
 * environment, because Profit's limit is per environment, not per process (get-connector.md: 5 simultaneous calls;
 * troubleshooting.md "Parallel execution": at most 8).
 *
 * The verification cap is shared too, under a budget of its own: kept local, N replicas would add N × its size to
 * what Profit sees, and a flood of made-up credentials spread over the replicas could then take all of Profit's
 * parallel calls. Each cap reports its mode (shared, or this replica's local share while Redis is unavailable) as a
 * log line and the `profit_subgraph_profit_limiter_*` metrics.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { LimiterRequest, SlotLimiter } from '../profit/index.js';
import { SharedLimiter } from '../redis/shared-limiter.js';
import type { Observability } from './observability/index.js';

export interface SharedProfitCaps {
  /** For `ProfitConnectionOptions.limiter`. */
  readonly limiter: (request: LimiterRequest) => SlotLimiter;
  /** Stops the limiters' timers and subscribers; before the Redis client is closed. */
  close(): void;
}

/** How a log line names each cap: by the setting that sizes it. */
const CAP_NAMES = {
  shared: 'Profit call cap (PROFIT_MAX_CONCURRENT)',
  verification: 'Profit verification cap (CREDENTIAL_CHECK_CONCURRENCY)',
} as const;

export function sharedProfitCaps(redis: Redis, { logger, metrics }: Observability): SharedProfitCaps {
  const limiters: SharedLimiter[] = [];
  return {
    limiter({ cap, max, baseUrl }) {
      const name = budgetName(baseUrl, cap);
      const limiter = new SharedLimiter({
        redis,
        name,
        max,
        onModeChange(mode, reason) {
          if (reason === 'closed') return;
          metrics.limiterShared.set({ cap }, mode === 'shared' ? 1 : 0);
          if (mode === 'shared') {
            logger.log(
              'info',
              { cap, budget: name, max, reason },
              `${CAP_NAMES[cap]}: shared by all replicas through Redis`,
            );
          } else {
            metrics.limiterFallbacks.inc({ cap });
            logger.log(
              'warn',
              { cap, budget: name, max, localMax: limiter.localMax, reason },
              `${CAP_NAMES[cap]}: Redis unavailable, falling back to this replica's share of ${limiter.localMax}`,
            );
          }
        },
        onLeaseLost(count) {
          metrics.limiterLeasesLost.inc({ cap }, count);
          logger.log(
            'warn',
            { cap, budget: name, count },
            `${CAP_NAMES[cap]}: ${count} slot lease(s) expired while held (this process stalled); the cap may be exceeded briefly`,
          );
        },
      });
      limiters.push(limiter);
      return limiter;
    },
    close() {
      for (const l of limiters) l.close();
    },
  };
}

/**
 * The budget's name in Redis keys: the environment's host and path (`12345.rest.afas.online/ProfitRestServices`,
 * readable in `redis-cli`), then the cap. A base URL never holds a credential (normalizeBaseUrl refuses one).
 * Characters a key name does not take become `_`; a name too long becomes a hash of the URL.
 */
export function budgetName(baseUrl: string, cap: LimiterRequest['cap']): string {
  const url = new URL(baseUrl);
  const readable = `${url.host}${url.pathname}`.replace(/[^A-Za-z0-9._:-]/g, '_');
  const environment =
    readable.length <= 80 ? readable : createHash('sha256').update(baseUrl).digest('hex').slice(0, 32);
  return `${environment}:${cap}`;
}
