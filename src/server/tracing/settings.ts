/**
 * Whether traces are exported, decided from OpenTelemetry's own environment variables (the names every OTel SDK
 * reads, https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/), and those values
 * checked up front: the SDK itself would only warn through its diagnostics channel and carry on with a default
 * (a mistyped endpoint would send spans to localhost:4318, a mistyped sampler would sample everything).
 *
 * Pure: the environment in, the decision out. The exporter and the sampler read the same variables themselves.
 */
import { ConfigError } from '../../config/index.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The endpoint variables, the traces-only one first (it wins, as the OTLP exporter reads them). */
export const ENDPOINT_VARIABLES = ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'OTEL_EXPORTER_OTLP_ENDPOINT'] as const;

/** The samplers the SDK knows (`OTEL_TRACES_SAMPLER`); its default is `parentbased_always_on`. */
const SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
];

export interface TracingSettings {
  /** Spans are made and exported (OTLP over HTTP, JSON). */
  readonly enabled: boolean;
}

const set = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';

/**
 * On when `OTEL_TRACES_EXPORTER` names `otlp`, or when it is unset and an OTLP endpoint is given (the spec's
 * default exporter is otlp; an endpoint is the operator asking for it). Off otherwise, with `none`, or with
 * `OTEL_SDK_DISABLED=true`. Throws a ConfigError for what this service cannot honour.
 */
export function tracingSettings(env: Env): TracingSettings {
  const off: TracingSettings = { enabled: false };
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return off;
  const raw = env.OTEL_TRACES_EXPORTER ?? '';
  const exporters = raw
    .split(',')
    .map((e) => e.trim().toLowerCase())
    .filter((e) => e !== '');
  const other = exporters.filter((e) => e !== 'otlp' && e !== 'none');
  if (other.length > 0) {
    throw new ConfigError(
      `OTEL_TRACES_EXPORTER=${raw}: this service exports traces with otlp (OTLP over HTTP) only; use otlp, or none for no traces`,
    );
  }
  if (exporters.includes('none')) {
    if (exporters.includes('otlp')) throw new ConfigError(`OTEL_TRACES_EXPORTER=${raw}: give otlp or none, not both`);
    return off;
  }
  const enabled = exporters.includes('otlp') || ENDPOINT_VARIABLES.some((name) => set(env[name]));
  if (!enabled) return off;

  for (const name of ENDPOINT_VARIABLES) {
    const value = env[name];
    // The value is not repeated: an endpoint may carry user:password.
    if (set(value) && !isHttpUrl(value.trim())) throw new ConfigError(`${name} must be an http:// or https:// URL`);
  }
  for (const name of ['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', 'OTEL_EXPORTER_OTLP_PROTOCOL']) {
    const value = env[name]?.trim();
    // Only the OTLP/HTTP JSON exporter is installed. An OTLP/HTTP receiver (the Collector, Tempo, Jaeger) takes
    // JSON on the same path as protobuf, so `http/protobuf` (the spec's default) is served with JSON; gRPC is not.
    if (set(value) && value !== 'http/json' && value !== 'http/protobuf') {
      throw new ConfigError(
        `${name}=${value}: this service sends traces over OTLP/HTTP (http/json); grpc is not supported`,
      );
    }
    if (set(value)) break;
  }
  const sampler = env.OTEL_TRACES_SAMPLER?.trim();
  if (set(sampler) && !SAMPLERS.includes(sampler)) {
    throw new ConfigError(`OTEL_TRACES_SAMPLER=${sampler}: use one of ${SAMPLERS.join(', ')}`);
  }
  const ratio = env.OTEL_TRACES_SAMPLER_ARG?.trim();
  if (set(ratio) && sampler?.endsWith('traceidratio')) {
    const r = Number(ratio);
    if (!Number.isFinite(r) || r < 0 || r > 1) {
      throw new ConfigError(`OTEL_TRACES_SAMPLER_ARG must be a ratio from 0 to 1, got '${ratio}'`);
    }
  }
  return { enabled: true };
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
