/**
 * Fault injection: latency, random failures at configured rates (drawn from a seeded PRNG, so a run can be
 * replayed), maintenance mode, and deterministic one-shot faults for tests. Switchable at runtime, in process
 * (`emulator.faults`) or over HTTP (`/__emulator/faults`).
 */

/**
 * - `500`: Profit's "An unexpected error has occurred." (the request is not processed);
 * - `503`: service unavailable with `retry_after` and a `Retry-After` header (not processed);
 * - `timeout`: the request is processed, but no answer is ever sent: the connection stays open until the client
 *   gives up (or `timeoutCapMs` passes, or the emulator closes). Profit keeps working after a client timeout
 *   (troubleshooting.md), so an UpdateConnector call under this fault does change the data;
 * - `reset`: the socket is destroyed on arrival (not processed);
 * - `malformed`: the request is processed and answered 200 with the body cut short (invalid JSON).
 */
export type FaultKind = '500' | '503' | 'timeout' | 'reset' | 'malformed';
export const FAULT_KINDS: readonly FaultKind[] = ['500', '503', 'timeout', 'reset', 'malformed'];

/**
 * One-shot faults also include `401` and `403`: a bare answer with an empty body, as AFAS's OpenAPI files describe
 * them ("valid token but no access to this endpoint"; an IP restriction), e.g. on one file connector; and `stall`: the request is processed and answered, but only the headers and the first
 * `afterBytes` bytes of the body go out; the rest waits until `release()` (admin `POST /__emulator/faults/release`)
 * or until `timeoutCapMs` passes. It shows whether a client passes on what it has before the answer is complete.
 */
export type OneShotKind = FaultKind | '401' | '403' | 'stall';
const ONE_SHOT_KINDS: readonly OneShotKind[] = [...FAULT_KINDS, '401', '403', 'stall'];

/** How a stalled answer goes on: the rest of its body, or a destroyed connection (an answer broken off). */
export type StallRelease = 'finish' | 'reset';

export interface FaultConfig {
  /** Added to every Profit request: `fixedMs + random·jitterMs`. @default 0, 0 */
  readonly latency?: { readonly fixedMs?: number; readonly jitterMs?: number };
  /** Probability (0–1) per request of each fault kind. @default none */
  readonly rates?: Partial<Record<FaultKind, number>>;
  /** `retry_after` and `Retry-After` (seconds) of injected 503s. @default 30 */
  readonly retryAfter?: number;
  /** While set, every Profit request gets the maintenance 503 with this `retry_after`. @default off */
  readonly maintenance?: { readonly retryAfter: number } | null;
  /** How long a `timeout` fault holds a connection before destroying it. @default 60_000 ms */
  readonly timeoutCapMs?: number;
  /** Seed of the PRNG behind rates and jitter; setting it restarts the sequence. @default 1 */
  readonly seed?: number;
}

export interface OneShotFault {
  readonly kind: OneShotKind;
  /** How many matching requests get the fault. @default 1 */
  readonly count?: number;
  /** Regular expression (case-insensitive) the request method must match. @default any */
  readonly method?: string;
  /** Regular expression (case-insensitive) the path (without query) must match. @default any */
  readonly path?: string;
  /** Extra latency for the matching requests, in ms. @default 0 */
  readonly delayMs?: number;
  /** `stall` only: body bytes sent before the stall. @default half of the body */
  readonly afterBytes?: number;
}

interface PendingFault {
  readonly spec: OneShotFault;
  remaining: number;
  readonly method?: RegExp;
  readonly path?: RegExp;
}

/** mulberry32: a small, seedable PRNG; good enough to spread faults, never used for anything secret. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FaultDecision {
  readonly delayMs: number;
  readonly kind?: OneShotKind;
  /** With kind `stall`: the bytes to send first, if given. */
  readonly afterBytes?: number;
  readonly maintenance?: { readonly retryAfter: number };
  readonly retryAfter: number;
  readonly timeoutCapMs: number;
}

export class FaultController {
  private config: FaultConfig = {};
  private random = mulberry32(1);
  private pending: PendingFault[] = [];
  private readonly parked = new Set<(how: StallRelease) => void>();

  constructor(initial?: FaultConfig) {
    if (initial) this.set(initial);
  }

  /** Replaces the configuration (one-shot faults stay queued). */
  set(config: FaultConfig): void {
    validateConfig(config);
    this.config = { ...config };
    if (config.seed !== undefined) this.random = mulberry32(config.seed);
  }

  /** Merges into the configuration. */
  update(config: FaultConfig): void {
    this.set({ ...this.config, ...config });
  }

