/**
 * The service process: the embedded emulator when no Profit settings are given, the Profit connection, and one
 * node:http server with
 *
 * - `/graphql`  Apollo Server 5 (GET, HEAD, POST; CSRF prevention on), one Profit client per request;
 * - `/`         the GraphiQL Playground (off in production unless `PLAYGROUND=true`);
 * - `/health`   liveness: the process answers;
 * - `/ready`    readiness: see ready.ts;
 * - `/metrics`  Prometheus metrics (observability/), on `METRICS_PORT` instead when set.
 *
 * Requests to `/graphql` and `/files/` run inside a request scope (observability/): a request id, an access line,
 * and their Profit calls counted.
 *
 * No web framework: `executeHTTPGraphQLRequest` takes a plain request object, and the few lines of http.ts that
 * build it are easier to keep correct (body limit, JSON errors, HEAD) than a framework's defaults are to audit.
 */

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTrace } from '@apollo/server/plugin/inlineTrace';
import type { GraphQLSchema } from 'graphql';
import type { Redis } from 'ioredis';
import { checkAtStart, describeModel, type Finding } from '../check/index.js';
import { type Config, ConfigError } from '../config/index.js';
import { credentials, type Emulator, startEmulator } from '../emulator/index.js';
import type { PermissionStore } from '../graphql/auth/index.js';
import { declareReport, type FileLinks } from '../graphql/files/index.js';
import {
  buildExecutableSubgraph,
  buildTypeGraphQLSchema,
  createRequestContext,
  type ExecutableSubgraph,
  entityBindings,
  releaseRequestContext,
  type WriteListener,
} from '../graphql/index.js';
import { loadModel } from '../models.js';
import { type ProfitClient, ProfitConnection, type ProfitConnectionOptions } from '../profit/index.js';
import { RedisKeyValueCache } from '../redis/apq-cache.js';
import { createRedisClient } from '../redis/client.js';
import { type OnSharedModeChange, untilReady } from '../redis/fallback.js';
import { RedisTokenCache } from '../redis/token-cache.js';
import { authenticationPlugin, RequestRefused, Unauthenticated } from './auth-plugin.js';
import { declaredBodyBytes } from './body.js';
import { createCors } from './cors.js';
import { createErrorFormatter } from './errors.js';
import { EXAMPLE_QUERY } from './example.js';
import { subgraphGateway } from './execution.js';
import { createFileRoute, FILES_PREFIX } from './files.js';
import { type BodyLimits, readRequestBody } from './graphql-handler.js';
import { HttpError, sendError, sendGraphQLResponse, sendJson, toGraphQLRequest } from './http.js';
import { createJwtVerifier } from './jwt.js';
import { limitsPlugin } from './limits-plugin.js';
import { createLogger, type Logger } from './log.js';
import { requestNestingError } from './nesting.js';
import { noStorePlugin } from './no-store-plugin.js';
import {
  bindScope,
  createObservability,
  logProfitFailure,
  METRICS_PATH,
  type Observability,
  scopeOf,
  serveMetricsOn,
} from './observability/index.js';
import { persistedOperationsPlugin, readPersistedOperations } from './persisted-operations.js';
import { createPlayground } from './playground.js';
import { type SharedProfitCaps, sharedProfitCaps } from './profit-caps.js';
import { composeObservers, type ProfitObserver } from './profit-observers.js';
import { createReadiness } from './ready.js';
import { createResponseCache } from './response-cache/index.js';
import { createEnvironment, type Environment, metricSources } from './tenant-environment.js';
import { createTenantChooser, environmentConfigs, ticketRefusal } from './tenants.js';
import { startTracing, type Tracing } from './tracing/index.js';
import { UploadSlots } from './uploads.js';

/** The schema and the per-request context the service serves. */
export interface GraphQLLayer {
  readonly schema: GraphQLSchema;
  /**
   * Both builds of the subgraph, to run operations through execution.ts (authorization once per operation).
   * @default none: Apollo runs `schema` itself
   */
  readonly subgraph?: ExecutableSubgraph;
  /** `files`: download links for this request (the `/files/` route). */
  createContext(options: {
    client: ProfitClient;
    files?: FileLinks;
    /** The grant cache (one per service, `PERMISSIONS_TTL_SECONDS`). */
    permissions?: PermissionStore;
    /** A verified JWT's scopes, which narrow the credential's grant (service mode). */
    scopes?: readonly string[];
    /** Told of every write call to Profit (the response cache). */
    onWrite?: WriteListener;
  }): object;
}

