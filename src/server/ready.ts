/**
 * `/ready`: whether this instance should get traffic.
 *
 * Profit's only cheap call, `ProfitVersion`, needs a credential. In service mode the service has one, so
 * readiness asks Profit (at most once per `cacheMs`, one call in flight, with a short timeout) and answers 503
 * when Profit is unreachable or refuses the credential. In pass-through mode the service has no credential of its
 * own and will not invent one (an unauthenticated or fake call would only fill Profit's logs with 401s), so it
 * reports ready without calling Profit and says so: a Profit outage then shows as errors on the GraphQL requests
 * themselves. In both modes a service that is shutting down answers 503, so a load balancer stops sending to it.
 */
import type { ProfitClient, ProfitConnection } from '../profit/index.js';
import { ProfitError } from '../profit/index.js';

export interface ReadinessOptions {
  readonly connection: ProfitConnection;
  /** The service-mode client; absent in pass-through mode. */
  readonly client?: ProfitClient;
  /** How long one answer from Profit is reused. @default 5_000 ms */
  readonly cacheMs?: number;
  /** Timeout of the `ProfitVersion` call. @default 5_000 ms */
  readonly timeoutMs?: number;
}

export interface ReadinessReport {
  readonly status: 200 | 503;
  readonly body: {
    readonly status: 'ready' | 'unavailable' | 'shutting-down';
    readonly profit:
      | { readonly checked: false; readonly reason: string }
      | { readonly checked: true; readonly reachable: true; readonly version: string }
      | { readonly checked: true; readonly reachable: false; readonly error: string; readonly message: string };
    readonly connection: { readonly active: number; readonly queued: number };
  };
}

export interface Readiness {
  check(): Promise<ReadinessReport>;
  /** From now on `/ready` answers 503. */
  drain(): void;
}

type ProfitState = ReadinessReport['body']['profit'];

export function createReadiness(options: ReadinessOptions): Readiness {
  const cacheMs = options.cacheMs ?? 5_000; // ms
  const timeoutMs = options.timeoutMs ?? 5_000; // ms
  const { client, connection } = options;
  let draining = false;
  let cached: { at: number; state: ProfitState } | undefined;
  let inFlight: Promise<ProfitState> | undefined;

  const probe = async (): Promise<ProfitState> => {
    if (client === undefined) {
      return { checked: false, reason: 'pass-through mode: each request brings its own Profit credential' };
    }
    try {
      const version = await client.profitVersion({ timeoutMs });
      return { checked: true, reachable: true, version };
    } catch (error) {
      const kind = error instanceof ProfitError ? error.kind : 'unexpected';
      const message = error instanceof ProfitError ? error.message : 'the ProfitVersion call failed';
      return { checked: true, reachable: false, error: kind, message };
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
      const profit = await profitState();
      const status = draining ? 'shutting-down' : profit.checked && !profit.reachable ? 'unavailable' : 'ready';
      return { status: status === 'ready' ? 200 : 503, body: { status, profit, connection: connection.load } };
    },
    drain() {
      draining = true;
    },
  };
}
