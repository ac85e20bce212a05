/**
 * The SDK, loaded only when tracing is on: a NodeTracerProvider (sampler and span limits from
 * `OTEL_TRACES_SAMPLER…`, `OTEL_SPAN_…`) with a batch processor (`OTEL_BSP_…`) and the OTLP/HTTP JSON exporter
 * (`OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT`, `…_HEADERS`, `…_TIMEOUT`), registered globally with an AsyncLocalStorage
 * context manager, so the core's spans, made through `@opentelemetry/api` alone, join the request's trace.
 */
import { context, DiagLogLevel, diag, type ProxyTracerProvider, type Tracer, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { FILES_PREFIX } from '../files.js';
import type { Logger } from '../log.js';
import type { Tracing } from './index.js';
import { profitCallSpans } from './profit-spans.js';
import { traceRequest, tracingPlugin } from './request-span.js';

/** The tracer's name, the same one src/graphql/loaders.ts asks the API for. */
export const TRACER_NAME = 'profit-subgraph';

/** `service.name` unless `OTEL_SERVICE_NAME` or `OTEL_RESOURCE_ATTRIBUTES` name another. */
const DEFAULT_SERVICE_NAME = 'profit-subgraph';

export async function createTracing(logger: Logger): Promise<Tracing> {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: DEFAULT_SERVICE_NAME }).merge(
      detectResources({ detectors: [envDetector] }),
    ),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  // The propagator is kept here rather than registered: nothing else in the process injects or extracts.
  provider.register({ propagator: null });
  // An SDK registered before this one (`node --import @opentelemetry/auto-instrumentations-node/register`) keeps
  // the API: its provider and exporter get the spans, and this service neither adds its own nor unregisters that.
  if ((trace.getTracerProvider() as ProxyTracerProvider).getDelegate() !== provider) {
    await provider.shutdown();
    logger.info('tracing: an OpenTelemetry SDK is already registered in this process; its exporter gets the spans');
    return tracingWith(trace.getTracer(TRACER_NAME), async () => {});
  }
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
  return tracingWith(provider.getTracer(TRACER_NAME), () =>
    provider
      .shutdown()
      .catch((error: unknown) => logger.warn(`tracing: spans lost at shutdown: ${String(error)}`))
      .finally(() => {
        trace.disable();
        context.disable();
        diag.disable();
      }),
  );
}

function tracingWith(tracer: Tracer, stop: () => Promise<void>): Tracing {
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
      stopped ??= stop();
      return stopped;
    },
  };
}
