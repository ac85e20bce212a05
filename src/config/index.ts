/**
 * Environment → one typed, frozen Config. Every default lives here, with its unit.
 * Nothing else in the project reads `process.env`.
 */

import { createPublicKey } from 'node:crypto';
// The client's own pure checks, imported from their modules: the configuration loads without the HTTP client.
import { normalizeBaseUrl, profitBaseUrl } from '../profit/address.js';
import { AFAS_TOKEN_SHAPE, isAfasToken } from '../profit/credentials.js';
import { ConfigError } from './error.js';
import { OWN_SETTINGS, parseTenantList, type TenantEntry, tenantListText } from './tenants.js';
import { type NamesOf, VARIABLES, type Variable, type VariableName } from './variables.js';

export { type CommandName, GROUPS, VARIABLES, type Variable, type VariableName, variableList } from './variables.js';

export type EnvironmentType = 'production' | 'test' | 'accept';

export type ProfitTarget =
  /** No Profit settings: the embedded emulator serves the demo company. */
  | { readonly kind: 'emulator'; readonly seed: number; readonly scale: number; readonly port: number }
  /** A real Profit environment by number and type, or any base URL (a proxy, a separately run emulator). */
  | {
      readonly kind: 'profit';
      readonly environmentId?: string;
      readonly environmentType: EnvironmentType;
      readonly baseUrl?: string;
    };

/** How the service authenticates to Profit. */
export type ServiceCredential =
  /** Each GraphQL request carries the caller's own Profit `Authorization` value (default). */
  | { readonly kind: 'pass-through' }
  /** One classic token for every request (XML token or its 64-hex data part). */
  | { readonly kind: 'token'; readonly token: string }
  /** OAuth 2 client credentials for every request. */
  | { readonly kind: 'oauth'; readonly clientId: string; readonly clientSecret: string };

