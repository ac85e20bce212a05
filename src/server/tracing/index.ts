/**
 * OpenTelemetry traces, off unless OTel's standard variables ask for them (settings.ts). When off, the SDK is not
 * even loaded (sdk.ts is imported only when on): the spans of src/graphql/loaders.ts go to the API's no-op tracer,
 * and the service adds no observer and no wrapper to a request.
 *
 * Profit calls do not carry `traceparent`: Profit documents no such header (unconfirmed whether it would be
 * ignored, logged or refused), so the trace ends at this service's client spans.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from '../log.js';
import type { ProfitObserver } from '../profit-observers.js';
import { tracingSettings } from './settings.js';

export { tracingSettings } from './settings.js';

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
 * The tracing `env` asks for, started; `undefined` when it asks for none. Throws a ConfigError for a value it
 * cannot honour. The SDK reads its other variables (endpoint, headers, sampler…) from `process.env` itself.
 */
export async function startTracing(
  env: Readonly<Record<string, string | undefined>>,
  logger: Logger,
): Promise<Tracing | undefined> {
  if (!tracingSettings(env).enabled) return undefined;
  const { createTracing } = await import('./sdk.js');
  return createTracing(logger);
}
