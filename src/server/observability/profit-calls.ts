/**
 * The metrics' and the access log's observer of Profit calls (composed with the others by `composeObservers`,
 * src/server/profit-observers.ts, so metrics, the access log and traces each watch the calls).
 */
import type { ProfitObserver } from '../profit-observers.js';
import { connectorOf } from '../profit-route.js';
import type { Metrics } from './metrics.js';
import { isScope, type RequestScope } from './scope.js';

/**
 * Counts each Profit exchange in the metrics and in the request it was made for. The request is the call's tag (its
 * scope: the request's client is `tagged` with it), and the call is counted for it when sent: an answer
 * streamed to the caller (a file) ends in a stream event outside that context, possibly after the request's
 * response has closed. Its time is added when it ends, found by the attempt's `id`.
 */
export function profitCallObserver(metrics: Metrics): ProfitObserver {
  const scopes = new Map<number, RequestScope>();
  return {
    onRequest(event) {
      if (event.attempt > 1) {
        metrics.profitRetries.inc({ connector: connectorOf(event.path), method: event.method });
      }
      const scope = event.tag;
      if (!isScope(scope)) return;
      scopes.set(event.id, scope);
      const connector = connectorOf(event.path);
      scope.profit.calls++;
      scope.profit.byConnector[connector] = (scope.profit.byConnector[connector] ?? 0) + 1;
    },
    onResponse(event) {
      const connector = connectorOf(event.path);
      const status = event.status !== undefined ? String(event.status) : (event.errorKind ?? 'unknown');
      metrics.profitCalls.inc({ connector, method: event.method, status });
      metrics.profitDuration.observe({ connector, method: event.method }, event.durationMs / 1000);
      const scope = scopes.get(event.id);
      if (scope === undefined) return;
      scopes.delete(event.id);
      scope.profit.ms += event.durationMs;
    },
  };
}