export interface Config {
  /** @default 4000 */
  readonly port: number;
  /** @default '127.0.0.1' (the Dockerfile sets 0.0.0.0) */
  readonly host: string;
  readonly production: boolean;
  /** The GraphiQL Playground at `/`. @default true, false when `NODE_ENV=production` */
  readonly playground: boolean;
  /** GraphQL introspection (`__schema`, `__type`). @default true, false when `NODE_ENV=production` */
  readonly introspection: boolean;
  /**
   * Origins whose browser scripts may call `/graphql` and the file downloads (CORS, src/server/cors.ts), exact and
   * normalized (`https://app.example.com`). @default none: no CORS headers, preflights refused
   */
  readonly corsOrigins: readonly string[];
  /**
   * Persisted operations (src/server/persisted-operations.ts): the manifest's path, and whether it is a safelist.
   * @default undefined: none
   */
  readonly persistedOperations?: { readonly path: string; readonly only: boolean };
  /** Largest accepted GraphQL request body; a larger one gets 413. @default 1_048_576 bytes (1 MiB) */
  readonly maxRequestBytes: number;
  /**
   * Largest body of a mutation carrying files (base64 attachments), accepted only from a credential whose app
   * connector grants an UpdateConnector; Profit itself takes at most 75 MB per request, attachments included.
   * Never below `maxRequestBytes`. @default 83_886_080 bytes (80 MiB)
   */
  readonly maxUploadBytes: number;
  /**
   * On SIGTERM, how long `/ready` answers 503 while requests are still served, before the listener closes.
   * @default 0 ms, 5_000 ms when `NODE_ENV=production`
   */
  readonly shutdownDelayMs: number;
  /** With tenants: the first tenant's (the commands that talk to one environment use it). */
  readonly target: ProfitTarget;
  /** With tenants: the first tenant's. */
  readonly credential: ServiceCredential;
  /**
   * Several Profit environments in one deployment (`PROFIT_TENANTS_FILE`, docs/tenants.md).
   * @default undefined: one environment, `target` / `credential` / `profit`
   */
  readonly tenants?: TenantsConfig;
  /**
   * `redis://` or `rediss://` URL of the Redis replicas share state through (issue 14: the cap of parallel Profit
   * calls, tokens, grants, persisted queries). @default undefined: each process alone, as a single replica.
   */
  readonly redisUrl?: string;
  /** The optional response cache of read operations (src/server/response-cache). */
  readonly responseCache: {
    /** How long an answer is kept; 0: off. @default 0 s */
    readonly ttlSeconds: number;
    /** Without Redis: the bound of the in-memory cache. @default 16 MiB */
    readonly maxBytes: number;
  };
  /** With tenants: the first tenant's. */
  readonly profit: ProfitSettings;
  /**
   * The model the service serves (`PROFIT_MODEL`): `demo` (src/model) or a folder src/model/<name>, such as
   * `profit-subgraph generate` writes. @default 'demo'
   */
  readonly model: string;
  /** @default 'info' */
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** `json`: one JSON object a line (for a log collector); `pretty`: pino-pretty, for a terminal. @default 'json' */
  readonly logFormat: 'json' | 'pretty';
  /** Prometheus metrics (`GET /metrics`). */
  readonly metrics: {
    /**
     * Serve `/metrics` on this port (on `host`) instead of the main port, so it need not be exposed with the API;
     * 0 picks a free port. @default undefined (on the main port)
     */
    readonly port?: number;
    /**
     * GraphQL operation names that get their own `operation` label (`METRICS_OPERATIONS`, comma-separated); every
     * other operation is counted as `other`, so a client cannot grow the label set. @default none
     */
    readonly operations: readonly string[];
  };
  /** Authorization (src/graphql/auth): the grant cache and, in service mode, JWT scope narrowing. */
  readonly auth: {
    /** How long a credential's grant (Profit's metainfo) is cached. @default 300 s */
    readonly permissionsTtlSeconds: number;
    /** Set when a verified JWT is required and its scopes narrow the service credential's grant (service mode). */
    readonly jwt?: JwtConfig;
  };
  /** Limits on one GraphQL request, checked before any resolver runs. */
  readonly limits: {
    /** Deepest field nesting. @default 15 */
    readonly maxDepth: number;
    /** Largest estimated cost (Profit calls: a list multiplies its children by `first`). @default 5000 */
    readonly maxCost: number;
    /** Most aliased fields. @default 50 */
    readonly maxAliases: number;
    /** Most `_entities` representations. @default 1000 */
    readonly maxRepresentations: number;
    /** Most file contents (file connector calls) one operation may fetch. @default 100 */
    readonly maxFiles: number;
  };
  /** Downloads (`downloadUrl`, `contentBase64`) of attachments, reports, files and images. */
  readonly files: {
    /**
     * The service's public base URL (scheme, host, optional path; no trailing slash) for the download links it
     * hands out. Set it behind a proxy or router. @default the request's `Host` header over `http://`
     */
    readonly publicUrl?: string;
    /**
     * The 32-byte AES-256-GCM key that seals download tickets. Every instance behind one router must share it.
     * @default a random key per process (tickets then work only on the instance that issued them)
     */
    readonly ticketSecret?: Buffer;
    /** How long a download link works. @default 600 s */
    readonly ticketTtlSeconds: number;
    /** The largest file `contentBase64` returns inline (a caller may ask for less). @default 5_242_880 bytes (5 MiB) */
    readonly inlineMaxBytes: number;
    /**
     * Reports this deployment serves besides the model's (`PROFIT_REPORTS`), each with the GetConnector it renders:
     * `report(id)` refuses any other id. @default none
     */
    readonly reports: readonly { readonly id: string; readonly source: string }[];
  };
  /** Bounds that keep slow, large or made-up clients from starving the others (README, "Bounds"). */
  readonly bounds: {
    /** The request line and headers must arrive within this. @default 10_000 ms */
    readonly headersTimeoutMs: number;
    /** The whole body of a request up to `maxRequestBytes` must arrive within this. @default 10_000 ms */
    readonly bodyTimeoutMs: number;
    /** The whole body of an upload (over `maxRequestBytes`) must arrive within this. @default 120_000 ms */
    readonly uploadTimeoutMs: number;
    /** Sockets open at once; beyond, a new one is closed at once. @default 1024 */
    readonly maxConnections: number;
    /** Uploads (bodies over `maxRequestBytes`) in progress at once; beyond, 503 `TOO_MANY_UPLOADS`. @default 2 */
    readonly maxConcurrentUploads: number;
    /** Body bytes all uploads in progress may hold together (declared, else `maxUploadBytes` each). @default 167_772_160 (160 MiB) */
    readonly uploadMemoryBytes: number;
    /** Parallel `/metainfo` calls verifying credentials not yet known, beside `profit.maxConcurrent`. @default 2 */
    readonly credentialCheckConcurrency: number;
    /** How long a credential Profit refused (401) is refused again without asking. 0: off. @default 30 s */
    readonly refusedCredentialTtlSeconds: number;
  };
}

