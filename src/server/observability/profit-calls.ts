/**
 * Observers of Profit calls. A ProfitConnection takes one `onRequest` and one `onResponse`; the service composes
 * any number of observers into that pair (`composeObservers`), so metrics, the access log and traces each watch
 * the calls without taking the hook for themselves.
 */
import type { ProfitRequestEvent, ProfitResponseEvent } from '../../profit/index.js';
import type { Metrics } from './metrics.js';
import { currentScope, type RequestScope } from './scope.js';

export interface ProfitObserver {
  onRequest?(event: ProfitRequestEvent): void;
  onResponse?(event: ProfitResponseEvent): void;
}

/** One `onRequest`/`onResponse` pair calling every observer in order; one that throws does not stop the others. */
export function composeObservers(observers: readonly ProfitObserver[]): Required<ProfitObserver> {
  const each = (call: (o: ProfitObserver) => void) => {
    for (const observer of observers) {
      try {
        call(observer);
      } catch {
        // An observer must never break a call, nor another observer.
      }
    }
  };
  return {
    onRequest: (event) => each((o) => o.onRequest?.(event)),
    onResponse: (event) => each((o) => o.onResponse?.(event)),
  };
}

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
