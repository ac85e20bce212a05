/**
 * One access line per request to /graphql and /files/, written when its response ends (or the caller goes away),
 * and the request metrics. The request runs inside its scope (scope.ts), which gathers what the line reports.
 *
 * The request id is the caller's `x-request-id` when it is a plain token (so a router's id links the lines), else
 * the trace id of a W3C `traceparent`, else a new UUID; it is sent back as `x-request-id`. A header value of any
 * other shape is not echoed: it would let a caller write what it likes into the logs.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { StructuredLogger } from '../log.js';
import type { Metrics } from './metrics.js';
import { bindScope, newScope, type RequestScope } from './scope.js';

const REQUEST_ID = /^[A-Za-z0-9._:@+=/-]{1,128}$/;
/** W3C Trace Context: version-traceid-parentid-flags; an all-zero trace id is invalid. */
const TRACEPARENT = /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/;

export function requestIdOf(headers: IncomingHttpHeaders): string {
  const given = headers['x-request-id'];
  if (typeof given === 'string' && REQUEST_ID.test(given)) return given;
  const trace = headers.traceparent;
  const traceId = typeof trace === 'string' ? TRACEPARENT.exec(trace.trim().toLowerCase())?.[1] : undefined;
  if (traceId !== undefined && !/^0+$/.test(traceId)) return traceId;
  return randomUUID();
}

export type Route = 'graphql' | 'files';

/**
 * Runs `handle` for one request inside a new scope; when the response closes, writes the access line and counts
 * the request. Returns what `handle` returns.
 */
export function observeRequest<T>(
  options: { readonly logger: StructuredLogger; readonly metrics: Metrics },
  route: Route,
  req: IncomingMessage,
  res: ServerResponse,
  handle: () => T,
): T {
  const scope = newScope(requestIdOf(req.headers));
  res.setHeader('x-request-id', scope.id);
  const started = performance.now();
  res.once('close', () => finish(options, route, req, res, scope, performance.now() - started));
  bindScope(req, scope);
  return handle();
}

function finish(
  { logger, metrics }: { readonly logger: StructuredLogger; readonly metrics: Metrics },
  route: Route,
  req: IncomingMessage,
  res: ServerResponse,
  scope: RequestScope,
  durationMs: number,
): void {
  // A response that did not finish: the caller went away, or the transfer was cut.
  const aborted = !res.writableFinished;
  const status = res.statusCode;
  const outcome = aborted ? 'aborted' : status >= 400 || scope.errorCodes.length > 0 ? 'error' : 'ok';
  const labels = {
    route,
    operation: route === 'graphql' ? metrics.operationLabel(scope.operationName) : 'none',
    type: scope.operationType ?? 'none',
    outcome,
  };
  metrics.requests.inc(labels);
  metrics.requestDuration.observe(labels, durationMs / 1000);
  logger.log(
    status >= 500 ? 'warn' : 'info',
    {
      requestId: scope.id,
      method: req.method,
      route: route === 'graphql' ? '/graphql' : '/files/',
      ...(scope.operationName !== undefined ? { operationName: scope.operationName } : {}),
      ...(scope.operationType !== undefined ? { operationType: scope.operationType } : {}),
      status,
      ...(aborted ? { aborted: true } : {}),
      durationMs: Math.round(durationMs * 10) / 10,
      ...(scope.errorCodes.length > 0 ? { errorCodes: scope.errorCodes } : {}),
      profit: {
        calls: scope.profit.calls,
        ms: Math.round(scope.profit.ms * 10) / 10,
        byConnector: scope.profit.byConnector,
      },
      ...(scope.caller !== undefined ? { caller: scope.caller } : {}),
      ...(scope.tenant !== undefined ? { tenant: scope.tenant } : {}),
    },
    'request',
  );
}
