/**
 * OpenTelemetry traces, off unless OTel's standard variables ask for them (settings.ts). When off, no SDK is
 * loaded or registered: the spans of src/graphql/loaders.ts go to the API's no-op tracer, and the service adds
 * no observer and no wrapper to a request.
 *
 * When on: a NodeTracerProvider (sampler and span limits from `OTEL_TRACES_SAMPLER…`, `OTEL_SPAN_…`) with a batch
 * processor (`OTEL_BSP_…`) and the OTLP/HTTP JSON exporter (`OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT`, `…_HEADERS`,
 * `…_TIMEOUT`), registered globally with an AsyncLocalStorage context manager, so the core's spans, made through
 * `@opentelemetry/api` alone, join the request's trace. `shutdown` flushes what is buffered and unregisters.
 *
 * Profit calls do not carry `traceparent`: Profit documents no such header (unconfirmed whether it would be
 * ignored, logged or refused), so the trace ends at this service's client spans.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import { context, DiagLogLevel, diag, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { FILES_PREFIX } from '../files.js';
import type { Logger } from '../log.js';
import type { ProfitObserver } from '../profit-observers.js';
import { profitCallSpans } from './profit-spans.js';
import { traceRequest, tracingPlugin } from './request-span.js';
import { tracingSettings } from './settings.js';

export { tracingSettings } from './settings.js';

/** The tracer's name, the same one src/graphql/loaders.ts asks the API for. */
export const TRACER_NAME = 'profit-subgraph';

/** `service.name` unless `OTEL_SERVICE_NAME` or `OTEL_RESOURCE_ATTRIBUTES` name another. */
const DEFAULT_SERVICE_NAME = 'profit-subgraph';

export interface Tracing {
  /** The Profit connection's observer: a client span per call attempt. */
  readonly profitObserver: ProfitObserver;
  /**
   * Runs `handle` inside a server span for the request when `path` is `/graphql` or a file's (`/files/{ticket}`):
   * what reaches Profit. Probes (`/health`, `/ready`) and the Playground are handled without one.
   */
  traceRequest<T>(req: IncomingMessage, res: ServerResponse, path: string, handle: () => T): T;
  /** Names the request span after its operation and records its error codes. */
  readonly plugin: ApolloServerPlugin<object>;
  /** Exports the spans still buffered, then unregisters the SDK. Never rejects. */
  shutdown(): Promise<void>;
}

/**
 * The tracing `env` asks for, registered; `undefined` when it asks for none. Throws a ConfigError for a value it
 * cannot honour. The SDK's own diagnostics (a failed export) go to `logger` as warnings.
 */
export function startTracing(env: Readonly<Record<string, string | undefined>>, logger: Logger): Tracing | undefined {
  if (!tracingSettings(env).enabled) return undefined;
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: DEFAULT_SERVICE_NAME }).merge(
      detectResources({ detectors: [envDetector] }),
    ),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  // The propagator is kept here rather than registered: nothing else in the process injects or extracts.
  provider.register({ propagator: null });
  diag.setLogger(
    {
      error: (message) => logger.warn(`tracing: ${message}`),
      warn: (message) => logger.warn(`tracing: ${message}`),
      info: () => {},
      debug: () => {},
      verbose: () => {},
    },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
  const tracer = provider.getTracer(TRACER_NAME);
  const propagator = new W3CTraceContextPropagator();
  let stopped: Promise<void> | undefined;
  return {
    profitObserver: profitCallSpans(tracer),
    traceRequest(req, res, path, handle) {
      // A ticket is a credential for one file: the span names the route, never the path.
      const route = path === '/graphql' ? path : path.startsWith(FILES_PREFIX) ? `${FILES_PREFIX}{ticket}` : undefined;
      return route === undefined ? handle() : traceRequest(tracer, propagator, req, res, route, handle);
    },
    plugin: tracingPlugin(),
    shutdown() {
      stopped ??= provider
        .shutdown()
        .catch((error: unknown) => logger.warn(`tracing: spans lost at shutdown: ${String(error)}`))
        .finally(() => {
          trace.disable();
          context.disable();
          diag.disable();
        });
      return stopped;
    },
  };
}
