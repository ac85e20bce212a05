/**
 * SharedLimiter: the `Limiter` of src/profit/limiter.ts, with its cap held by all processes together through Redis.
 * Same shape (`acquire(signal?) → release`, `active`, `queued`, `max`), so it replaces a `Limiter` one-for-one.
 *
 * - A slot is a lease in Redis that this process renews while it holds it; a process that dies stops renewing, and
 *   its slots are free within `leaseMs`. Its waiters stop renewing too and leave the queue within `waiterTtlMs`.
 * - Waiters queue by ticket in Redis: FIFO across processes, and within a process (one connection sends in order).
 * - A free slot costs one round trip (TAKE). A release publishes on the budget's channel; every process with
 *   waiters then runs one TAKE for all of them. A poll every `pollIntervalMs` catches what no message announces
 *   (a lease that expired) and keeps the waiters' heartbeat.
 * - Redis unavailable (down at start, lost, or too slow) → at once a local `Limiter` with a per-replica share of the
 *   cap, reported through `onModeChange`; back to shared when Redis answers again. Calls never fail for Redis.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { Limiter } from '../profit/limiter.js';
import { HEARTBEAT, LEAVE, limiterKeys, TAKE } from './limiter-scripts.js';

export type LimiterMode = 'shared' | 'local';

export interface SharedLimiterOptions {
  /** A client from `createRedisClient` (no offline queue: a command fails at once while Redis is down). */
  redis: Redis;
  /**
   * The budget's name, e.g. the Profit environment `12345-production`. It becomes part of Redis key names, so it
   * must never hold a credential. Letters, digits and `._:-` only.
   */
  name: string;
  /** The cap for all processes together. */
  max: number;
  /** A holder that stops renewing loses its slot after this. Renewed every `leaseMs / 3`. @default 5_000 ms */
  leaseMs?: number;
  /** How often waiters ask again without a release message. @default 100 ms */
  pollIntervalMs?: number;
  /** A waiter not heard of for this long leaves the queue. @default 10 × pollIntervalMs */
  waiterTtlMs?: number;
  /**
   * The local cap while Redis is unavailable. By default `max` divided by the number of processes seen sharing the
   * budget at the last heartbeat (at least 1), so the replicas together stay near `max`; `max` when none was seen.
   * @default ⌊max / live processes⌋
   */
  fallbackMax?: number;
  /** @default 'profit-subgraph:limiter:' */
  keyPrefix?: string;
  /** Called on every change of mode, and once at start when Redis cannot be reached. */
  onModeChange?: (mode: LimiterMode, reason: string) => void;
  /** Called when a lease expired while held (the process stalled longer than `leaseMs`). */
  onLeaseLost?: (count: number) => void;
}

interface Waiter {
  readonly id: string;
  readonly signal: AbortSignal | undefined;
  readonly resolve: (release: () => void) => void;
  readonly reject: (e: unknown) => void;
  readonly onAbort: () => void;
}

type Script = (keys: readonly string[], args: readonly (string | number)[]) => Promise<unknown>;

const NAME = /^[A-Za-z0-9._:-]{1,100}$/;

export class SharedLimiter {
  readonly max: number;
  readonly #redis: Redis;
  readonly #subscriber: Redis;
  readonly #keys: string[];
  readonly #leaseMs: number;
  readonly #pollIntervalMs: number;
  readonly #waiterTtlMs: number;
  readonly #fallbackMax: number | undefined;
  readonly #processId = randomUUID();
  readonly #onModeChange: (mode: LimiterMode, reason: string) => void;
  readonly #onLeaseLost: (count: number) => void;
  readonly #take: Script;
  readonly #leave: Script;
  readonly #heartbeat: Script;
  readonly #timers: NodeJS.Timeout[] = [];
  readonly #waiters: Waiter[] = [];
  readonly #held = new Set<string>();
  #mode: LimiterMode = 'local';
  #announced = false;
  #local: Limiter;
  #liveProcesses = 1;
  #active = 0;
  #seq = 0;
  #pumping = false;
  #pumpAgain = false;
  #beating = false;
  #closed = false;

