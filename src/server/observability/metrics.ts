/**
 * The service's Prometheus metrics (prom-client), in a registry of its own per service instance: tests start many
 * services in one process, and each must count only its own requests. Process metrics (CPU, memory, event loop,
 * GC) describe the process, not an instance: they are collected once per process and merged into each scrape.
 *
 * Names follow Prometheus' conventions: the `profit_subgraph_` prefix, units in the name (`_seconds`, `_bytes`),
 * `_total` on counters. Every label has a bounded set of values: operation names only from `METRICS_OPERATIONS`
 * (else `other`), connectors from the model, statuses and codes from fixed lists; never a query or a variable.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Seconds; from a cached grant (~1 ms) to Profit's slow GetConnectors (tens of seconds). */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** What the gauges read at each scrape. */
export interface MetricSources {
  /** The shared cap of parallel Profit calls and the verification cap (ProfitConnection `load`, `verificationLoad`). */
  readonly load: () => { readonly shared: LoadPair; readonly verification: LoadPair };
  /** When Profit expects to be back while the maintenance circuit is open (ms since the epoch). */
  readonly maintenanceUntil: () => number | undefined;
  /** Grant cache lookups so far (PermissionStore `cache`). */
  readonly grantCache: () => { readonly hits: number; readonly misses: number };
}

interface LoadPair {
  readonly active: number;
  readonly queued: number;
}

let processRegistry: Registry | undefined;