/** Tokens the GraphQL parser accepts in one document (graphql-js `maxTokens`). */
export const MAX_DOCUMENT_TOKENS = 20_000;

export interface ServiceOptions {
  /** @default the subgraph of src/graphql (`buildSubgraphSchema`, `createRequestContext`) */
  readonly graphql?: GraphQLLayer;
  /** @default pino on stdout at `config.logLevel`, in `config.logFormat` (src/server/log.ts) */
  readonly logger?: Logger;
  /**
   * In service mode, check the model against the service credential's metainfo once after start and log what is
   * incompatible (src/check). Tests that count upstream calls turn it off. @default true
   */
  readonly startupCheck?: boolean;
}

const EMPTY_BODY = Buffer.alloc(0);
export interface Service {
  /** `http://host:port`, without a trailing slash. */
  readonly url: string;
  readonly graphqlUrl: string;
  /** Set when the Playground is on. */
  readonly playgroundUrl?: string;
  /** Prometheus metrics: on the main port, or on `METRICS_PORT` when set. */
  readonly metricsUrl: string;
  /** With tenants: the first tenant's. */
  readonly connection: ProfitConnection;
  /** The tenants' names (docs/tenants.md); undefined with one environment. */
  readonly tenants?: readonly string[];
  /** `pass-through`: each request's own Authorization; `token` / `oauth`: one service credential. */
  readonly credentialMode: Config['credential']['kind'];
  /** Set when the service runs on the embedded emulator. */
  readonly emulator?: Emulator;
  /** The sockets open to the service now (at most `MAX_CONNECTIONS`). */
  connections(): Promise<number>;
  /** Large uploads in progress and the body bytes they reserve (`MAX_CONCURRENT_UPLOADS`, `UPLOAD_MEMORY_BYTES`). */
  uploads(): { readonly active: number; readonly reservedBytes: number };
  /**
   * The start's model check (service mode): its findings once done, each also logged as a warning; undefined
   * when it did not run (pass-through, or `startupCheck: false`). Never rejects.
   */
  readonly modelCheck: Promise<readonly Finding[] | undefined>;
  /**
   * `/ready` answers 503 at once; after `SHUTDOWN_DELAY_MS` (still serving meanwhile) stops accepting requests,
   * lets the running ones finish, then closes the connection and the emulator.
   */
  close(): Promise<void>;
}

/** What a service adds to the connection the config describes. */
export interface ConnectionParts {
  /** Told of each call attempt, in turn (metrics, logs, traces). */
  readonly observers?: readonly ProfitObserver[];
  /** The caps, shared by the replicas through Redis (src/server/profit-caps.ts); absent: this process's own. */
  readonly limiter?: ProfitConnectionOptions['limiter'];
  /** OAuth tokens shared by the replicas (src/redis/token-cache.ts); absent: this process's own. */
  readonly tokenCache?: ProfitConnectionOptions['tokenCache'];
}

/** The Profit connection the config describes (the embedded emulator's base URL when given). */
export function connectionFor(
  config: Config,
  emulatorBaseUrl?: string,
  { observers = [], limiter, tokenCache }: ConnectionParts = {},
): ProfitConnection {
  const common = {
    ...(tokenCache ? { tokenCache } : {}),
    ...composeObservers(observers),
    ...(limiter ? { limiter } : {}),
    integrationId: config.profit.integrationId,
    acceptLanguage: config.profit.acceptLanguage,
    transport: config.profit.transport,
    validateXml: config.profit.validateXml,
    maxConcurrent: config.profit.maxConcurrent,
    // Verifying a credential not yet known has its own small cap, so a flood of made-up tokens cannot take the
    // slots known callers use (src/graphql/auth/permissions.ts).
    verificationConcurrent: config.bounds.credentialCheckConcurrency,
    timeoutMs: config.profit.timeoutMs,
    retry: {
      maxAttempts: config.profit.retryAttempts,
      maxRetryAfterSeconds: config.profit.maxRetryAfterSeconds,
      // The maintenance circuit: in a maintenance window, requests fail fast instead of piling onto Profit.
      maintenanceProbeSeconds: config.profit.maintenanceProbeSeconds,
    },
  };
  if (config.target.kind === 'emulator') {
    if (emulatorBaseUrl === undefined) throw new Error('the embedded emulator has not been started');
    return new ProfitConnection({ ...common, baseUrl: emulatorBaseUrl });
  }
  if (config.target.baseUrl !== undefined) return new ProfitConnection({ ...common, baseUrl: config.target.baseUrl });
  return new ProfitConnection({
    ...common,
    environment: { id: config.target.environmentId ?? '', type: config.target.environmentType },
  });
}