  get(): FaultConfig & {
    readonly once: readonly (OneShotFault & { readonly remaining: number })[];
    readonly stalled: number;
  } {
    return {
      ...this.config,
      once: this.pending.map((p) => ({ ...p.spec, remaining: p.remaining })),
      stalled: this.parked.size,
    };
  }

  /** Maintenance on (`retryAfter` seconds) or off (`null`). */
  maintenance(retryAfter: number | null): void {
    this.update({ maintenance: retryAfter === null ? null : { retryAfter } });
  }

  /** Queues a deterministic fault for the next `count` requests matching `method`/`path`. */
  once(fault: OneShotFault): void {
    if (!ONE_SHOT_KINDS.includes(fault.kind))
      throw new Error(`fault kind must be one of ${ONE_SHOT_KINDS.join(', ')}, got '${fault.kind}'`);
    if (fault.afterBytes !== undefined && (!Number.isSafeInteger(fault.afterBytes) || fault.afterBytes < 1))
      throw new Error(`afterBytes must be a positive integer, got ${fault.afterBytes}`);
    const count = fault.count ?? 1;
    if (!Number.isInteger(count) || count < 1) throw new Error(`fault count must be a positive integer, got ${count}`);
    this.pending.push({
      spec: fault,
      remaining: count,
      ...(fault.method ? { method: new RegExp(fault.method, 'i') } : {}),
      ...(fault.path ? { path: new RegExp(fault.path, 'i') } : {}),
    });
  }

  /** Answers stalled by a `stall` fault, waiting for `release`. */
  get stalled(): number {
    return this.parked.size;
  }

  /** Lets every stalled answer go on (`finish`) or breaks it off (`reset`); returns how many there were. */
  release(how: StallRelease = 'finish'): number {
    const all = [...this.parked];
    this.parked.clear();
    for (const resume of all) resume(how);
    return all.length;
  }

  /** @internal Registers a stalled answer; the returned function withdraws it (its connection closed). */
  park(resume: (how: StallRelease) => void): () => void {
    this.parked.add(resume);
    return () => this.parked.delete(resume);
  }

  /** Back to no faults at all (configuration, one-shots and maintenance). */
  clear(): void {
    this.config = {};
    this.pending = [];
    this.random = mulberry32(1);
  }

  /** Decides what happens to one Profit request. One-shot faults win over random ones. */
  decide(method: string, path: string): FaultDecision {
    const c = this.config;
    const jitter = c.latency?.jitterMs ?? 0;
    let delayMs = (c.latency?.fixedMs ?? 0) + (jitter > 0 ? this.random() * jitter : 0);
    let kind: OneShotKind | undefined;
    let afterBytes: number | undefined;
    const shot = this.pending.find(
      (p) => p.remaining > 0 && (!p.method || p.method.test(method)) && (!p.path || p.path.test(path)),
    );
    if (shot) {
      shot.remaining -= 1;
      if (shot.remaining === 0) this.pending = this.pending.filter((p) => p !== shot);
      kind = shot.spec.kind;
      afterBytes = shot.spec.afterBytes;
      delayMs += shot.spec.delayMs ?? 0;
    } else if (c.rates) {
      const r = this.random();
      let acc = 0;
      for (const k of FAULT_KINDS) {
        acc += c.rates[k] ?? 0;
        if (r < acc) {
          kind = k;
          break;
        }
      }
    }
    return {
      delayMs,
      ...(kind ? { kind } : {}),
      ...(afterBytes !== undefined ? { afterBytes } : {}),
      ...(c.maintenance ? { maintenance: c.maintenance } : {}),
      retryAfter: c.retryAfter ?? 30,
      timeoutCapMs: c.timeoutCapMs ?? 60_000,
    };
  }
}

function validateConfig(c: FaultConfig): void {
  const rates = c.rates ?? {};
  let total = 0;
  for (const [k, v] of Object.entries(rates)) {
    if (!FAULT_KINDS.includes(k as FaultKind)) throw new Error(`unknown fault kind '${k}' in rates`);
    if (typeof v !== 'number' || v < 0 || v > 1) throw new Error(`rate of '${k}' must be between 0 and 1, got ${v}`);
    total += v;
  }
  if (total > 1) throw new Error(`fault rates add up to ${total}, more than 1`);
  for (const [name, v] of [
    ['latency.fixedMs', c.latency?.fixedMs],
    ['latency.jitterMs', c.latency?.jitterMs],
    ['retryAfter', c.retryAfter],
    ['timeoutCapMs', c.timeoutCapMs],
    ['maintenance.retryAfter', c.maintenance?.retryAfter],
  ] as const) {
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < 0)) {
      throw new Error(`${name} must be a non-negative number, got ${String(v)}`);
    }
  }
}
