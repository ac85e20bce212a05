/**
 * `/ready`: whether this process can serve, so a load balancer (or Kubernetes) sends it traffic.
 *
 * Readiness fails (503) only for what taking this process out of rotation or replacing it can fix:
 *
 * - it is shutting down: from SIGTERM on, while it still serves for `SHUTDOWN_DELAY_MS` (so the load balancer
 *   takes it out of rotation before the listener closes), then while it finishes the running requests;
 * - in service mode, Profit refuses this process's own credential: 401 (a mistyped or revoked `PROFIT_TOKEN`, a
 *   wrong OAuth client) or 403 (the app connector's IP restriction, which can differ per replica's egress
 *   address). The fix is a new configuration or another node, and a rolling update that brings a wrong token
 *   then stalls with the replicas of the old configuration still serving, instead of replacing them.
 *
 * Profit being down, slow or in maintenance (503 with `retry_after`) does **not** fail readiness. Profit is shared
 * by every replica: failing would take all of them out of rotation at once, and callers would get the router's
 * "no healthy upstream" instead of this service's `PROFIT_UNAVAILABLE` with `retryAfterSeconds` (or
 * `PROFIT_UNREACHABLE`), and every replica would have to be found ready again after the window. The body still
 * says what the last check saw, for dashboards. A process that has not started answers nothing: the port opens
 * only once the schema is built and Apollo has started.
 *
 * Profit's only cheap call, `ProfitVersion`, needs a credential. In service mode readiness makes it (at most once
 * per `cacheMs`, one call in flight, bounded by `timeoutMs` retries included; during a maintenance window the
 * connection's circuit answers it without reaching Profit). In pass-through mode the service has no credential of
 * its own and will not invent one (an unauthenticated call would only fill Profit's logs with 401s), so it does
 * not call Profit and says so.
 *
 * The answer is anonymous, so it carries no Profit version (which would tell anyone which Profit flaws apply), no
 * base URL and no credential.
 */
import type { ProfitClient, ProfitConnection } from '../profit/index.js';
import { ProfitError } from '../profit/index.js';

export interface ReadinessOptions {
  readonly connection: ProfitConnection;
  /** The service-mode client; absent in pass-through mode. */
  readonly client?: ProfitClient;
  /**
   * Set when Profit is not checked although there may be a client, and why (several environments: one tenant's
   * refused credential must not take the others out of rotation). @default undefined: checked with `client`
   */
  readonly unchecked?: string;
  /** How long one answer from Profit is reused. @default 5_000 ms */
  readonly cacheMs?: number;
  /** The longest the `ProfitVersion` check may take, retries included. @default 5_000 ms */
  readonly timeoutMs?: number;
}

export interface ReadinessReport {
  readonly status: 200 | 503;
  readonly body: {
    /** `unavailable`: Profit refuses this process's credential (see `profit.error`). */
    readonly status: 'ready' | 'unavailable' | 'shutting-down';
    readonly profit:
      | { readonly checked: false; readonly reason: string }
      | { readonly checked: true; readonly reachable: true }
      | {
          readonly checked: true;
          readonly reachable: false;
          readonly error: string;
          readonly message: string;
          /** In a maintenance window: when Profit expects to be back. */
          readonly retryAfterSeconds?: number;
        };
    readonly connection: { readonly active: number; readonly queued: number };
  };
}

export interface Readiness {
  check(): Promise<ReadinessReport>;
  /** From now on `/ready` answers 503. */
  drain(): void;
}

type ProfitState = ReadinessReport['body']['profit'];

/** Answers about this process's own credential: only a new configuration (or another node) fixes them. */
const CREDENTIAL_REFUSED: ReadonlySet<string> = new Set(['unauthorized', 'forbidden']);

export function createReadiness(options: ReadinessOptions): Readiness {
  const cacheMs = options.cacheMs ?? 5_000; // ms
  const timeoutMs = options.timeoutMs ?? 5_000; // ms
  const { client, connection } = options;
  let draining = false;
  let cached: { at: number; state: ProfitState } | undefined;
  let inFlight: Promise<ProfitState> | undefined;

  const probe = async (): Promise<ProfitState> => {
    if (options.unchecked !== undefined) return { checked: false, reason: options.unchecked };
    if (client === undefined) {
      return { checked: false, reason: 'pass-through mode: each request brings its own Profit credential' };
    }
    try {
      // The version is read to prove the answer is Profit's, and not shown.
      await client.profitVersion({ timeoutMs, signal: AbortSignal.timeout(timeoutMs) });
      return { checked: true, reachable: true };
    } catch (error) {
      if (!(error instanceof ProfitError)) {
        return { checked: true, reachable: false, error: 'unexpected', message: 'the ProfitVersion call failed' };
      }
      return {
        checked: true,
        reachable: false,
        error: error.kind,
        message: error.message,
        ...(error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
      };
    }
  };

  const profitState = (): Promise<ProfitState> => {
    if (cached !== undefined && Date.now() - cached.at < cacheMs) return Promise.resolve(cached.state);
    inFlight ??= probe().then((state) => {
      cached = { at: Date.now(), state };
      inFlight = undefined;
      return state;
    });
    return inFlight;
  };

  return {
    async check() {
      // Shutting down, the answer is 503 whatever Profit would say: it comes at once, without a new call (a probe
      // may take `timeoutMs`, longer than a load balancer's probe waits), and the last Profit calls are the callers'.
      if (draining) {
        const profit: ProfitState = cached?.state ?? { checked: false, reason: 'shutting down' };
        return { status: 503, body: { status: 'shutting-down', profit, connection: connection.load } };
      }
      const profit = await profitState();
      const refused = profit.checked && !profit.reachable && CREDENTIAL_REFUSED.has(profit.error);
      const status = refused ? 'unavailable' : 'ready';
      return { status: status === 'ready' ? 200 : 503, body: { status, profit, connection: connection.load } };
    },
    drain() {
      draining = true;
    },
  };
}
