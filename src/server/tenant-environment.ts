/**
 * One Profit environment's part of the service: its connection (own caps, own OAuth tokens), the credential its
 * requests run with, its grant cache and its upload gate. With one environment there is one; with tenants
 * (docs/tenants.md) one per tenant, and nothing in one is reachable from another: a credential's grant cached for
 * tenant A is not consulted for tenant B, even for the same token.
 */
import type { GraphQLSchema } from 'graphql';
import type { Redis } from 'ioredis';
import type { Config } from '../config/index.js';
import { PermissionStore } from '../graphql/auth/index.js';
import type { ProfitClient, ProfitConnection } from '../profit/index.js';
import type { OnSharedModeChange } from '../redis/fallback.js';
import { RedisGrantCache } from '../redis/grant-cache.js';
import { type CredentialResolver, createCredentialResolver } from './credentials.js';
import type { JwtVerifier } from './jwt.js';
import type { MetricSources } from './observability/index.js';
import { createUploadAllowance, type UploadAllowance } from './upload-allowance.js';

export interface Environment {
  /** The tenant's name; undefined with one environment. */
  readonly tenant: string | undefined;
  /** The service's configuration with this environment's Profit settings (tenants.ts `tenantConfig`). */
  readonly config: Config;
  readonly connection: ProfitConnection;
  readonly resolveCredential: CredentialResolver;
  /** The service credential's client (service mode); undefined in pass-through mode. */
  readonly serviceClient: ProfitClient | undefined;
  /** Grants per credential fingerprint (src/graphql/auth), this environment's only. */
  readonly permissions: PermissionStore;
  readonly uploads: UploadAllowance;
  /** Stops the shared grant cache's subscriber. */
  close(): void;
}

export interface EnvironmentOptions {
  readonly tenant: string | undefined;
  readonly config: Config;
  readonly connection: ProfitConnection;
  /** Wraps the resolver (observability's `noteCaller`). */
  readonly noteCaller: (resolve: CredentialResolver) => CredentialResolver;
  readonly redis?: Redis | undefined;
  readonly onModeChange: OnSharedModeChange;
  readonly verifyJwt?: JwtVerifier | undefined;
  readonly schema: () => GraphQLSchema;
}

export function createEnvironment(options: EnvironmentOptions): Environment {
  const { tenant, config, connection, redis, verifyJwt } = options;
  const resolveCredential = options.noteCaller(createCredentialResolver(config, connection));
  const service = resolveCredential(undefined);
  // Shared grants are scoped by the environment's base URL: a grant is Profit's answer for one environment.
  const grantCache = redis
    ? new RedisGrantCache({ redis, scope: connection.baseUrl, onModeChange: options.onModeChange })
    : undefined;
  const permissions = new PermissionStore({
    ttlMs: config.auth.permissionsTtlSeconds * 1000,
    refusedTtlMs: config.bounds.refusedCredentialTtlSeconds * 1000,
    ...(grantCache ? { shared: grantCache } : {}),
  });
  return {
    tenant,
    config,
    connection,
    resolveCredential,
    serviceClient: service.kind === 'client' ? service.client : undefined,
    permissions,
    // Who may send a body up to MAX_UPLOAD_BYTES: decided by this environment's grants (upload-allowance.ts).
    uploads: createUploadAllowance({
      config,
      resolveCredential,
      permissions,
      ...(verifyJwt ? { verifyJwt } : {}),
      schema: options.schema,
    }),
    close: () => grantCache?.close(),
  };
}

/** What the gauges read, over every environment: calls in flight and queued summed, the latest maintenance end. */
export function metricSources(environments: readonly Environment[]): MetricSources {
  const sum = (loads: readonly { active: number; queued: number }[]) => ({
    active: loads.reduce((n, l) => n + l.active, 0),
    queued: loads.reduce((n, l) => n + l.queued, 0),
  });
  return {
    load: () => ({
      shared: sum(environments.map((e) => e.connection.load)),
      verification: sum(environments.map((e) => e.connection.verificationLoad)),
    }),
    maintenanceUntil: () => {
      const ends = environments.map((e) => e.connection.maintenanceUntil?.getTime() ?? Number.NaN);
      const latest = Math.max(...ends.filter((t) => !Number.isNaN(t)));
      return Number.isFinite(latest) ? latest : undefined;
    },
    grantCache: () => ({
      hits: environments.reduce((n, e) => n + e.permissions.cache.hits, 0),
      misses: environments.reduce((n, e) => n + e.permissions.cache.misses, 0),
    }),
  };
}
