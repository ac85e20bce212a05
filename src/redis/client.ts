/**
 * The Redis connection that replicas share state through (issue 14). One ioredis client per process; a limiter
 * opens its own subscriber with `client.duplicate()` because a subscribed connection can run no other command.
 */
import { Redis, type RedisOptions } from 'ioredis';

export interface RedisClientOptions {
  /**
   * A command without an answer within this time fails, so a caller falls back instead of hanging on a Redis that
   * stopped answering without closing the socket. Redis answers in well under a millisecond on a LAN.
   * @default 1_000 ms
   */
  commandTimeoutMs?: number;
  /** @default 2_000 ms */
  connectTimeoutMs?: number;
  /** Reconnect delays double from 50 ms up to this, for ever. @default 2_000 ms */
  maxReconnectDelayMs?: number;
  /** Shown in `CLIENT LIST`. @default 'profit-subgraph' */
  connectionName?: string;
}

/**
 * An ioredis client from a `redis://` or `rediss://` URL, tuned to fail fast rather than queue: commands issued while
 * the connection is down reject at once (no offline queue, no resend), so a caller can fall back to a local
 * behaviour and return to Redis when the client emits `ready` again. The client reconnects by itself.
 */
export function createRedisClient(url: string, options: RedisClientOptions = {}): Redis {
  const maxDelay = options.maxReconnectDelayMs ?? 2_000; // ms
  const redisOptions: RedisOptions = {
    commandTimeout: options.commandTimeoutMs ?? 1_000, // ms
    connectTimeout: options.connectTimeoutMs ?? 2_000, // ms
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: (times) => Math.min(maxDelay, 50 * 2 ** Math.min(times, 16)),
    connectionName: options.connectionName ?? 'profit-subgraph',
  };
  const client = new Redis(url, redisOptions);
  // ioredis logs unhandled 'error' events to the console; the owner observes status through events instead.
  client.on('error', () => {});
  return client;
}

/** `redis://user:secret@host:6379/0` → `redis://user:***@host:6379/0`: a URL fit for logs. */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable Redis URL)';
  }
}
