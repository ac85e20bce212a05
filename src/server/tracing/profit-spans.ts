/**
 * A client span per Profit call attempt, made from the connection's observer events (`onRequest` / `onResponse`,
 * paired by their `id`): the Profit client stays free of OpenTelemetry.
 *
 * `onRequest` runs in the caller's async context, so the span's parent is whatever span is active there: the
 * DataLoader batch (src/graphql/loaders.ts) or the GraphQL request. A call with no recording span around it (the
 * readiness check, the start's model check) gets none: a trace per `/ready` probe would bury the requests.
 *
 * Never in an attribute: a credential (the events carry no headers), the query string (filters hold personal data)
 * or the path's own ids (a record's key, a file's name): the path is reduced to its template.
 */
import { type Attributes, context, type Span, SpanKind, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_REQUEST_RESEND_COUNT,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
} from '@opentelemetry/semantic-conventions';
import type { ProfitObserver } from '../profit-observers.js';
import { profitRoute } from '../profit-route.js';

// Attributes of the semantic conventions still in development are written out, as OpenTelemetry advises for
// its incubating entry point (names there may change between releases).
const ATTR_URL_TEMPLATE = 'url.template';
const ATTR_HTTP_RESPONSE_BODY_SIZE = 'http.response.body.size';
const ATTR_PROFIT_CONNECTOR = 'profit.connector';
const ATTR_PROFIT_ATTEMPT = 'profit.attempt';
const ATTR_PROFIT_QUEUED_MS = 'profit.queued_ms';

/** A Profit path's template and the connector it names, if any. */
/**
 * The observer that turns each attempt into a span of `tracer`. The span starts when the attempt began to wait for a slot of the connection's cap (`profit.queued_ms` before it
 * was sent), so the wait shows in the trace's timeline.
 */
export function profitCallSpans(tracer: Tracer): ProfitObserver {
  const open = new Map<number, Span>();
  return {
    onRequest(event) {
      const parent = context.active();
      if (!trace.getSpan(parent)?.isRecording()) return;
      const route = profitRoute(event.path);
      const attributes: Attributes = {
        [ATTR_HTTP_REQUEST_METHOD]: event.method,
        [ATTR_URL_TEMPLATE]: route.template,
        [ATTR_PROFIT_ATTEMPT]: event.attempt,
        [ATTR_PROFIT_QUEUED_MS]: Math.round(event.queuedMs),
      };
      if (route.connector !== undefined) attributes[ATTR_PROFIT_CONNECTOR] = route.connector;
      // The semantic conventions' retry count: set on the second and later attempts only.
      if (event.attempt > 1) attributes[ATTR_HTTP_REQUEST_RESEND_COUNT] = event.attempt - 1;
      const name = `${event.method} ${route.connector === undefined ? route.template : route.template.replace('{connector}', route.connector)}`;
      const span = tracer.startSpan(
        name,
        { kind: SpanKind.CLIENT, attributes, startTime: Date.now() - event.queuedMs },
        parent,
      );
      open.set(event.id, span);
    },
    onResponse(event) {
      const span = open.get(event.id);
      if (span === undefined) return;
      open.delete(event.id);
      if (event.status !== undefined) span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, event.status);
      if (event.bytes !== undefined) span.setAttribute(ATTR_HTTP_RESPONSE_BODY_SIZE, event.bytes);
      if (event.errorKind !== undefined) {
        span.setAttribute(ATTR_ERROR_TYPE, event.errorKind);
        span.setStatus({ code: SpanStatusCode.ERROR, message: event.errorKind });
      }
      span.end();
    },
  };
}
