/**
 * Every environment variable the project reads, declared once: its type, default, allowed values, meaning and the
 * commands that read it. `loadConfig` reads values only through these entries (a name missing here does not
 * compile), `profit-subgraph <command> --help` lists them, and docs/configuration.md is generated from them
 * (`npm run docs:config`; `.ci/run` fails when the committed file differs).
 *
 * Adding a variable is one entry here, then one read in index.ts (or, for `external`, none: another library reads
 * it). Names are a contract: extend, never rename.
 */

/** The CLI's commands (src/cli.ts), as a variable's readers. */
export type CommandName =
  | 'serve'
  | 'emulator'
  | 'snapshot'
  | 'check'
  | 'generate'
  | 'xsd'
  | 'validate'
  | 'schema:print'
  | 'schema:check';

/** Sections of docs/configuration.md, in this order. */
export const GROUPS = [
  'HTTP server',
  'Production safety',
  'Profit',
  'Service mode and JWT',
  'Limits per request',
  'Files and reports',
  'Bounds on clients',
  'Emulator',
  'Logs',
  'Metrics',
  'Traces (OpenTelemetry)',
  'Replicas (Redis)',
  'Profit environments (tenants)',
] as const;
export type Group = (typeof GROUPS)[number];

interface Common {
  readonly group: Group;
  /** One or two sentences, without the default (shown beside it). */
  readonly description: string;
  readonly commands: readonly CommandName[];
  /** The default in words, where it depends on another setting or is no single value. */
  readonly defaultText?: string;
  /** Never shown in an error message or a log. */
  readonly secret?: true;
}

export type Variable =
  | (Common & {
      readonly type: 'integer';
      readonly default: number;
      readonly min: number;
      readonly max: number;
      /** `ms`, `s` or `bytes`: the unit of the number. */
      readonly unit?: 'ms' | 's' | 'bytes';
      /** The default with `NODE_ENV=production`, where it differs. */
      readonly productionDefault?: number;
    })
  | (Common & { readonly type: 'boolean'; readonly default: boolean; readonly productionDefault?: boolean })
  | (Common & { readonly type: 'enum'; readonly values: readonly string[]; readonly default: string })
  /** Free text, checked by its reader in index.ts (a URL, a key, a list); `format` says what it must be. */
  | (Common & { readonly type: 'string'; readonly default?: string; readonly format?: string })
  /** Read by another library, not by loadConfig; listed for the operator. */
  | (Common & { readonly type: 'external'; readonly readBy: string });

const SERVE = ['serve'] as const;
/** The commands that open a Profit connection with the usual settings. */
const PROFIT = ['serve', 'snapshot', 'check', 'generate', 'xsd', 'validate'] as const;
/** The commands that may start the emulator (embedded without Profit settings, or alone). */
const EMULATOR = ['serve', 'emulator', 'snapshot', 'check', 'xsd', 'validate'] as const;
const OTEL = 'the OpenTelemetry SDK';