/** A request header's value, one line (several of the same name, as node joins them, name no tenant). */
function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** The headers the Playground opens with: the demo admin's on the emulator, a template for real Profit. */
function playgroundHeaders(config: Config, emulator: Emulator | undefined): string {
  if (config.credential.kind !== 'pass-through') return '{}';
  const admin = emulator && credentials(emulator.company).find((app) => app.appConnector === 'admin')?.users[0];
  // The template is ASCII on purpose: a browser refuses to send a header value such as "AfasToken …".
  return JSON.stringify({ Authorization: admin?.authorization ?? 'AfasToken <base64 of your Profit token>' }, null, 2);
}

function displayHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * A failure to open a port that the configuration causes (taken, privileged, not this machine's address), as a
 * one-line ConfigError naming the settings; anything else unchanged.
 */
function listenFailure(error: unknown, port: string, host: string): unknown {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'EADDRINUSE') return new ConfigError(`${port} is in use on ${host}: choose a free port`);
  if (code === 'EACCES') return new ConfigError(`${port} on ${host} needs privileges this process does not have`);
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new ConfigError(`${host} is not an address of this machine`);
  }
  return error;
}

export async function startService(config: Config, options: ServiceOptions = {}): Promise<Service> {
  const logger = options.logger ?? createLogger({ level: config.logLevel, format: config.logFormat });
  const observability = createObservability({ logger, operations: config.metrics.operations });
  // OpenTelemetry's own variables (OTEL_TRACES_EXPORTER, OTEL_EXPORTER_OTLP_ENDPOINT…): undefined when off.
  const tracing = await startTracing(process.env, logger);
  const { target } = config;
  const emulator =
    target.kind === 'emulator'
      ? await startEmulator({ port: target.port, company: { seed: target.seed, scale: target.scale } }).catch(
          async (error: unknown) => {
            await tracing?.shutdown();
            throw listenFailure(error, `EMULATOR_PORT ${target.port}`, '127.0.0.1');
          },
        )
      : undefined;
  // What replicas share (REDIS_URL, docs/redis.md); the client reconnects by itself and fails fast meanwhile.
  const redis = config.redisUrl !== undefined ? createRedisClient(config.redisUrl) : undefined;
  // Up to the connect timeout, so the first requests already share; a Redis that is down leaves the caches local.
  if (redis) await untilReady(redis, 2_000);
  const profitCaps = redis ? sharedProfitCaps(redis, observability) : undefined;
  // One connection per Profit environment (several with tenants, docs/tenants.md): each its own caps (a shared
  // budget is named after its environment's base URL) and OAuth tokens (keyed by environment and client).
  const connections = environmentConfigs(config).map((each) =>
    connectionFor(each, emulator?.baseUrl, {
      observers: [observability.profitObserver, ...(tracing ? [tracing.profitObserver] : [])],
      ...(profitCaps ? { limiter: profitCaps.limiter } : {}),
      ...(redis ? { tokenCache: new RedisTokenCache({ redis, onModeChange: sharedModeLog(logger) }) } : {}),
    }),
  );
  try {
    return await serve(
      config,
      { logger, observability, ...(redis ? { redis } : {}), ...(profitCaps ? { profitCaps } : {}) },
      connections,
      emulator,
      options.graphql,
      options.startupCheck ?? true,
      tracing,
    );
  } catch (error) {
    await Promise.all(connections.map((c) => c.close()));
    profitCaps?.close();
    redis?.disconnect();
    await emulator?.close();
    await tracing?.shutdown();
    throw error;
  }
}

/** Logs a shared cache's switch to this process's own cache (Redis unavailable) and back, once each. */
function sharedModeLog(logger: Logger): OnSharedModeChange {
  return (mode, what, reason) => {
    if (mode === 'local') logger.warn(`Redis unavailable (${reason}): ${what} kept by this process only`);
    else logger.info(`Redis answers again: ${what} shared by the replicas`);
  };
}

/** What serve() is given beside the config: the process's logger, its metrics and logs, and Redis when shared. */
interface ServiceParts {
  readonly logger: Logger;
  readonly observability: Observability;
  /** The shared Redis (REDIS_URL); absent: one replica, nothing shared. */
  readonly redis?: Redis;
  /** The Profit caps held through `redis`, closed before it. */
  readonly profitCaps?: SharedProfitCaps;
}