/** How the service calls one Profit environment. */
export interface ProfitSettings {
  /** Sent as `IntegrationId` on every call; mandatory for certified partner integrations. */
  readonly integrationId?: string;
  /** @default 'nl-nl' */
  readonly acceptLanguage: string;
  /** Parallel calls per Profit environment (Profit documents 5–8). @default 4 */
  readonly maxConcurrent: number;
  /** @default 30_000 ms */
  readonly timeoutMs: number;
  /** Attempts for a GET, including the first. @default 3 */
  readonly retryAttempts: number;
  /** A 503 whose `retry_after` is longer than this fails fast instead of waiting. @default 10 s */
  readonly maxRetryAfterSeconds: number;
  /**
   * During a maintenance window (such a 503), calls fail fast without reaching Profit until its `retry_after`,
   * but for one probe at a time, at most one per this interval; 0: a probe whenever none is in flight. @default 0 s
   */
  readonly maintenanceProbeSeconds: number;
  /** What carries GetConnector reads and UpdateConnector writes (docs/soap.md). @default 'rest' */
  readonly transport: 'rest' | 'soap';
  /** Validate a SOAP write's XML against its UpdateConnector's XSD before sending (docs/xml.md). @default true */
  readonly validateXml: boolean;
}

/** One Profit environment of several (docs/tenants.md). */
export interface Tenant {
  /** What a request names it by (header, JWT claim); letters, digits, `_`, `-`, `.`. */
  readonly name: string;
  /** With `by: 'host'`: the host names (lower-case, no port) it is served on. */
  readonly hosts: readonly string[];
  readonly target: Extract<ProfitTarget, { kind: 'profit' }>;
  readonly credential: ServiceCredential;
  readonly profit: ProfitSettings;
}

export interface TenantsConfig {
  /** How a request names its tenant (`PROFIT_TENANT_BY`). @default 'header' */
  readonly by: 'header' | 'host' | 'jwt';
  /** `PROFIT_TENANT_HEADER`, lower-case. @default 'x-profit-environment' */
  readonly header: string;
  /** `PROFIT_TENANT_CLAIM`. @default 'profit_tenant' */
  readonly claim: string;
  /** In the file's order; at least one. */
  readonly list: readonly Tenant[];
}

/** How to verify a caller's JWT: exactly one key source; issuer and audience checked when given. */
export interface JwtConfig {
  /** A JWKS endpoint (`JWT_JWKS_URL`), fetched and cached by jose. */
  readonly jwksUrl?: string;
  /** A PEM public key (`JWT_PUBLIC_KEY`, SPKI), RS/PS/ES/EdDSA. */
  readonly publicKey?: string;
  /** A shared secret for HS256/384/512 (`JWT_SECRET`). */
  readonly secret?: string;
  readonly issuer?: string;
  readonly audience?: string;
}

export { ConfigError };

type Env = Readonly<Record<string, string | undefined>>;

/*
 * The readers below take a variable's name, and its type, default and bounds from its entry in variables.ts: a
 * name not declared there does not compile. `production` picks an entry's `productionDefault`.
 */

function text(env: Env, name: VariableName): string | undefined {
  const value = env[name]?.trim();
  return value === '' ? undefined : value;
}

/**
 * A bad value as a message shows it: quoted, control characters escaped and cut at 60 characters, so every
 * configuration error stays one line however the value was pasted. Never used for a secret.
 */
function shown(raw: string): string {
  const escaped = JSON.stringify(raw.length > 60 ? `${raw.slice(0, 60)}…` : raw).slice(1, -1);
  return `'${escaped.replace(/'/g, "\\'")}'`;
}

/** A value sent as an HTTP header (or inside one): one line, no control characters. */
function headerText(env: Env, name: NamesOf<'string'>): string | undefined {
  const value = text(env, name);
  if (value !== undefined && [...value].some((c) => c < ' ' || c === '\u007f')) {
    throw new ConfigError(`${name} must be a single line without control characters`);
  }
  return value;
}