/** Process metrics, registered once per process (prom-client's collectors start timers and GC observers). */
function processMetrics(): Registry {
  if (processRegistry === undefined) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

export class Metrics {
  readonly registry = new Registry();
  readonly #operations: ReadonlySet<string>;

  readonly requests: Counter<'route' | 'operation' | 'type' | 'outcome'>;
  readonly requestDuration: Histogram<'route' | 'operation' | 'type' | 'outcome'>;
  readonly graphqlErrors: Counter<'code'>;
  readonly profitCalls: Counter<'connector' | 'method' | 'status'>;
  readonly profitDuration: Histogram<'connector' | 'method'>;
  readonly profitRetries: Counter<'connector' | 'method'>;
  readonly fileBytes: Counter;
  readonly responseCacheLookups: Counter<'result'>;
  /** Set by the caps shared through Redis (src/server/profit-caps.ts); absent without REDIS_URL. */
  readonly limiterShared: Gauge<'cap'>;
  readonly limiterFallbacks: Counter<'cap'>;
  readonly limiterLeasesLost: Counter<'cap'>;

  constructor(sources: MetricSources, options: { readonly operations?: readonly string[] } = {}) {
    this.#operations = new Set(options.operations ?? []);
    const registers = [this.registry];
    this.requests = new Counter({
      name: 'profit_subgraph_requests_total',
      help: 'HTTP requests to /graphql and /files/, by route, operation (METRICS_OPERATIONS, else other), type and outcome',
      labelNames: ['route', 'operation', 'type', 'outcome'],
      registers,
    });
    this.requestDuration = new Histogram({
      name: 'profit_subgraph_request_duration_seconds',
      help: 'Time from a request to the end of its response, by route, operation, type and outcome',
      labelNames: ['route', 'operation', 'type', 'outcome'],
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.graphqlErrors = new Counter({
      name: 'profit_subgraph_graphql_errors_total',
      help: 'GraphQL errors answered, by extensions.code',
      labelNames: ['code'],
      registers,
    });
    this.profitCalls = new Counter({
      name: 'profit_subgraph_profit_calls_total',
      help: 'HTTP exchanges with Profit (retries included), by connector, method and status (or failure kind)',
      labelNames: ['connector', 'method', 'status'],
      registers,
    });
    this.profitDuration = new Histogram({
      name: 'profit_subgraph_profit_call_duration_seconds',
      help: 'Time from sending a Profit call to its whole answer (the wait for a slot excluded), by connector and method',
      labelNames: ['connector', 'method'],
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.profitRetries = new Counter({
      name: 'profit_subgraph_profit_retries_total',
      help: 'Profit calls sent again (attempt 2 and later), by connector and method',
      labelNames: ['connector', 'method'],
      registers,
    });
    new Gauge({
      name: 'profit_subgraph_profit_inflight_calls',
      help: 'Profit calls holding a slot of a parallel-call cap now (shared: PROFIT_MAX_CONCURRENT; verification: CREDENTIAL_CHECK_CONCURRENCY)',
      labelNames: ['cap'],
      registers,
      collect() {
        const load = sources.load();
        this.set({ cap: 'shared' }, load.shared.active);
        this.set({ cap: 'verification' }, load.verification.active);
      },
    });
    new Gauge({
      name: 'profit_subgraph_profit_queued_calls',
      help: 'Profit calls waiting for a slot of a parallel-call cap now',
      labelNames: ['cap'],
      registers,
      collect() {
        const load = sources.load();
        this.set({ cap: 'shared' }, load.shared.queued);
        this.set({ cap: 'verification' }, load.verification.queued);
      },
    });
    new Gauge({
      name: 'profit_subgraph_profit_maintenance_circuit_open',
      help: '1 while the maintenance circuit is open (Profit said it is in maintenance: calls fail fast), else 0',
      registers,
      collect() {
        this.set(sources.maintenanceUntil() === undefined ? 0 : 1);
      },
    });
    new Gauge({
      name: 'profit_subgraph_profit_maintenance_until_seconds',
      help: 'While the maintenance circuit is open: when Profit expects to be back (Unix time), else 0',
      registers,
      collect() {
        this.set((sources.maintenanceUntil() ?? 0) / 1000);
      },
    });
    new Counter({
      name: 'profit_subgraph_grant_cache_lookups_total',
      help: "Lookups of a credential's grant (Profit metainfo) in the grant cache, by result (hit, miss)",
      labelNames: ['result'],
      registers,
      collect() {
        const { hits, misses } = sources.grantCache();
        this.reset();
        this.inc({ result: 'hit' }, hits);
        this.inc({ result: 'miss' }, misses);
      },
    });
    this.limiterShared = new Gauge({
      name: 'profit_subgraph_profit_limiter_shared',
      help: 'With REDIS_URL: 1 while a parallel-call cap is held by all replicas through Redis, 0 while this replica falls back to its local share',
      labelNames: ['cap'],
      registers,
    });
    this.limiterFallbacks = new Counter({
      name: 'profit_subgraph_profit_limiter_fallbacks_total',
      help: 'Switches of a parallel-call cap from Redis to the local share (Redis down, lost or too slow)',
      labelNames: ['cap'],
      registers,
    });
    this.limiterLeasesLost = new Counter({
      name: 'profit_subgraph_profit_limiter_leases_lost_total',
      help: 'Slots of a shared cap whose Redis lease expired while held (this process stalled longer than the lease)',
      labelNames: ['cap'],
      registers,
    });
    this.fileBytes = new Counter({
      name: 'profit_subgraph_file_bytes_streamed_total',
      help: 'File bytes sent to callers by the download route (/files/)',
      registers,
    });
    this.responseCacheLookups = new Counter({
      name: 'profit_subgraph_response_cache_lookups_total',
      help: 'Cacheable queries looked up in the response cache (RESPONSE_CACHE_TTL_SECONDS), by result (hit, miss)',
      labelNames: ['result'],
      registers,
    });
  }

  /** The `operation` label: the name when METRICS_OPERATIONS lists it, else `other`. */
  operationLabel(name: string | undefined): string {
    return name !== undefined && this.#operations.has(name) ? name : 'other';
  }

  /** The text a scrape answers: this instance's metrics and the process metrics. */
  async scrape(): Promise<{ readonly contentType: string; readonly body: string }> {
    const merged = Registry.merge([this.registry, processMetrics()]);
    return { contentType: merged.contentType, body: await merged.metrics() };
  }
}