async function serve(
  config: Config,
  { logger, observability, redis, profitCaps }: ServiceParts,
  connections: readonly ProfitConnection[],
  emulator: Emulator | undefined,
  layer: GraphQLLayer | undefined,
  startupCheck: boolean,
  tracing: Tracing | undefined,
): Promise<Service> {
  const { tenants } = config;
  // Verified once per request, before its tenant is chosen: a JWT's tenant claim binds the caller (tenants.ts).
  const verifyJwt = config.auth.jwt ? createJwtVerifier(config.auth.jwt, tenants?.claim) : undefined;
  const environments = environmentConfigs(config).map((each, i) =>
    createEnvironment({
      tenant: config.tenants?.list[i]?.name,
      config: each,
      connection: connections[i] as ProfitConnection,
      noteCaller: observability.noteCaller,
      redis,
      onModeChange: sharedModeLog(logger),
      verifyJwt,
      schema: () => graphql.schema,
    }),
  );
  const environmentFor = createTenantChooser(tenants, environments);
  const [first] = environments as [Environment, ...Environment[]];
  const { connection } = first;
  // With tenants, one tenant's refused credential must not take every tenant's service out of rotation.
  const readiness = createReadiness(
    tenants
      ? { connection, unchecked: 'several Profit environments: each request checks its own tenant' }
      : { connection, client: first.serviceClient },
  );
  observability.attach(metricSources(environments));
  const bounds = config.bounds;
  const httpServer: Server = createServer({
    // Node's own defaults (60 s for the headers, 300 s for the whole request, checked every 30 s) let a slow client
    // hold a socket for minutes. The headers get HEADERS_TIMEOUT_MS; a body's own deadline is readBody's
    // (BODY_TIMEOUT_MS, UPLOAD_TIMEOUT_MS); node's request timeout stays only as the backstop for routes that never
    // read their body: the longest a request legitimately takes to arrive (headers, the upload check, its body).
    headersTimeout: bounds.headersTimeoutMs,
    requestTimeout: bounds.headersTimeoutMs + config.profit.timeoutMs + bounds.uploadTimeoutMs,
    connectionsCheckingInterval: Math.min(1000, bounds.headersTimeoutMs),
  });
  // Beyond this many open sockets node closes a new one at once: memory per socket stays bounded.
  httpServer.maxConnections = bounds.maxConnections;
  const uploadSlots = new UploadSlots({
    maxConcurrent: bounds.maxConcurrentUploads,
    memoryBytes: bounds.uploadMemoryBytes,
  });
  const files = createFileRoute({
    config,
    // A link opens in the environment it was minted for, and not on a request that names another (tenants.ts).
    environmentOf: (tenant, req) => {
      const environment = environments.find((e) => e.tenant === tenant);
      const refusal =
        tenants && tenant !== undefined
          ? ticketRefusal(tenants, tenant, { header: headerValue(req, tenants.header), host: req.headers.host })
          : undefined;
      const scope = scopeOf(req);
      if (scope !== undefined && environment?.tenant !== undefined) scope.tenant = environment.tenant;
      if (environment === undefined || refusal !== undefined) {
        return refusal !== undefined
          ? { ok: false, ...refusal }
          : { ok: false, status: 403, code: 'INVALID_TICKET', message: 'This download link is not valid here.' };
      }
      return {
        ok: true,
        resolveCredential: environment.resolveCredential,
        timeoutMs: environment.config.profit.timeoutMs,
      };
    },
    logger,
    onProfitFailure: (error, req) => logProfitFailure(observability.logger, error, scopeOf(req)),
    onBytes: (bytes) => observability.metrics.fileBytes.inc(bytes),
    localUrl: () =>
      `http://${displayHost(config.host)}:${(httpServer.address() as AddressInfo | null)?.port ?? config.port}`,
  });
  // The deployment's reports join the model's before the schema is built, so `report`'s @requiresScopes lists them.
  for (const report of config.files.reports) {
    declareReport({ ...report, description: `declared by PROFIT_REPORTS` });
  }
  const [graphql, playground] = await Promise.all([
    layer ??
      // The model PROFIT_MODEL names (src/models.ts): the core imports none itself.
      loadModel(config.model)
        .then(buildExecutableSubgraph)
        .then((subgraph): GraphQLLayer => ({ schema: subgraph.schema, subgraph, createContext: createRequestContext })),
    config.playground
      ? createPlayground({ defaultQuery: EXAMPLE_QUERY, headers: playgroundHeaders(config, emulator) })
      : undefined,
  ]);

  // Off unless RESPONSE_CACHE_TTL_SECONDS > 0 (docs/redis.md); the entities are known once the model is loaded.
  // Read at start (a missing or malformed manifest stops it with one line); every replica reads the same file.
  const persisted =
    config.persistedOperations !== undefined ? readPersistedOperations(config.persistedOperations.path) : undefined;
  const responseCache =
    config.responseCache.ttlSeconds > 0
      ? createResponseCache({
          ttlSeconds: config.responseCache.ttlSeconds,
          maxBytes: config.responseCache.maxBytes,
          ...(redis ? { redis } : {}),
          entities: entityBindings().map((e) => ({ name: e.name, maxAge: e.cacheControl?.maxAge })),
          onLookup: (result) => observability.metrics.responseCacheLookups.inc({ result }),
          logger,
        })
      : undefined;

  // Costs are read from the type-graphql schema: the federated one is rebuilt from SDL and loses field extensions.
  const limitSchema = layer ? graphql.schema : await buildTypeGraphQLSchema();
  const apollo = new ApolloServer<object>({
    // The subgraph runs through execution.ts (Apollo's documented executor hook); a custom layer as Apollo runs it.
    ...(graphql.subgraph ? { gateway: subgraphGateway(graphql.subgraph) } : { schema: graphql.schema }),
    introspection: config.introspection,
    // Without introspection, "Did you mean …?" suggestions would leak the schema one field at a time.
    hideSchemaDetailsFromClientErrors: !config.introspection,
    // Apollo's default, stated: a GET or a "simple" POST (text/plain, form) without `apollo-require-preflight`
    // or `x-apollo-operation-name` is refused, so a browser on another site cannot run an operation with a
    // visitor's cookies or network position.
    csrfPrevention: true,
    // The parser stops at this many tokens, before validation or the limits plugin spend CPU on a huge document
    // (60,000 repeated fields otherwise cost about a second before validation gives up). The largest legitimate
    // operations here (the Playground's introspection query, the example operations) use well under 2,000.
    parseOptions: { maxTokens: MAX_DOCUMENT_TOKENS },
    // Persisted queries in Redis when shared, so a hash registered on one replica works on all; else Apollo's own.
    ...(redis
      ? { persistedQueries: { cache: new RedisKeyValueCache({ redis, onModeChange: sharedModeLog(logger) }) } }
      : {}),
    includeStacktraceInErrorResponses: false,
    // Apollo's default indents every answer (JSON.stringify(value, null, 2)): more bytes and CPU for the same JSON.
    stringifyResult: (value) => JSON.stringify(value),
    formatError: createErrorFormatter({ production: config.production, logger }),
    logger,
    // The CLI handles signals (and closes the connection and the emulator after Apollo).
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      // Apollo's cache-control plugin computed a policy for every resolved field (4% of CPU on a page of 25
      // employees with relations) only to answer `no-store`: the schema declares no cache hints, and the default
      // max age is 0. Off, with the same header on every response it used to reach.
      ApolloServerPluginCacheControlDisabled(),
      noStorePlugin(),
      // Federated traces (ftv1) only when the router asks for them with a header; error messages masked.
      ApolloServerPluginInlineTrace(),
      authenticationPlugin(),
      observability.plugin,
      limitsPlugin({ schema: limitSchema, limits: config.limits }),
      ...(persisted ? [persistedOperationsPlugin(persisted, config.persistedOperations?.only === true)] : []),
      ...(responseCache?.plugins ?? []),
      ...(tracing ? [tracing.plugin] : []),
    ],
  });
  await apollo.start();

  const tooLarge = (res: ServerResponse, message: string) =>
    sendError(res, 413, 'PAYLOAD_TOO_LARGE', message, { connection: 'close' });

  /** An upload's slot (MAX_CONCURRENT_UPLOADS, UPLOAD_MEMORY_BYTES), held until its response is done; else a 503. */
  const uploadSlot = (req: IncomingMessage, res: ServerResponse): boolean => {
    const release = uploadSlots.acquire(declaredBodyBytes(req) ?? config.maxUploadBytes);
    if (release) {
      res.once('close', release);
      return true;
    }
    // Its body is not read: the connection closes after the answer.
    req.resume();
    sendError(
      res,
      503,
      'TOO_MANY_UPLOADS',
      `${bounds.maxConcurrentUploads} uploads (MAX_CONCURRENT_UPLOADS) or ${bounds.uploadMemoryBytes} bytes of uploads (UPLOAD_MEMORY_BYTES) are in progress; try again shortly`,
      { connection: 'close', 'retry-after': '5' },
    );
    return false;
  };

  const requestLimits: BodyLimits = {
    maxBytes: config.maxRequestBytes,
    timeoutMs: bounds.bodyTimeoutMs,
    settings: { size: 'MAX_REQUEST_BYTES', timeout: 'BODY_TIMEOUT_MS' },
    tooLargeHint: `a mutation carrying files may send up to ${config.maxUploadBytes} bytes (MAX_UPLOAD_BYTES) when the caller is granted its UpdateConnector`,
  };
  const uploadLimits: BodyLimits = {
    maxBytes: config.maxUploadBytes,
    timeoutMs: bounds.uploadTimeoutMs,
    settings: { size: 'MAX_UPLOAD_BYTES', timeout: 'UPLOAD_TIMEOUT_MS' },
    tooLargeHint: 'Profit accepts at most 75 MB per request, attachments included',
  };

  const handleGraphQL = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // With tenants, the JWT is read before the environment is chosen: its tenant claim binds the caller.
    const jwtFirst = tenants && verifyJwt ? await verifyJwt(req.headers.authorization) : undefined;
    const chosen = environmentFor({
      header: tenants ? headerValue(req, tenants.header) : undefined,
      host: req.headers.host,
      ...(jwtFirst?.kind === 'verified' ? { jwt: true, claim: jwtFirst.tenant } : {}),
    });
    // Refused: no Profit call, no upload; the context answers (the schema-only operations still pass).
    const environment = 'kind' in chosen ? undefined : chosen;
    const scope = scopeOf(req);
    if (scope !== undefined && environment?.tenant !== undefined) scope.tenant = environment.tenant;
    let body: Buffer = EMPTY_BODY;
    let uploader: Awaited<ReturnType<Environment['uploads']['caller']>>;
    if (req.method === 'POST') {
      // Who may send a body up to MAX_UPLOAD_BYTES: the environment's grant decides (upload-allowance.ts).
      uploader = environment ? await environment.uploads.caller(req) : undefined;
      const upload = uploader !== undefined;
      if (upload && !uploadSlot(req, res)) return;
      const read = await readRequestBody(req, res, upload ? uploadLimits : requestLimits);
      if (read === undefined) return;
      body = read;
    }
    const large = body.length > config.maxRequestBytes;
    const notAMutation = () =>
      tooLarge(
        res,
        `The request body is larger than ${config.maxRequestBytes} bytes (MAX_REQUEST_BYTES); only a single mutation (carrying files) whose UpdateConnector the caller is granted may send more`,
      );
    let request: ReturnType<typeof toGraphQLRequest>;
    try {
      request = toGraphQLRequest(req, body);
    } catch (error) {
      if (large && error instanceof HttpError) return notAMutation();
      throw error;
    }
    // Apollo's plugins see this object (`requestContext.request.http`): they find the request's scope by it.
    if (scope !== undefined) bindScope(request, scope);
    // Before anything recursive reads it (Apollo's parser, variable coercion): see nesting.ts.
    const tooDeep = requestNestingError(request, MAX_DOCUMENT_TOKENS);
    if (tooDeep !== undefined) throw tooDeep;
    if (large && (uploader === undefined || !(await environment?.uploads.allows(uploader, request.body)))) {
      return notAMutation();
    }
    // The raw bytes are parsed: let them go before the operation runs (an upload would otherwise be held twice more).
    body = EMPTY_BODY;
    // A browser that opens /graphql itself is sent to the Playground.
    if (playground && request.method === 'GET' && !/[?&]query=/.test(request.search)) {
      if (request.headers.get('accept')?.includes('text/html')) {
        res.writeHead(302, { location: '/' }).end();
        return;
      }
    }
    // The context made for this request, let go of once the answer is sent (`releaseRequestContext`).
    let made: object | undefined;
    try {
      const response = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: request,
        context: async () => {
          if (jwtFirst !== undefined && jwtFirst.kind !== 'verified') return new Unauthenticated(jwtFirst.message);
          if ('kind' in chosen) return new RequestRefused(chosen.code, chosen.status, chosen.message);
          const authorization = request.headers.get('authorization');
          const credential = chosen.resolveCredential(authorization, req);
          if (credential.kind !== 'client') return new Unauthenticated(credential.message);
          const jwt = jwtFirst ?? (verifyJwt ? await verifyJwt(authorization) : undefined);
          if (jwt !== undefined && jwt.kind !== 'verified') return new Unauthenticated(jwt.message);
          const passThrough = chosen.config.credential.kind === 'pass-through';
          const context = graphql.createContext({
            client: credential.client,
            // Service mode: the service's own credential serves a download; nothing of the caller's is kept.
            files: files.linksFor(request.headers.get('host'), passThrough ? authorization : undefined, chosen.tenant),
            permissions: chosen.permissions,
            ...(jwt?.scopes !== undefined ? { scopes: jwt.scopes } : {}),
            ...(responseCache ? { onWrite: responseCache.onWrite } : {}),
          });
          responseCache?.identify(context, {
            fingerprint: credential.client.fingerprint,
            ...(chosen.tenant !== undefined ? { tenant: chosen.tenant } : {}),
            ...(jwt?.scopes !== undefined ? { scopes: jwt.scopes } : {}),
          });
          made = context;
          return context;
        },
      });
      await sendGraphQLResponse(res, response);
    } finally {
      releaseRequestContext(made);
    }
  };

  const routes: Record<
    string,
    { methods: readonly string[]; handle: (req: IncomingMessage, res: ServerResponse) => unknown }
  > = {
    '/graphql': { methods: ['GET', 'HEAD', 'POST'], handle: handleGraphQL },
    '/health': {
      methods: ['GET', 'HEAD'],
      handle: (_req, res) => sendJson(res, 200, { status: 'ok' }),
    },
    '/ready': {
      methods: ['GET', 'HEAD'],
      handle: async (_req, res) => {
        const report = await readiness.check();
        sendJson(res, report.status, report.body);
      },
    },
    ...(playground ? { '/': { methods: ['GET', 'HEAD'], handle: (req, res) => playground.handle(req, res) } } : {}),
    ...(config.metrics.port === undefined
      ? { [METRICS_PATH]: { methods: ['GET', 'HEAD'], handle: observability.serveMetrics } }
      : {}),
  } satisfies Record<
    string,
    { methods: readonly string[]; handle: (req: IncomingMessage, res: ServerResponse) => unknown }
  >;

  const cors = createCors({ origins: config.corsOrigins, ...(tenants ? { headers: [tenants.header] } : {}) });
  httpServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route = Object.hasOwn(routes, path)
      ? routes[path]
      : path.startsWith(FILES_PREFIX)
        ? // The ticket is the rest of the path; the handler answers every failure itself, so no path is logged.
          { methods: ['GET', 'HEAD'], handle: files.handle }
        : undefined;
    if (route === undefined) {
      sendError(res, 404, 'NOT_FOUND', `No route ${path}; GraphQL is at /graphql`);
      return;
    }
    // CORS (CORS_ORIGINS) on the routes a browser on another origin calls: a preflight is answered there.
    const corsRoute = path === '/graphql' || path.startsWith(FILES_PREFIX);
    if (cors !== undefined && corsRoute && cors.handle(req, res, route.methods)) return;
    if (!route.methods.includes(req.method ?? '')) {
      sendError(res, 405, 'METHOD_NOT_ALLOWED', `${path} answers ${route.methods.join(', ')}`, {
        allow: route.methods.join(', '),
      });
      return;
    }
    const handle = () => route.handle(req, res);
    // GraphQL and downloads get a request id, an access line and the request metrics; the other routes do not.
    const observed = path === '/graphql' ? 'graphql' : path.startsWith(FILES_PREFIX) ? 'files' : undefined;
    const run = () =>
      Promise.resolve()
        // Inside a server span when tracing is on (/graphql and /files/: what reaches Profit).
        .then(() => (tracing ? tracing.traceRequest(req, res, path, handle) : handle()))
        .catch((error: unknown) => {
          if (error instanceof HttpError) {
            sendError(res, error.status, error.code, error.message);
            return;
          }
          logger.error(`unexpected error on ${req.method} ${path}: ${error instanceof Error ? error.stack : error}`);
          if (!res.headersSent) sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
          else res.destroy();
        });
    if (observed) observability.observe(observed, req, res, run);
    else run();
  });

  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.port, config.host, () => {
        httpServer.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await apollo.stop();
    throw listenFailure(error, `PORT ${config.port}`, `HOST ${config.host}`);
  }
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${displayHost(config.host)}:${port}`;
  const metrics = await serveMetricsOn(observability, {
    port: config.metrics.port,
    host: config.host,
    mainUrl: url,
  }).catch(async (error: unknown) => {
    await apollo.stop();
    throw listenFailure(error, `METRICS_PORT ${config.metrics.port}`, `HOST ${config.host}`);
  });

  // Not awaited: serving does not wait for the check, which only logs.
  const stopCheck = new AbortController();
  // Each service-mode environment's own (with tenants, its lines name the tenant).
  const checked = startupCheck ? environments.filter((e) => e.serviceClient !== undefined) : [];
  const modelCheck =
    checked.length === 0
      ? Promise.resolve(undefined)
      : Promise.all(
          checked.map((e) => {
            const at = e.tenant === undefined ? '' : `tenant '${e.tenant}': `;
            const log = {
              warn: (m: string) => logger.warn(`${at}${m}`),
              info: (m: string) => logger.info(`${at}${m}`),
            };
            return checkAtStart(e.serviceClient as ProfitClient, describeModel(), log, stopCheck.signal);
          }),
        ).then((findings) => findings.flat());

  let closing: Promise<void> | undefined;
  return {
    url,
    graphqlUrl: `${url}/graphql`,
    playgroundUrl: playground ? `${url}/` : undefined,
    metricsUrl: metrics.url,
    connection,
    ...(tenants ? { tenants: tenants.list.map((t) => t.name) } : {}),
    credentialMode: config.credential.kind,
    emulator,
    connections: () =>
      new Promise<number>((resolve, reject) =>
        httpServer.getConnections((error, count) => (error ? reject(error) : resolve(count))),
      ),
    uploads: () => uploadSlots.load,
    modelCheck,
    close() {
      closing ??= (async () => {
        readiness.drain();
        stopCheck.abort();
        // The pre-stop grace (SHUTDOWN_DELAY_MS): a load balancer or Kubernetes learns of the end only from
        // `/ready` (or after the signal, asynchronously), and keeps sending new requests for a while. Closing the
        // listener at once refuses them; serving them for a few seconds more, while `/ready` says 503, loses none.
        if (config.shutdownDelayMs > 0) await delay(config.shutdownDelayMs);
        await modelCheck;
        // The drain plugin closes the HTTP server, waits for running requests (up to 10 s), then ends the rest.
        await apollo.stop();
        await metrics.close();
        await Promise.all(environments.map((e) => e.connection.close()));
        profitCaps?.close();
        for (const e of environments) e.close();
        await redis?.quit().catch(() => redis.disconnect());
        await emulator?.close();
        // Last, so the spans of the requests that just finished are exported.
        await tracing?.shutdown();
      })();
      return closing;
    },
  };
}

/**
 * Lines that tell a new user where to go and which demo credentials to use. The demo users' tokens only for a
 * terminal (`interactive`): stdout also carries the JSON log lines a collector ingests, and a token there is a token
 * in the logs, even a demo one; otherwise the line names the emulator's endpoint that lists them.
 */
export function describeService(service: Service, interactive = false): string[] {
  const lines = [`profit-subgraph: GraphQL at ${service.graphqlUrl}`];
  if (service.playgroundUrl) lines.push(`Playground: ${service.playgroundUrl}`);
  lines.push(`Metrics: ${service.metricsUrl}`);
  if (service.emulator) {
    lines.push(`Profit: the embedded emulator at ${service.emulator.baseUrl} (demo company)`);
    if (interactive) {
      lines.push('Demo users (send one as the Authorization header; the Playground opens with admin):');
      for (const app of credentials(service.emulator.company)) {
        for (const user of app.users) lines.push(`  ${user.name.padEnd(8)} Authorization: ${user.authorization}`);
      }
    } else {
      const admin = new URL('/__emulator/credentials', service.emulator.baseUrl).href;
      lines.push(`Demo users: GET ${admin} (the Playground opens with admin)`);
    }
  } else if (service.tenants) {
    lines.push(
      `Profit: ${service.tenants.length} environments, tenants ${service.tenants.join(', ')} (docs/tenants.md)`,
    );
  } else {
    lines.push(`Profit: ${service.connection.baseUrl}`);
  }
  lines.push(
    service.tenants
      ? "Credentials: each tenant's own (its entry's PROFIT_TOKEN or OAuth client, else pass-through)"
      : service.credentialMode === 'pass-through'
        ? 'Credentials: pass-through (each request sends its own Authorization: AfasToken … or Bearer …)'
        : `Credentials: one service ${service.credentialMode === 'token' ? 'token' : 'OAuth client'} for every request`,
  );
  return lines;
}