function integer(env: Env, name: NamesOf<'integer'>, production = false): number {
  const variable: Extract<Variable, { type: 'integer' }> = VARIABLES[name];
  const { min, max } = variable;
  const raw = text(env, name);
  if (raw === undefined) return production ? (variable.productionDefault ?? variable.default) : variable.default;
  if (!/^-?\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number, got ${shown(raw)}`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

type ValueOf<N extends NamesOf<'enum'>> = (typeof VARIABLES)[N]['values'][number];

function oneOf<N extends NamesOf<'enum'>>(env: Env, name: N): ValueOf<N> {
  const variable: Extract<Variable, { type: 'enum' }> = VARIABLES[name];
  const raw = text(env, name)?.toLowerCase();
  if (raw === undefined) return variable.default as ValueOf<N>;
  if (!variable.values.includes(raw)) {
    throw new ConfigError(`${name} must be one of ${variable.values.join(', ')}, got ${shown(raw)}`);
  }
  return raw as ValueOf<N>;
}

function flag(env: Env, name: NamesOf<'boolean'>, production = false): boolean {
  const variable: Extract<Variable, { type: 'boolean' }> = VARIABLES[name];
  const raw = text(env, name)?.toLowerCase();
  if (raw === undefined) return production ? (variable.productionDefault ?? variable.default) : variable.default;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(`${name} must be true or false, got ${shown(raw)}`);
}

/** A 32-byte key as 64 hex digits or base64 (standard or URL-safe) of 32 bytes. */
function secretKey(env: Env, name: VariableName): Buffer | undefined {
  const raw = text(env, name);
  if (raw === undefined) return undefined;
  const key = /^[0-9a-fA-F]{64}$/.test(raw)
    ? Buffer.from(raw, 'hex')
    : /^[A-Za-z0-9+/_-]{43}=?$/.test(raw)
      ? Buffer.from(raw, 'base64')
      : undefined;
  // The value itself is never echoed: it is a secret.
  if (key?.length !== 32) throw new ConfigError(`${name} must be 32 bytes as 64 hex digits or base64`);
  return key;
}

function publicUrl(env: Env, name: VariableName): string | undefined {
  const raw = text(env, name);
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be an absolute http:// or https:// URL, got ${shown(raw)}`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search !== '' || url.hash !== '') {
    throw new ConfigError(`${name} must be an http:// or https:// URL without query or fragment, got ${shown(raw)}`);
  }
  if (url.username !== '' || url.password !== '') throw new ConfigError(`${name} must not contain credentials`);
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/**
 * Comma-separated exact origins (scheme, host, optional port), each normalized as a browser sends its `Origin`
 * (lower-case host, default port dropped). `*` is refused: any site a visitor opens could then use the visitor's
 * network position to reach a service on a private network (Apollo's CORS page warns of the same).
 */
function origins(env: Env, name: VariableName): string[] {
  const value = text(env, name);
  if (value === undefined) return [];
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
    .map((item) => {
      let url: URL | undefined;
      try {
        url = new URL(item);
      } catch {
        url = undefined;
      }
      // Not echoed: a value with user information may carry a password.
      if (url !== undefined && (url.username !== '' || url.password !== '')) {
        throw new ConfigError(`${name} must list origins without credentials`);
      }
      if (
        url === undefined ||
        url.pathname !== '/' ||
        (url.protocol !== 'http:' && url.protocol !== 'https:') ||
        url.search !== '' ||
        url.hash !== ''
      ) {
        throw new ConfigError(
          `${name} must list origins such as https://app.example.com (scheme, host, port; no path, no *), separated by commas, got ${shown(item)}`,
        );
      }
      return url.origin;
    });
}

/** PERSISTED_OPERATIONS and PERSISTED_OPERATIONS_ONLY; a safelist without a manifest is refused. */
function persistedOperationsOf(env: Env): Pick<Config, 'persistedOperations'> {
  const path = text(env, 'PERSISTED_OPERATIONS');
  const only = flag(env, 'PERSISTED_OPERATIONS_ONLY');
  if (path === undefined) {
    if (only) throw new ConfigError('PERSISTED_OPERATIONS_ONLY=true needs PERSISTED_OPERATIONS, the manifest to allow');
    return {};
  }
  return { persistedOperations: { path, only } };
}

/** `REDIS_URL`: a redis:// or rediss:// URL (its password, if any, never echoed). */
function redisUrlOf(env: Env): string | undefined {
  const raw = text(env, 'REDIS_URL');
  if (raw === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'redis:' && url.protocol !== 'rediss:') || url.hostname === '') {
    throw new ConfigError('REDIS_URL must be a redis:// or rediss:// URL, e.g. redis://redis:6379/0');
  }
  return raw;
}

/** GraphQL names (a letter or `_`, then letters, digits, `_`), separated by commas or white space. */
function graphqlNames(env: Env, name: VariableName): string[] {
  const value = text(env, name);
  if (value === undefined) return [];
  const names = value.split(/[\s,]+/).filter((item) => item !== '');
  const bad = names.find((item) => !/^[_A-Za-z][_0-9A-Za-z]{0,99}$/.test(item));
  if (bad !== undefined) throw new ConfigError(`${name} must list GraphQL operation names, got ${shown(bad)}`);
  return [...new Set(names)];
}

/** Profit ids: letters, digits, `_`, `-`, `.` (as src/graphql/auth/roles.ts checks them). */
const PROFIT_ID = /^[A-Za-z0-9_.-]+$/;

