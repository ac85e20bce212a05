/**
 * The server span of one HTTP request to the service (`/graphql`, `/files/…`), continuing the caller's trace
 * (W3C `traceparent` / `tracestate`, as a router forwards them), and the Apollo plugin that names it after the
 * GraphQL operation and records the answer's error codes.
 *
 * The request is handled inside the span's context, so everything it starts (DataLoader batches, Profit calls)
 * becomes its child. Never in an attribute: the query text (its literals may hold personal data), variables,
 * headers, or a files ticket (the path is given as its route).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import {
  context,
  defaultTextMapGetter,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TextMapPropagator,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
} from '@opentelemetry/semantic-conventions';

// In development in the semantic conventions: written out (see profit-spans.ts).
const ATTR_GRAPHQL_OPERATION_NAME = 'graphql.operation.name';
const ATTR_GRAPHQL_OPERATION_TYPE = 'graphql.operation.type';
/** The answer's distinct `extensions.code`s, e.g. `["PROFIT_REJECTED"]`. */
const ATTR_GRAPHQL_ERROR_CODES = 'graphql.error.codes';

/** The spans this module made, so the plugin never renames a span someone else made active. */
const requestSpans = new WeakSet<Span>();

/**
 * Runs `handle` inside a new server span for `req`, ended when the response is done (or the socket closed). A 5xx
 * answer marks the span as failed; a GraphQL error does so through the plugin.
 */
export function traceRequest<T>(
  tracer: Tracer,
  propagator: TextMapPropagator,
  req: IncomingMessage,
  res: ServerResponse,
  route: string,
  handle: () => T,
): T {
  const parent = propagator.extract(ROOT_CONTEXT, req.headers, defaultTextMapGetter);
  const method = req.method ?? 'GET';
  const span = tracer.startSpan(
    `${method} ${route}`,
    { kind: SpanKind.SERVER, attributes: { [ATTR_HTTP_REQUEST_METHOD]: method, [ATTR_HTTP_ROUTE]: route } },
    parent,
  );
  requestSpans.add(span);
  res.once('close', () => {
    if (res.headersSent) {
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    } else {
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'the connection closed before an answer' });
    }
    span.end();
  });
  return context.with(trace.setSpan(parent, span), handle);
}

/**
 * Names the request span `{type} {name}` (`query ActiveEmployees`) once the operation is known, and records the
 * distinct error codes of the answer (as the client receives them, after formatError).
 */
export function tracingPlugin(): ApolloServerPlugin<object> {
  return {
    async requestDidStart() {
      const span = trace.getActiveSpan();
      if (span === undefined || !requestSpans.has(span) || !span.isRecording()) return;
      return {
        async didResolveOperation({ operation, operationName }) {
          if (operation === undefined) return;
          span.setAttribute(ATTR_GRAPHQL_OPERATION_TYPE, operation.operation);
          if (operationName) span.setAttribute(ATTR_GRAPHQL_OPERATION_NAME, operationName);
          span.updateName(operationName ? `${operation.operation} ${operationName}` : operation.operation);
        },
        async willSendResponse({ response }) {
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          if (errors === undefined || errors.length === 0) return;
          const codes = [...new Set(errors.map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR')))];
          span.setAttribute(ATTR_GRAPHQL_ERROR_CODES, codes);
          span.setStatus({ code: SpanStatusCode.ERROR, message: codes.join(', ') });
        },
      };
    },
  };
}