  constructor(options: SharedLimiterOptions) {
    const { redis, name, max } = options;
    if (!Number.isSafeInteger(max) || max < 1) throw new RangeError(`max must be a positive integer, got ${max}`);
    if (!NAME.test(name)) throw new RangeError(`name must match ${NAME}, got '${name}'`);
    this.max = max;
    this.#leaseMs = positive('leaseMs', options.leaseMs ?? 5_000); // ms
    this.#pollIntervalMs = positive('pollIntervalMs', options.pollIntervalMs ?? 100); // ms
    this.#waiterTtlMs = positive('waiterTtlMs', options.waiterTtlMs ?? 10 * this.#pollIntervalMs); // ms
    if (options.fallbackMax !== undefined) positive('fallbackMax', options.fallbackMax);
    this.#fallbackMax = options.fallbackMax;
    this.#onModeChange = options.onModeChange ?? (() => {});
    this.#onLeaseLost = options.onLeaseLost ?? (() => {});
    this.#redis = redis;
    this.#keys = limiterKeys(options.keyPrefix ?? 'profit-subgraph:limiter:', name);
    this.#local = new Limiter(this.#shareOfMax());
    this.#take = script(redis, 'profitLimiterTake', TAKE);
    this.#leave = script(redis, 'profitLimiterLeave', LEAVE);
    this.#heartbeat = script(redis, 'profitLimiterHeartbeat', HEARTBEAT);

    redis.on('ready', this.#onReady);
    redis.on('close', this.#onClose);
    redis.on('error', this.#onError);
    this.#subscriber = redis.duplicate();
    this.#subscriber.on('error', () => {});
    this.#subscriber.on('ready', () => {
      this.#subscriber.subscribe(this.#channel).catch(() => {});
    });
    this.#subscriber.on('message', () => this.#pump());

    // The heartbeat also probes Redis while local: a command timeout leaves the connection open, so no 'ready'
    // would announce that Redis answers again.
    this.#timers.push(setInterval(() => this.#beat(), Math.max(1, Math.floor(this.#leaseMs / 3))));
    this.#timers.push(setInterval(() => this.#waiters.length > 0 && this.#pump(), this.#pollIntervalMs));
    for (const t of this.#timers) t.unref();
    if (redis.status === 'ready') this.#beat();
  }

  /** `shared` while Redis holds the cap, `local` while this process falls back to its own share. */
  get mode(): LimiterMode {
    return this.#mode;
  }

  /** Slots this process holds now. */
  get active(): number {
    return this.#active;
  }

  /** The cap this process would fall back to now (its share of `max`, or `fallbackMax`). */
  get localMax(): number {
    return this.#shareOfMax();
  }

  /** Callers of this process waiting for a slot. */
  get queued(): number {
    return this.#waiters.length + this.#local.queued;
  }

  /**
   * Resolves with a release function once a slot is free. Rejects with `signal.reason` if the signal fires first;
   * such a waiter never holds a slot. The release function is idempotent.
   */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#closed) return Promise.reject(new Error('SharedLimiter is closed'));
    if (this.#mode === 'local') return this.#acquireLocal(signal);
    return new Promise((resolve, reject) => {
      const id = `${this.#processId}:${++this.#seq}`;
      const waiter: Waiter = {
        id,
        signal,
        resolve,
        reject,
        onAbort: () => {
          if (!this.#removeWaiter(waiter)) return;
          reject(signal?.reason);
          this.#send(this.#leave, [id]);
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.#waiters.push(waiter);
      // The first attempt is its own TAKE (one round trip for a free slot); later ones ride on #pump.
      this.#take(this.#keys, [this.max, this.#leaseMs, this.#waiterTtlMs, id]).then(
        (granted) => this.#grant(granted),
        (e: unknown) => this.#fail(e),
      );
    });
  }

  /**
   * Stops the timers and the subscriber, and detaches from the client (which the caller owns and closes). Waiters
   * still queued fall back to the local cap; slots held stay held until released or their lease ends.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const t of this.#timers) clearInterval(t);
    this.#redis.off('ready', this.#onReady);
    this.#redis.off('close', this.#onClose);
    this.#redis.off('error', this.#onError);
    this.#subscriber.disconnect();
    this.#toLocal('closed', false);
  }

  get #channel(): string {
    return this.#keys[5] as string;
  }

  #acquireLocal(signal: AbortSignal | undefined): Promise<() => void> {
    const local = this.#local;
    return local.acquire(signal).then((release) => {
      this.#active++;
      return once(() => {
        this.#active--;
        release();
      });
    });
  }

  #removeWaiter(waiter: Waiter): boolean {
    const i = this.#waiters.indexOf(waiter);
    if (i < 0) return false;
    this.#waiters.splice(i, 1);
    waiter.signal?.removeEventListener('abort', waiter.onAbort);
    return true;
  }

  #grant(reply: unknown): void {
    for (const id of reply as string[]) {
      if (this.#held.has(id)) continue; // granted before, by an earlier TAKE of the same id
      const waiter = this.#waiters.find((w) => w.id === id);
      if (!waiter) {
        // Aborted, or moved to the local cap, while its TAKE was under way: give the slot straight back.
        this.#send(this.#leave, [id]);
        continue;
      }
      this.#removeWaiter(waiter);
      this.#held.add(id);
      this.#active++;
      waiter.resolve(
        once(() => {
          this.#held.delete(id);
          this.#active--;
          this.#send(this.#leave, [id]);
        }),
      );
    }
  }

  /** One TAKE for all waiters of this process, in their order; runs again if asked while under way. */
  #pump(): void {
    if (this.#mode !== 'shared' || this.#waiters.length === 0) return;
    if (this.#pumping) {
      this.#pumpAgain = true;
      return;
    }
    this.#pumping = true;
    this.#pumpAgain = false;
    const ids = this.#waiters.map((w) => w.id);
    this.#take(this.#keys, [this.max, this.#leaseMs, this.#waiterTtlMs, ...ids])
      .then(
        (granted) => this.#grant(granted),
        (e: unknown) => this.#fail(e),
      )
      .finally(() => {
        this.#pumping = false;
        if (this.#pumpAgain) this.#pump();
      });
  }

  #beat(): void {
    if (this.#beating || this.#closed || this.#redis.status !== 'ready') return;
    this.#beating = true;
    const held = [...this.#held];
    this.#heartbeat(this.#keys, [this.#leaseMs, this.#processId, ...held])
      .then(
        (reply) => {
          const [live, ...lost] = reply as [number, ...string[]];
          this.#liveProcesses = Math.max(1, Number(live));
          if (lost.length > 0) {
            for (const id of lost) this.#held.delete(id);
            this.#onLeaseLost(lost.length);
          }
          this.#toShared();
        },
        (e: unknown) => this.#fail(e),
      )
      .finally(() => {
        this.#beating = false;
      });
  }

  /** Fire and forget: a LEAVE that fails leaves a lease that expires by itself. */
  #send(run: Script, args: (string | number)[]): void {
    run(this.#keys, args).catch((e: unknown) => this.#fail(e));
  }

  #fail(e: unknown): void {
    this.#toLocal(`redis: ${e instanceof Error ? e.message : String(e)}`);
  }

  readonly #onReady = (): void => this.#beat();
  readonly #onClose = (): void => this.#toLocal('redis: connection closed');
  readonly #onError = (e: Error): void => this.#fail(e);

  #toShared(): void {
    if (this.#closed || this.#mode === 'shared') return;
    this.#mode = 'shared';
    this.#announce('redis answers');
  }

  #toLocal(reason: string, announce = true): void {
    if (this.#mode === 'local') {
      if (!this.#announced && announce) this.#announce(reason);
      return;
    }
    this.#mode = 'local';
    // A new local cap only when the share changed: callers still queued on the old one are served as it drains.
    if (this.#local.max !== this.#shareOfMax()) this.#local = new Limiter(this.#shareOfMax());
    // Waiters keep their order: they queue on the local cap now, and their Redis tickets expire (or are removed
    // now, if Redis only was slow).
    const moved = this.#waiters.splice(0);
    for (const w of moved) {
      w.signal?.removeEventListener('abort', w.onAbort);
      this.#leave(this.#keys, [w.id]).catch(() => {});
      this.#acquireLocal(w.signal).then(w.resolve, w.reject);
    }
    if (announce) this.#announce(reason);
  }

  #announce(reason: string): void {
    this.#announced = true;
    this.#onModeChange(this.#mode, reason);
  }

  #shareOfMax(): number {
    return this.#fallbackMax ?? Math.max(1, Math.floor(this.max / this.#liveProcesses));
  }
}

function positive(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1)
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

function once(f: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    f();
  };
}

/** A Lua script sent by EVALSHA (EVAL once per connection when Redis does not know it yet), via ioredis. */
function script(redis: Redis, name: string, lua: string): Script {
  const client = redis as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
  if (typeof client[name] !== 'function') redis.defineCommand(name, { numberOfKeys: 6, lua });
  return (keys, args) => (client[name] as (...a: unknown[]) => Promise<unknown>).call(redis, ...keys, ...args);
}