export const VARIABLES = {
  // HTTP server
  PORT: {
    group: 'HTTP server',
    type: 'integer',
    default: 4000,
    min: 0,
    max: 65535,
    description: 'The HTTP port of the service; 0 picks a free one.',
    commands: SERVE,
  },
  HOST: {
    group: 'HTTP server',
    type: 'string',
    default: '127.0.0.1',
    description: 'The address to listen on; the Docker image sets `0.0.0.0`.',
    commands: SERVE,
  },
  CORS_ORIGINS: {
    group: 'HTTP server',
    type: 'string',
    format: 'comma-separated exact origins, e.g. `https://app.example.com,https://admin.example.com`',
    defaultText: 'none: no CORS headers, preflights refused (405)',
    description:
      'Origins whose browser scripts may call `/graphql` and the file downloads (CORS); `*`, paths and user info are refused (docs/http.md).',
    commands: SERVE,
  },
  PERSISTED_OPERATIONS: {
    group: 'HTTP server',
    type: 'string',
    format: 'a file path',
    defaultText: 'none',
    description:
      'An Apollo persisted query manifest (JSON) every replica reads at start: clients may send its operations by id (docs/http.md).',
    commands: SERVE,
  },
  PERSISTED_OPERATIONS_ONLY: {
    group: 'HTTP server',
    type: 'boolean',
    default: false,
    description:
      'A safelist: refuse every operation whose text is not in PERSISTED_OPERATIONS (400, `PERSISTED_QUERY_NOT_IN_LIST`).',
    commands: SERVE,
  },
  PLAYGROUND: {
    group: 'HTTP server',
    type: 'boolean',
    default: true,
    productionDefault: false,
    description: 'The GraphiQL Playground at `/`.',
    commands: SERVE,
  },
  INTROSPECTION: {
    group: 'HTTP server',
    type: 'boolean',
    default: true,
    productionDefault: false,
    description: 'GraphQL introspection (`__schema`, `__type`); `_service` is always on.',
    commands: SERVE,
  },
  MAX_REQUEST_BYTES: {
    group: 'HTTP server',
    type: 'integer',
    default: 1_048_576,
    min: 1024,
    max: 104_857_600,
    unit: 'bytes',
    description: 'The largest GraphQL request body; a larger one gets 413.',
    commands: SERVE,
  },
  MAX_UPLOAD_BYTES: {
    group: 'HTTP server',
    type: 'integer',
    default: 83_886_080,
    min: 1024,
    max: 209_715_200,
    unit: 'bytes',
    description:
      'The largest body of a mutation carrying files, from a caller granted its UpdateConnector; never below `MAX_REQUEST_BYTES`.',
    commands: SERVE,
  },
  SHUTDOWN_DELAY_MS: {
    group: 'HTTP server',
    type: 'integer',
    default: 0,
    min: 0,
    max: 600_000,
    unit: 'ms',
    // Kubernetes removes a terminating pod from its Service's endpoints while it sends SIGTERM, not before: a few
    // seconds of still serving cover that propagation. Long enough for it, well within the default 30 s grace period.
    productionDefault: 5_000,
    description:
      'On SIGTERM, `/ready` answers 503 for this long while requests are still served, so a load balancer stops sending new ones before the listener closes; then running requests finish.',
    commands: SERVE,
  },

  // Production safety
  NODE_ENV: {
    group: 'Production safety',
    type: 'string',
    description:
      '`production` turns off introspection and the Playground unless enabled, waits `SHUTDOWN_DELAY_MS` on SIGTERM, and refuses the demo emulator and service mode without JWT unless `EMULATOR_IN_PRODUCTION` or `SERVICE_MODE_WITHOUT_JWT` says so.',
    commands: PROFIT,
  },
  EMULATOR_IN_PRODUCTION: {
    group: 'Production safety',
    type: 'boolean',
    default: false,
    description:
      '`true`: with `NODE_ENV=production` and no Profit settings, serve the demo emulator (else the start is refused).',
    commands: PROFIT,
  },
  SERVICE_MODE_WITHOUT_JWT: {
    group: 'Production safety',
    type: 'enum',
    values: ['refuse', 'allow-all'],
    default: 'refuse',
    description:
      '`allow-all`: with `NODE_ENV=production`, service mode without a JWT key lets every caller use all the service credential grants (a router in front authorizes).',
    commands: PROFIT,
  },

  // Profit
  PROFIT_ENVIRONMENT: {
    group: 'Profit',
    type: 'string',
    format: '5 digits',
    description:
      'The environment number of a real Profit environment. Without it and `PROFIT_BASE_URL`: the embedded emulator.',
    commands: PROFIT,
  },
  PROFIT_ENVIRONMENT_TYPE: {
    group: 'Profit',
    type: 'enum',
    values: ['production', 'test', 'accept'],
    default: 'production',
    description: 'Which of `rest.`, `resttest.`, `restaccept.afas.online` serves `PROFIT_ENVIRONMENT`.',
    commands: PROFIT,
  },
  PROFIT_BASE_URL: {
    group: 'Profit',
    type: 'string',
    format: 'http(s) URL',
    description:
      'Any base URL ending in `/ProfitRestServices` (a proxy, a separately run emulator); never shown in errors.',
    commands: PROFIT,
  },
  PROFIT_TRANSPORT: {
    group: 'Profit',
    type: 'enum',
    values: ['rest', 'soap'],
    default: 'rest',
    description:
      '`soap`: GetConnector reads and UpdateConnector writes go over SOAP (`…/ProfitServices/AppConnector*.asmx`, XML); metainfo and files stay on REST (docs/soap.md).',
    commands: PROFIT,
  },
  PROFIT_VALIDATE_XML: {
    group: 'Profit',
    type: 'boolean',
    default: true,
    description:
      "With `PROFIT_TRANSPORT=soap`: validate each write's XML against Profit's XSD of its UpdateConnector (GetXmlSchema, read once per connector) before sending; an invalid body is refused with every violation (docs/xml.md). `false` saves that call per connector.",
    commands: SERVE,
  },
  PROFIT_TOKEN: {
    group: 'Profit',
    type: 'string',
    format: '`<token>…</token>` or its 64-hex data',
    secret: true,
    description:
      'Service mode: one classic token for every request. Without it (or the OAuth pair) each request brings its own `Authorization`.',
    commands: PROFIT,
  },
  PROFIT_OAUTH_CLIENT_ID: {
    group: 'Profit',
    type: 'string',
    description: 'Service mode with OAuth 2 client credentials, with `PROFIT_OAUTH_CLIENT_SECRET`.',
    commands: PROFIT,
  },
  PROFIT_OAUTH_CLIENT_SECRET: {
    group: 'Profit',
    type: 'string',
    secret: true,
    description: 'The secret of `PROFIT_OAUTH_CLIENT_ID`.',
    commands: PROFIT,
  },
  PROFIT_INTEGRATION_ID: {
    group: 'Profit',
    type: 'string',
    description: 'Sent as `IntegrationId` on every call (mandatory for certified partner integrations).',
    commands: PROFIT,
  },
  PROFIT_ACCEPT_LANGUAGE: {
    group: 'Profit',
    type: 'string',
    default: 'nl-nl',
    description: "Profit's language for messages and descriptions: `nl-nl`, `en-us`, `nl-be`, `fr-fr`, `de-de`.",
    commands: PROFIT,
  },
  PROFIT_MAX_CONCURRENT: {
    group: 'Profit',
    type: 'integer',
    default: 4,
    min: 1,
    max: 8,
    description:
      'Parallel calls per Profit environment (Profit documents 5–8); with `REDIS_URL`, for all replicas together.',
    commands: PROFIT,
  },
  PROFIT_TIMEOUT_MS: {
    group: 'Profit',
    type: 'integer',
    default: 30_000,
    min: 100,
    max: 900_000,
    unit: 'ms',
    description: 'Per-call timeout, queue wait included; for a download, the longest silence.',
    commands: PROFIT,
  },
  PROFIT_RETRY_ATTEMPTS: {
    group: 'Profit',
    type: 'integer',
    default: 3,
    min: 1,
    max: 10,
    description: 'Attempts for a GET, the first included.',
    commands: PROFIT,
  },
  PROFIT_MAX_RETRY_AFTER_SECONDS: {
    group: 'Profit',
    type: 'integer',
    default: 10,
    min: 0,
    max: 3600,
    unit: 's',
    description: 'A 503 asking to wait longer fails fast, saying when Profit expects to be back.',
    commands: PROFIT,
  },
  PROFIT_MAINTENANCE_PROBE_SECONDS: {
    group: 'Profit',
    type: 'integer',
    default: 0,
    min: 0,
    max: 3600,
    unit: 's',
    description: 'In a maintenance window, at most one probe per this interval reaches Profit (0: one at a time).',
    commands: SERVE,
  },
  PROFIT_MODEL: {
    group: 'Profit',
    type: 'string',
    default: 'demo',
    description: 'The model served: `demo` (src/model) or a folder `src/model/<name>` written by `generate`.',
    commands: ['serve', 'check', 'schema:print', 'schema:check'],
  },

  // Service mode and JWT
  PERMISSIONS_TTL_SECONDS: {
    group: 'Service mode and JWT',
    type: 'integer',
    default: 300,
    min: 0,
    max: 86_400,
    unit: 's',
    description: "How long a credential's grant (its metainfo) and code tables are cached.",
    commands: SERVE,
  },
  JWT_JWKS_URL: {
    group: 'Service mode and JWT',
    type: 'string',
    format: 'http(s) URL',
    description:
      "Service mode: verify callers' JWTs with this JWKS endpoint; their scopes narrow the grant. One key source only.",
    commands: SERVE,
  },
  JWT_PUBLIC_KEY: {
    group: 'Service mode and JWT',
    type: 'string',
    format: 'PEM (SPKI); `\\n` for line breaks',
    description: "Service mode: verify callers' JWTs with this public key (RS, PS, ES, EdDSA).",
    commands: SERVE,
  },
  JWT_SECRET: {
    group: 'Service mode and JWT',
    type: 'string',
    secret: true,
    description: "Service mode: verify callers' JWTs with this shared secret (HS256/384/512).",
    commands: SERVE,
  },
  JWT_ISSUER: {
    group: 'Service mode and JWT',
    type: 'string',
    description: 'Checked as the JWT `iss` when set.',
    commands: SERVE,
  },
  JWT_AUDIENCE: {
    group: 'Service mode and JWT',
    type: 'string',
    description: 'Checked as the JWT `aud` when set.',
    commands: SERVE,
  },

  // Limits per request
  MAX_QUERY_DEPTH: {
    group: 'Limits per request',
    type: 'integer',
    default: 15,
    min: 1,
    max: 1000,
    description: 'Deepest field nesting.',
    commands: SERVE,
  },
  MAX_QUERY_COST: {
    group: 'Limits per request',
    type: 'integer',
    default: 5000,
    min: 1,
    max: 100_000_000,
    description: 'Largest estimated cost in Profit calls (a list multiplies its children by `first`).',
    commands: SERVE,
  },
  MAX_ALIASES: {
    group: 'Limits per request',
    type: 'integer',
    default: 50,
    min: 0,
    max: 100_000,
    description: 'Most aliased fields.',
    commands: SERVE,
  },
  MAX_ENTITY_REPRESENTATIONS: {
    group: 'Limits per request',
    type: 'integer',
    default: 1000,
    min: 1,
    max: 100_000,
    description: 'Most `_entities` representations.',
    commands: SERVE,
  },
  MAX_QUERY_FILES: {
    group: 'Limits per request',
    type: 'integer',
    default: 100,
    min: 0,
    max: 100_000,
    description: 'Most file contents (file connector calls) one operation may fetch.',
    commands: SERVE,
  },

  // Files and reports
  PROFIT_REPORTS: {
    group: 'Files and reports',
    type: 'string',
    format: '`<reportId>=<GetConnector>`, comma-separated',
    description:
      "Reports served besides the model's, each with the GetConnector it renders; `report(id)` refuses any other id.",
    commands: SERVE,
  },
  PUBLIC_URL: {
    group: 'Files and reports',
    type: 'string',
    format: 'http(s) URL',
    defaultText: "the request's `Host` over `http://`",
    description: 'The base of download links, behind a proxy or router (`https://api.example.com/profit`).',
    commands: SERVE,
  },
  FILE_TICKET_SECRET: {
    group: 'Files and reports',
    type: 'string',
    format: '32 bytes: 64 hex digits or base64',
    secret: true,
    defaultText: 'a random key per process',
    description: 'The key sealing download links; the same on every instance behind one router.',
    commands: SERVE,
  },
  FILE_TICKET_TTL_SECONDS: {
    group: 'Files and reports',
    type: 'integer',
    default: 600,
    min: 10,
    max: 86_400,
    unit: 's',
    description: 'How long a download link works.',
    commands: SERVE,
  },
  FILE_INLINE_MAX_BYTES: {
    group: 'Files and reports',
    type: 'integer',
    default: 5_242_880,
    min: 0,
    max: 78_643_200,
    unit: 'bytes',
    description: 'The largest file `contentBase64` returns inline.',
    commands: SERVE,
  },

  // Bounds on clients
  HEADERS_TIMEOUT_MS: {
    group: 'Bounds on clients',
    type: 'integer',
    default: 10_000,
    min: 1000,
    max: 600_000,
    unit: 'ms',
    description: 'The request line and headers must arrive within this (else 408, socket closed).',
    commands: SERVE,
  },
  BODY_TIMEOUT_MS: {
    group: 'Bounds on clients',
    type: 'integer',
    default: 10_000,
    min: 100,
    max: 600_000,
    unit: 'ms',
    description: 'A body up to `MAX_REQUEST_BYTES` must arrive within this (408 `REQUEST_TIMEOUT`).',
    commands: SERVE,
  },
  UPLOAD_TIMEOUT_MS: {
    group: 'Bounds on clients',
    type: 'integer',
    default: 120_000,
    min: 100,
    max: 3_600_000,
    unit: 'ms',
    description: "An upload's body (over `MAX_REQUEST_BYTES`) must arrive within this.",
    commands: SERVE,
  },
  MAX_CONNECTIONS: {
    group: 'Bounds on clients',
    type: 'integer',
    default: 1024,
    min: 1,
    max: 1_000_000,
    description: 'Sockets open at once; a new one beyond is closed at once.',
    commands: SERVE,
  },
  MAX_CONCURRENT_UPLOADS: {
    group: 'Bounds on clients',
    type: 'integer',
    default: 2,
    min: 1,
    max: 1000,
    description: 'Uploads in progress at once; another gets 503 `TOO_MANY_UPLOADS`.',
    commands: SERVE,
  },
  UPLOAD_MEMORY_BYTES: {
    group: 'Bounds on clients',
    type: 'integer',
    default: 167_772_160,
    min: 1024,
    max: 68_719_476_736,
    unit: 'bytes',
    description: 'Declared body bytes all uploads in progress may hold together (else 503).',
    commands: SERVE,
  },
  CREDENTIAL_CHECK_CONCURRENCY: {
    group: 'Bounds on clients',
    type: 'integer',
    default: 2,
    min: 1,
    max: 8,
    description:
      'Parallel `/metainfo` calls verifying credentials not yet known, beside `PROFIT_MAX_CONCURRENT`; with `REDIS_URL`, for all replicas together.',
    commands: SERVE,
  },
  REFUSED_CREDENTIAL_TTL_SECONDS: {
    group: 'Bounds on clients',
    type: 'integer',
    default: 30,
    min: 0,
    max: 3600,
    unit: 's',
    description: 'A credential Profit refused is refused again without a call for this long (0: off).',
    commands: SERVE,
  },

  // Emulator
  EMULATOR_SEED: {
    group: 'Emulator',
    type: 'integer',
    default: 20_261_124,
    min: 0,
    max: 2 ** 31 - 1,
    description: "The demo company's seed (`emulator --seed` wins).",
    commands: EMULATOR,
  },
  EMULATOR_SCALE: {
    group: 'Emulator',
    type: 'integer',
    default: 1,
    min: 1,
    max: 1000,
    description: 'Grows the demo company (50 or more: thousands of employees; `emulator --scale` wins).',
    commands: EMULATOR,
  },
  EMULATOR_PORT: {
    group: 'Emulator',
    type: 'integer',
    default: 0,
    min: 0,
    max: 65535,
    defaultText: '`0` (a free port) for `serve`, `4010` for `emulator`',
    description: "The emulator's port.",
    commands: ['serve', 'emulator'],
  },
  EMULATOR_HOST: {
    group: 'Emulator',
    type: 'string',
    default: '127.0.0.1',
    description: 'The address `emulator` listens on (the embedded one listens on 127.0.0.1 only).',
    commands: ['emulator'],
  },

  // Logs
  REDIS_URL: {
    group: 'Replicas (Redis)',
    type: 'string',
    format: 'redis://[user:password@]host:port[/db] or rediss://…',
    defaultText: 'none: each process alone, as a single replica',
    description: 'The Redis that replicas share state through (docs/redis.md); the password is never logged.',
    commands: SERVE,
    secret: true,
  },
  RESPONSE_CACHE_TTL_SECONDS: {
    group: 'Replicas (Redis)',
    type: 'integer',
    default: 0,
    min: 0,
    max: 3600,
    unit: 's',
    description:
      "Cache a query's answer per caller this long (0: off); in Redis with REDIS_URL, else in memory. A write of an entity drops the answers that read it (docs/redis.md).",
    commands: SERVE,
  },
  RESPONSE_CACHE_MAX_BYTES: {
    group: 'Replicas (Redis)',
    type: 'integer',
    default: 16_777_216,
    min: 1024,
    max: 1_073_741_824,
    unit: 'bytes',
    description: 'Without REDIS_URL: the in-memory response cache holds at most this many bytes of answers.',
    commands: SERVE,
  },
  LOG_LEVEL: {
    group: 'Logs',
    type: 'enum',
    values: ['debug', 'info', 'warn', 'error', 'silent'],
    default: 'info',
    description: 'The lowest level logged.',
    commands: SERVE,
  },
  LOG_FORMAT: {
    group: 'Logs',
    type: 'enum',
    values: ['json', 'pretty'],
    default: 'json',
    description: 'JSON lines on stdout, or `pretty` (pino-pretty) for a terminal (docs/observability.md).',
    commands: SERVE,
  },
  METRICS_PORT: {
    group: 'Metrics',
    type: 'integer',
    default: 0,
    min: 0,
    max: 65535,
    defaultText: 'unset: `GET /metrics` on PORT',
    description: 'Serve `GET /metrics` on this port instead (0: a free one); it must differ from PORT.',
    commands: SERVE,
  },
  METRICS_OPERATIONS: {
    group: 'Metrics',
    type: 'string',
    format: 'GraphQL operation names, separated by commas or white space',
    defaultText: 'none: every operation is labelled `other`',
    description: 'The operation names metrics may use as a label value (a bounded set; never raw queries).',
    commands: SERVE,
  },

  // Profit environments (tenants): docs/tenants.md
  PROFIT_TENANTS_FILE: {
    group: 'Profit environments (tenants)',
    type: 'string',
    format: 'a file path (JSON)',
    defaultText: 'none: one Profit environment, from the PROFIT_* variables',
    description:
      'Serve several Profit environments: a JSON list of tenants, each a `name` and its own `PROFIT_*` settings (docs/tenants.md). Checked at start.',
    commands: PROFIT,
  },
  PROFIT_TENANTS: {
    group: 'Profit environments (tenants)',
    type: 'string',
    format: 'JSON, as in PROFIT_TENANTS_FILE',
    secret: true,
    defaultText: 'none',
    description: 'The tenant list itself instead of a file (e.g. from a Secret); not both.',
    commands: PROFIT,
  },
  PROFIT_TENANT_BY: {
    group: 'Profit environments (tenants)',
    type: 'enum',
    values: ['header', 'host', 'jwt'],
    default: 'header',
    description:
      "How a request names its tenant: a header (PROFIT_TENANT_HEADER), the `Host` (each tenant's `hosts`), or a verified JWT's claim (PROFIT_TENANT_CLAIM).",
    commands: SERVE,
  },
  PROFIT_TENANT_HEADER: {
    group: 'Profit environments (tenants)',
    type: 'string',
    default: 'x-profit-environment',
    description: 'The header that names the tenant with `PROFIT_TENANT_BY=header`.',
    commands: SERVE,
  },
  PROFIT_TENANT_CLAIM: {
    group: 'Profit environments (tenants)',
    type: 'string',
    default: 'profit_tenant',
    description:
      'The JWT claim that names the tenant; with a JWT key set, every token must carry it, and it binds the caller to that tenant in every mode.',
    commands: SERVE,
  },

  // Traces: the standard variables of the OpenTelemetry specification, read by the SDK itself.
  OTEL_SDK_DISABLED: {
    group: 'Traces (OpenTelemetry)',
    type: 'external',
    readBy: OTEL,
    defaultText: 'false',
    description: '`true` turns traces off whatever the other variables say.',
    commands: SERVE,
  },
  OTEL_TRACES_EXPORTER: {
    group: 'Traces (OpenTelemetry)',
    type: 'external',
    readBy: OTEL,
    defaultText: 'none: no traces',
    description: '`otlp` exports traces over OTLP/HTTP.',
    commands: SERVE,
  },
  OTEL_EXPORTER_OTLP_ENDPOINT: {
    group: 'Traces (OpenTelemetry)',
    type: 'external',
    readBy: OTEL,
    defaultText: '`http://localhost:4318`',
    description: 'The OTLP/HTTP collector (`/v1/traces` is appended).',
    commands: SERVE,
  },
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: {
    group: 'Traces (OpenTelemetry)',
    type: 'external',
    readBy: OTEL,
    description: 'The full URL for traces, instead of `OTEL_EXPORTER_OTLP_ENDPOINT`.',
    commands: SERVE,
  },
  OTEL_EXPORTER_OTLP_HEADERS: {
    group: 'Traces (OpenTelemetry)',
    type: 'external',
    readBy: OTEL,
    secret: true,
    description: 'Headers sent to the collector (`key=value,…`), e.g. its API key.',
    commands: SERVE,
  },
  OTEL_SERVICE_NAME: {
    group: 'Traces (OpenTelemetry)',
    type: 'external',
    readBy: OTEL,
    description: 'The `service.name` of every span.',
    commands: SERVE,
  },
  OTEL_RESOURCE_ATTRIBUTES: {
    group: 'Traces (OpenTelemetry)',
    type: 'external',
    readBy: OTEL,
    description: 'More resource attributes (`deployment.environment=prod,…`).',
    commands: SERVE,
  },
  OTEL_TRACES_SAMPLER: {
    group: 'Traces (OpenTelemetry)',
    type: 'external',
    readBy: OTEL,
    defaultText: '`parentbased_always_on`',
    description: 'Which requests are traced (`parentbased_traceidratio` with `OTEL_TRACES_SAMPLER_ARG`).',
    commands: SERVE,
  },
  OTEL_TRACES_SAMPLER_ARG: {
    group: 'Traces (OpenTelemetry)',
    type: 'external',
    readBy: OTEL,
    description: "The sampler's argument, e.g. `0.1` for one request in ten.",
    commands: SERVE,
  },
} as const satisfies Record<string, Variable>;

export type VariableName = keyof typeof VARIABLES;

/** The names of the variables of one type (`NamesOf<'integer'>` is `'PORT' | …`). */
export type NamesOf<T extends Variable['type']> = {
  [N in VariableName]: (typeof VARIABLES)[N]['type'] extends T ? N : never;
}[VariableName];

/** Every variable as a plain list, in declaration order. */
export const variableList = (): readonly (Variable & { readonly name: VariableName })[] =>
  (Object.keys(VARIABLES) as VariableName[]).map((name) => ({ ...(VARIABLES[name] as Variable), name }));
