/**
 * Logs and metrics of one service instance (docs/observability.md): the access log and the Profit failure lines
 * (access-log.ts, failures.ts), the Prometheus registry (metrics.ts), the Profit call observer (profit-calls.ts)
 * and the Apollo plugin that ties a GraphQL request to them (graphql-plugin.ts). The server calls these; it holds
 * none of their logic.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApolloServerPlugin } from '@apollo/server';
import type { CredentialResolver } from '../credentials.js';
import { sendError } from '../http.js';
import type { Logger, StructuredLogger } from '../log.js';
import { structured } from '../log.js';
import type { ProfitObserver } from '../profit-observers.js';
import { observeRequest, type Route } from './access-log.js';
import { observabilityPlugin } from './graphql-plugin.js';
import { type MetricSources, Metrics } from './metrics.js';
import { profitCallObserver } from './profit-calls.js';
import { scopeOf } from './scope.js';

export { logProfitFailure, profitErrorOf } from './failures.js';
export type { MetricSources } from './metrics.js';
export { bindScope, scopeOf } from './scope.js';

export const METRICS_PATH = '/metrics';

export interface Observability {
  readonly logger: StructuredLogger;
  readonly metrics: Metrics;
  /** Observes the connection's Profit calls (compose it with other observers). */
  readonly profitObserver: ProfitObserver;
  readonly plugin: ApolloServerPlugin;
  /** Runs one request's handler inside its scope, with its access line and request metrics. */
  observe<T>(route: Route, req: IncomingMessage, res: ServerResponse, handle: () => T): T;
  /**
   * The same resolver, which for a request with a scope notes the caller's fingerprint there and tags the client
   * with the scope (its Profit calls are counted for the request).
   */
  noteCaller(resolve: CredentialResolver): CredentialResolver;
  /** Answers a scrape (`GET /metrics`). */
  serveMetrics(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** What the gauges read at a scrape, given once the connection and the grant cache exist. */
  attach(sources: MetricSources): void;
}

/** Before `attach`: nothing in flight, no circuit, no lookups. */
const NO_SOURCES: MetricSources = {
  load: () => ({ shared: { active: 0, queued: 0 }, verification: { active: 0, queued: 0 } }),
  maintenanceUntil: () => undefined,
  grantCache: () => ({ hits: 0, misses: 0 }),
};

export function createObservability(options: {
  readonly logger: Logger;
  readonly operations: readonly string[];
}): Observability {
  const logger = structured(options.logger);
  // The sources exist only once the connection and the grant cache do; read at each scrape.
  let sources = NO_SOURCES;
  const metrics = new Metrics(
    {
      load: () => sources.load(),
      maintenanceUntil: () => sources.maintenanceUntil(),
      grantCache: () => sources.grantCache(),
    },
    { operations: options.operations },
  );
  return {
    logger,
    metrics,
    profitObserver: profitCallObserver(metrics),
    plugin: observabilityPlugin({ logger, metrics }),
    observe: (route, req, res, handle) => observeRequest({ logger, metrics }, route, req, res, handle),
    noteCaller: (resolve) => (authorization, request) => {
      const credential = resolve(authorization, request);
      const scope = scopeOf(request);
      if (scope === undefined || credential.kind !== 'client') return credential;
      scope.caller = credential.client.fingerprint;
      // The request's Profit calls carry its scope to the observer (profit-calls.ts).
      return { kind: 'client', client: credential.client.tagged(scope) };
    },
    attach(given) {
      sources = given;
    },
    async serveMetrics(req, res) {
      const { contentType, body } = await metrics.scrape();
      res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
    },
  };
}

/** Where `/metrics` is served, and how to stop serving it there. */
export interface MetricsEndpoint {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * `/metrics` on a server of its own when `port` is given (`METRICS_PORT`), so a scraper reaches it on a port that
 * is not exposed with the API (it answers nothing else there); else on the main server at `mainUrl`, where the
 * service routes it itself.
 */
export async function serveMetricsOn(
  observability: Observability,
  options: { readonly port: number | undefined; readonly host: string; readonly mainUrl: string },
): Promise<MetricsEndpoint> {
  if (options.port === undefined) return { url: `${options.mainUrl}${METRICS_PATH}`, close: async () => {} };
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== METRICS_PATH) return sendError(res, 404, 'NOT_FOUND', `No route ${path}; metrics are at /metrics`);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendError(res, 405, 'METHOD_NOT_ALLOWED', '/metrics answers GET, HEAD', { allow: 'GET, HEAD' });
    }
    observability.serveMetrics(req, res).catch(() => {
      if (!res.headersSent) sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // The main URL's host as the service shows it (`localhost` for 0.0.0.0), with this server's port.
  const url = new URL(METRICS_PATH, options.mainUrl);
  url.port = String((server.address() as AddressInfo).port);
  return {
    url: url.href,
    close: () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // A scraper's idle keep-alive socket would otherwise hold the close until it times out.
      server.closeAllConnections();
      return closed;
    },
  };
}
