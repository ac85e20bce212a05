/**
 * How the shared caches (tokens, grants, persisted queries) report Redis trouble: once when a command fails and they
 * fall back to this process's own cache, once when Redis answers again. A request never fails because of Redis.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

export type SharedMode = 'shared' | 'local';

/** Called on every change between Redis and the local fallback; `what` names the cache. */
export type OnSharedModeChange = (mode: SharedMode, what: string, reason: string) => void;

export class FallbackNotice {
  #local = false;

  constructor(
    readonly what: string,
    readonly onModeChange: OnSharedModeChange | undefined,
  ) {}

  get local(): boolean {
    return this.#local;
  }

  /** A Redis command failed: the caller uses its local cache instead. */
  failed(error: unknown): void {
    if (this.#local) return;
    this.#local = true;
    this.onModeChange?.('local', this.what, error instanceof Error ? error.message : String(error));
  }

  /** A Redis command answered. */
  succeeded(): void {
    if (!this.#local) return;
    this.#local = false;
    this.onModeChange?.('shared', this.what, 'Redis answers again');
  }
}

/**
 * The hashed part of a key: a Profit environment (`scope`, its base URL) and a credential fingerprint. The fingerprint
 * is already a hash; hashing it with the scope keeps two environments' entries apart and keys of one length.
 */
export function hashedKey(scope: string, key: string): string {
  return createHash('sha256').update(`${scope}\0${key}`).digest('hex');
}

/**
 * Resolves when the client is connected, or after `ms` (Redis down at start: the caches begin local). Without this
 * wait a service's first requests would run before the connection is up and report Redis as unavailable.
 */
export function untilReady(redis: Redis, ms: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off('ready', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    redis.once('ready', done);
  });
}