/** `<reportId>=<GetConnector>` pairs, separated by commas or white space. */
function reports(env: Env, name: VariableName): { id: string; source: string }[] {
  const value = text(env, name);
  if (value === undefined) return [];
  return value
    .split(/[\s,]+/)
    .filter((item) => item !== '')
    .map((item) => {
      const [id = '', source = '', ...rest] = item.split('=');
      if (!PROFIT_ID.test(id) || !PROFIT_ID.test(source) || rest.length > 0) {
        throw new ConfigError(
          `${name} must list <reportId>=<GetConnector> pairs (e.g. 5A1B…C9=Profit_Employees), got ${JSON.stringify(item)}`,
        );
      }
      return { id, source };
    });
}

function deepFreeze<T>(value: T): T {
  // A Buffer cannot be frozen (typed arrays with elements); it is kept private to the config's reader.
  if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/**
 * What production refuses unless a setting says it is meant (each a one-line ConfigError naming the variables):
 *
 * - the embedded emulator (no `PROFIT_ENVIRONMENT` or `PROFIT_BASE_URL`): a deployment that lost its Profit
 *   settings would otherwise serve the demo company and print its users' tokens, looking healthy.
 *   `EMULATOR_IN_PRODUCTION=true` serves it on purpose (the Docker demo).
 * - service mode without JWT verification: one Profit credential then answers every caller who reaches the
 *   port, with everything that credential grants. `SERVICE_MODE_WITHOUT_JWT=allow-all` says that is meant (a
 *   router in front authenticates and authorizes callers).
 *
 * Either setting where it does not apply is refused too: it would suggest a protection or a risk that is not there.
 */
function checkProductionSafety(
  env: Env,
  settings: {
    production: boolean;
    target: ProfitTarget;
    credential: ServiceCredential;
    /** The first JWT key setting given, if any. */
    jwt: string | undefined;
  },
): void {
  const { production, target, credential, jwt } = settings;
  const emulatorInProduction = flag(env, 'EMULATOR_IN_PRODUCTION');
  if (emulatorInProduction && target.kind !== 'emulator') {
    throw new ConfigError('EMULATOR_IN_PRODUCTION=true contradicts PROFIT_ENVIRONMENT / PROFIT_BASE_URL: remove one');
  }
  const withoutJwt = oneOf(env, 'SERVICE_MODE_WITHOUT_JWT');
  const serviceSetting = credential.kind === 'token' ? 'PROFIT_TOKEN' : 'PROFIT_OAUTH_CLIENT_ID';
  if (withoutJwt === 'allow-all' && jwt !== undefined) {
    throw new ConfigError(`SERVICE_MODE_WITHOUT_JWT=allow-all contradicts ${jwt}: remove one`);
  }
  if (withoutJwt === 'allow-all' && credential.kind === 'pass-through') {
    throw new ConfigError(
      'SERVICE_MODE_WITHOUT_JWT=allow-all applies to service mode only: set PROFIT_TOKEN or the PROFIT_OAUTH_CLIENT_* pair, or remove it',
    );
  }
  if (!production) return;
  if (target.kind === 'emulator' && !emulatorInProduction) {
    throw new ConfigError(
      'NODE_ENV=production needs PROFIT_ENVIRONMENT or PROFIT_BASE_URL; set EMULATOR_IN_PRODUCTION=true to serve the demo emulator instead',
    );
  }
  if (credential.kind !== 'pass-through' && jwt === undefined && withoutJwt !== 'allow-all') {
    throw new ConfigError(
      `NODE_ENV=production with ${serviceSetting} but no JWT_JWKS_URL, JWT_PUBLIC_KEY or JWT_SECRET lets every caller use everything that credential grants; set one, or SERVICE_MODE_WITHOUT_JWT=allow-all if a router in front authorizes callers`,
    );
  }
}

/** One Profit environment's settings in `env`: where it is, the credential, how it is called. */
function profitEnvironmentOf(env: Env): Pick<Config, 'target' | 'credential' | 'profit'> {
  const environmentId = text(env, 'PROFIT_ENVIRONMENT');
  if (environmentId !== undefined && !/^\d{5}$/.test(environmentId)) {
    throw new ConfigError(`PROFIT_ENVIRONMENT must be the 5-digit environment number, got ${shown(environmentId)}`);
  }
  const baseUrl = text(env, 'PROFIT_BASE_URL');
  if (baseUrl !== undefined) {
    // The client's own rule, checked here so a bad value stops the start with its name. Not echoed: a URL may
    // carry credentials.
    try {
      normalizeBaseUrl(baseUrl);
    } catch {
      throw new ConfigError(
        'PROFIT_BASE_URL must be an absolute http:// or https:// URL without credentials, query or fragment',
      );
    }
  }
  const transport = oneOf(env, 'PROFIT_TRANSPORT');
  if (transport === 'soap' && baseUrl !== undefined && !/\/ProfitRestServices\/*$/i.test(new URL(baseUrl).pathname)) {
    // The SOAP services sit beside the REST ones (`…/ProfitServices`): only such a base says where.
    throw new ConfigError(
      'PROFIT_TRANSPORT=soap needs a PROFIT_BASE_URL ending in /ProfitRestServices (the SOAP base is derived from it)',
    );
  }
  const target: ProfitTarget =
    environmentId === undefined && baseUrl === undefined
      ? {
          kind: 'emulator',
          seed: integer(env, 'EMULATOR_SEED'),
          scale: integer(env, 'EMULATOR_SCALE'),
          port: integer(env, 'EMULATOR_PORT'),
        }
      : {
          kind: 'profit',
          environmentId,
          environmentType: oneOf(env, 'PROFIT_ENVIRONMENT_TYPE'),
          baseUrl,
        };

  const token = text(env, 'PROFIT_TOKEN');
  const clientId = headerText(env, 'PROFIT_OAUTH_CLIENT_ID');
  const clientSecret = text(env, 'PROFIT_OAUTH_CLIENT_SECRET');
  if ((clientId === undefined) !== (clientSecret === undefined)) {
    throw new ConfigError('PROFIT_OAUTH_CLIENT_ID and PROFIT_OAUTH_CLIENT_SECRET go together');
  }
  if (token !== undefined && clientId !== undefined) {
    throw new ConfigError('Set either PROFIT_TOKEN or the PROFIT_OAUTH_CLIENT_* pair, not both');
  }
  // The token is checked as the client will read it, and never echoed: only its length is.
  if (token !== undefined && !isAfasToken(token)) {
    throw new ConfigError(
      `PROFIT_TOKEN must be ${AFAS_TOKEN_SHAPE}; got ${token.length} characters that match neither`,
    );
  }
  const credential: ServiceCredential =
    token !== undefined
      ? { kind: 'token', token }
      : clientId !== undefined && clientSecret !== undefined
        ? { kind: 'oauth', clientId, clientSecret }
        : { kind: 'pass-through' };
  const profit: ProfitSettings = {
    integrationId: headerText(env, 'PROFIT_INTEGRATION_ID'),
    acceptLanguage: headerText(env, 'PROFIT_ACCEPT_LANGUAGE') ?? VARIABLES.PROFIT_ACCEPT_LANGUAGE.default,
    maxConcurrent: integer(env, 'PROFIT_MAX_CONCURRENT'),
    timeoutMs: integer(env, 'PROFIT_TIMEOUT_MS'),
    retryAttempts: integer(env, 'PROFIT_RETRY_ATTEMPTS'),
    maxRetryAfterSeconds: integer(env, 'PROFIT_MAX_RETRY_AFTER_SECONDS'),
    maintenanceProbeSeconds: integer(env, 'PROFIT_MAINTENANCE_PROBE_SECONDS'),
    transport,
    validateXml: flag(env, 'PROFIT_VALIDATE_XML'),
  };
  return { target, credential, profit };
}

/**
 * `PROFIT_TENANTS_FILE` / `PROFIT_TENANTS` (src/config/tenants.ts): undefined without either, when the tenant
 * settings are refused too (they would suggest a separation that is not there).
 */
function tenantsOf(env: Env): TenantsConfig | undefined {
  const file = text(env, 'PROFIT_TENANTS_FILE');
  const listText = tenantListText(file, text(env, 'PROFIT_TENANTS'));
  if (listText === undefined) {
    for (const name of ['PROFIT_TENANT_BY', 'PROFIT_TENANT_HEADER', 'PROFIT_TENANT_CLAIM'] as const) {
      if (text(env, name) !== undefined) {
        throw new ConfigError(`${name} applies with PROFIT_TENANTS_FILE or PROFIT_TENANTS only: remove it`);
      }
    }
    return undefined;
  }
  const source = file !== undefined ? 'PROFIT_TENANTS_FILE' : 'PROFIT_TENANTS';
  for (const name of OWN_SETTINGS) {
    if (text(env, name) !== undefined) {
      throw new ConfigError(`${name} belongs in a tenant's entry of ${source}, not in the process's environment`);
    }
  }
  const by = oneOf(env, 'PROFIT_TENANT_BY');
  const header = (text(env, 'PROFIT_TENANT_HEADER') ?? VARIABLES.PROFIT_TENANT_HEADER.default).toLowerCase();
  if (!/^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(header) || ['authorization', 'host', 'cookie'].includes(header)) {
    throw new ConfigError(`PROFIT_TENANT_HEADER must be a header name of its own, got ${shown(header)}`);
  }
  const claim = text(env, 'PROFIT_TENANT_CLAIM') ?? VARIABLES.PROFIT_TENANT_CLAIM.default;
  const list = parseTenantList(listText, source, by === 'host').map((entry) => tenantOf(env, entry, source));
  checkSharedEnvironments(list, source);
  return { by, header, claim, list };
}

/**
 * Tenants on one Profit environment share its budget (with REDIS_URL one budget, named after its base URL), and
 * Profit's limit is per environment: they must agree on its size. The message names no address (a base URL is never
 * shown).
 */
function checkSharedEnvironments(list: readonly Tenant[], source: string): void {
  const seen = new Map<string, Tenant>();
  for (const tenant of list) {
    const { baseUrl, environmentId, environmentType } = tenant.target;
    const address =
      baseUrl !== undefined
        ? normalizeBaseUrl(baseUrl).href
        : profitBaseUrl({ id: environmentId ?? '', type: environmentType });
    const other = seen.get(address);
    if (other !== undefined && other.profit.maxConcurrent !== tenant.profit.maxConcurrent) {
      throw new ConfigError(
        `${source}: tenants '${other.name}' and '${tenant.name}' use one Profit environment, whose limit they share: give them the same PROFIT_MAX_CONCURRENT`,
      );
    }
    seen.set(address, other ?? tenant);
  }
}

/** A tenant: its entry's settings over the process's call settings, never over its environment or credential. */
function tenantOf(env: Env, entry: TenantEntry, source: string): Tenant {
  const inherited: Record<string, string | undefined> = { ...env };
  for (const name of OWN_SETTINGS) delete inherited[name];
  try {
    const { target, credential, profit } = profitEnvironmentOf({ ...inherited, ...entry.settings });
    // Never the embedded emulator: a tenant whose environment is missing must not serve the demo company.
    if (target.kind !== 'profit') throw new ConfigError('needs PROFIT_ENVIRONMENT or PROFIT_BASE_URL');
    return { name: entry.name, hosts: entry.hosts, target, credential, profit };
  } catch (error) {
    throw error instanceof ConfigError ? new ConfigError(`${source}: tenant '${entry.name}': ${error.message}`) : error;
  }
}

export function loadConfig(env: Env = process.env): Config {
  const tenants = tenantsOf(env);
  const { target, credential, profit } = tenants?.list[0] ?? profitEnvironmentOf(env);
  // Service mode or not, per environment: with tenants, every tenant's.
  const source = text(env, 'PROFIT_TENANTS_FILE') !== undefined ? 'PROFIT_TENANTS_FILE' : 'PROFIT_TENANTS';
  const environments = tenants
    ? tenants.list.map((t) => ({ ...t, at: `${source}: tenant '${t.name}': ` }))
    : [{ target, credential, at: '' }];

  const jwtSources = (['JWT_JWKS_URL', 'JWT_PUBLIC_KEY', 'JWT_SECRET'] as const).filter((k) => text(env, k));
  if (jwtSources.length > 1) throw new ConfigError(`Set one of ${jwtSources.join(', ')}, not several`);
  const jwksUrl = text(env, 'JWT_JWKS_URL');
  if (jwksUrl !== undefined && !/^https?:\/\//.test(jwksUrl)) {
    throw new ConfigError('JWT_JWKS_URL must start with http:// or https://');
  }
  if (jwksUrl !== undefined && !URL.canParse(jwksUrl)) {
    // Not echoed: a URL may carry credentials.
    throw new ConfigError('JWT_JWKS_URL must be an absolute URL');
  }
  const publicKey = text(env, 'JWT_PUBLIC_KEY')?.replace(/\\n/g, '\n');
  if (publicKey !== undefined) {
    try {
      createPublicKey(publicKey);
    } catch {
      throw new ConfigError('JWT_PUBLIC_KEY must be a PEM public key (-----BEGIN PUBLIC KEY----- …, SPKI)');
    }
  }
  for (const each of environments) {
    // A pass-through request's Authorization is its Profit credential, so it cannot also carry a JWT.
    if (jwtSources.length > 0 && each.credential.kind === 'pass-through') {
      throw new ConfigError(
        `${each.at}${jwtSources[0]} narrows a service credential with a JWT's scopes: set PROFIT_TOKEN or the PROFIT_OAUTH_CLIENT_* pair too`,
      );
    }
  }
  if (tenants?.by === 'jwt' && jwtSources.length === 0) {
    throw new ConfigError('PROFIT_TENANT_BY=jwt needs JWT_JWKS_URL, JWT_PUBLIC_KEY or JWT_SECRET to verify the claim');
  }
  const jwt: JwtConfig | undefined =
    jwtSources.length === 0
      ? undefined
      : {
          jwksUrl,
          publicKey,
          secret: text(env, 'JWT_SECRET'),
          issuer: text(env, 'JWT_ISSUER'),
          audience: text(env, 'JWT_AUDIENCE'),
        };

  // Production hides the schema and the Playground unless asked: an open Playground invites anyone who finds the
  // URL to explore, and introspection hands them the whole schema.
  const production = text(env, 'NODE_ENV') === 'production';
  for (const each of environments) {
    try {
      checkProductionSafety(env, { production, target: each.target, credential: each.credential, jwt: jwtSources[0] });
    } catch (error) {
      throw error instanceof ConfigError ? new ConfigError(`${each.at}${error.message}`) : error;
    }
  }
  const maxRequestBytes = integer(env, 'MAX_REQUEST_BYTES');
  const redisUrl = redisUrlOf(env);
  const port = integer(env, 'PORT');
  const metricsPort = text(env, 'METRICS_PORT') !== undefined ? integer(env, 'METRICS_PORT') : undefined;
  if (metricsPort !== undefined && metricsPort !== 0 && metricsPort === port) {
    throw new ConfigError(
      `METRICS_PORT ${metricsPort} is PORT too: leave METRICS_PORT unset to serve /metrics on PORT`,
    );
  }
  return deepFreeze<Config>({
    port,
    host: text(env, 'HOST') ?? VARIABLES.HOST.default,
    production,
    playground: flag(env, 'PLAYGROUND', production),
    introspection: flag(env, 'INTROSPECTION', production),
    corsOrigins: origins(env, 'CORS_ORIGINS'),
    ...persistedOperationsOf(env),
    maxRequestBytes,
    maxUploadBytes: Math.max(maxRequestBytes, integer(env, 'MAX_UPLOAD_BYTES')),
    shutdownDelayMs: integer(env, 'SHUTDOWN_DELAY_MS', production),
    target,
    credential,
    ...(tenants ? { tenants } : {}),
    ...(redisUrl !== undefined ? { redisUrl } : {}),
    responseCache: {
      ttlSeconds: integer(env, 'RESPONSE_CACHE_TTL_SECONDS'),
      maxBytes: integer(env, 'RESPONSE_CACHE_MAX_BYTES'),
    },
    profit,
    model: text(env, 'PROFIT_MODEL') ?? VARIABLES.PROFIT_MODEL.default,
    logLevel: oneOf(env, 'LOG_LEVEL'),
    logFormat: oneOf(env, 'LOG_FORMAT'),
    metrics: {
      ...(metricsPort !== undefined ? { port: metricsPort } : {}),
      operations: graphqlNames(env, 'METRICS_OPERATIONS'),
    },
    auth: {
      permissionsTtlSeconds: integer(env, 'PERMISSIONS_TTL_SECONDS'),
      ...(jwt ? { jwt } : {}),
    },
    limits: {
      maxDepth: integer(env, 'MAX_QUERY_DEPTH'),
      maxCost: integer(env, 'MAX_QUERY_COST'),
      maxAliases: integer(env, 'MAX_ALIASES'),
      maxRepresentations: integer(env, 'MAX_ENTITY_REPRESENTATIONS'),
      maxFiles: integer(env, 'MAX_QUERY_FILES'),
    },
    files: {
      publicUrl: publicUrl(env, 'PUBLIC_URL'),
      ticketSecret: secretKey(env, 'FILE_TICKET_SECRET'),
      ticketTtlSeconds: integer(env, 'FILE_TICKET_TTL_SECONDS'),
      inlineMaxBytes: integer(env, 'FILE_INLINE_MAX_BYTES'),
      reports: reports(env, 'PROFIT_REPORTS'),
    },
    bounds: {
      headersTimeoutMs: integer(env, 'HEADERS_TIMEOUT_MS'),
      bodyTimeoutMs: integer(env, 'BODY_TIMEOUT_MS'),
      uploadTimeoutMs: integer(env, 'UPLOAD_TIMEOUT_MS'),
      maxConnections: integer(env, 'MAX_CONNECTIONS'),
      maxConcurrentUploads: integer(env, 'MAX_CONCURRENT_UPLOADS'),
      uploadMemoryBytes: integer(env, 'UPLOAD_MEMORY_BYTES'),
      credentialCheckConcurrency: integer(env, 'CREDENTIAL_CHECK_CONCURRENCY'),
      refusedCredentialTtlSeconds: integer(env, 'REFUSED_CREDENTIAL_TTL_SECONDS'),
    },
  });
}
