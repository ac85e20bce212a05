/**
 * The metrics' and the access log's observer of Profit calls (composed with the others by `composeObservers`,
 * src/server/profit-observers.ts, so metrics, the access log and traces each watch the calls).
 */
import type { ProfitObserver } from '../profit-observers.js';
import type { Metrics } from './metrics.js';
import { currentScope, type RequestScope } from './scope.js';

/**
 * The connector a path names, as a bounded label: `/connectors/Profit_Users?…` → `Profit_Users`; the metainfo,
 * file connector, report and token paths by their first segment (`metainfo`, `fileconnector`, …), never an id.
 */
export function connectorOf(path: string): string {
  const segments =
    path
      .split('?')[0]
      ?.split('/')
      .filter((s) => s !== '') ?? [];
  if (segments[0] === 'connectors' && segments[1] !== undefined) return decodeSegment(segments[1]);
  return segments[0] ?? 'unknown';
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * Counts each Profit exchange in the metrics and in the request it was made for. The request is found when the
 * call is sent (`onRequest` runs in the caller's async context), and the call is counted for it then: an answer
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
      const scope = currentScope();
      if (scope === undefined) return;
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
