/**
 * The per-request context: the caller's Profit client, fresh loaders (nothing is shared between requests) and the
 * caller's authorization (the credential's grant, cached per credential fingerprint, narrowed by a JWT's scopes).
 */
import type { ProfitClient } from '../profit/index.js';
import { defaultPermissionStore, type PermissionStore, RequestAuthorization } from './auth/index.js';
import type { FileLinks } from './files/links.js';
import { Loaders } from './loaders.js';

export interface RequestContext {
  /** The Profit client for this request's credential. */
  readonly client: ProfitClient;
  /** This request's loaders and GetConnector memo. */
  readonly loaders: Loaders;
  /** What the caller may read and write (see src/graphql/auth). */
  readonly auth: RequestAuthorization;
  /** Download links for this request's caller, when an HTTP service serves them (src/server/files.ts). */
  readonly files?: FileLinks;
  /** Told after every write call to Profit (`RequestContextOptions.onWrite`). */
  readonly onWrite?: WriteListener;
}

/**
 * Called with the GraphQL type names of the entities a write may change (its own and those it carries as
 * sub-objects) after its UpdateConnector call returned or failed (a failure such as a timeout may still have
 * written), before the mutation answers: the response cache drops what read them.
 */
export type WriteListener = (entities: readonly string[]) => Promise<void>;

export interface RequestContextOptions {
  readonly client: ProfitClient;
  /** The per-credential grant cache. @default the process-wide store (`defaultPermissionStore()`) */
  readonly permissions?: PermissionStore;
  /** Scopes of a verified JWT: they narrow what the credential grants. @default none (no narrowing) */
  readonly scopes?: Iterable<string>;
  /** Download links (the HTTP service's file route). @default none: `downloadUrl` answers DOWNLOADS_UNAVAILABLE */
  readonly files?: FileLinks;
  /** @default none */
  readonly onWrite?: WriteListener;
}

/**
 * A context for one GraphQL request: new loaders every time, so no row is served to another caller. Every
 * GetConnector call the loaders make is checked against the caller's grant first (connector, and the fields it
 * filters and sorts on), and a Profit answer that says the grant changed drops the cached grant.
 */
export function createRequestContext(options: RequestContextOptions): RequestContext {
  const auth = new RequestAuthorization(
    options.permissions ?? defaultPermissionStore(),
    options.client,
    options.scopes,
  );
  const loaders = new Loaders(options.client, {
    guard: (connector, query) => auth.guardQuery(connector, query),
    observe: (error) => auth.observe(error),
  });
  return {
    client: options.client,
    loaders,
    auth,
    ...(options.files ? { files: options.files } : {}),
    ...(options.onWrite ? { onWrite: options.onWrite } : {}),
  };
}

/**
 * Lets go of what a request's context holds once its answer is sent (`Loaders.release`): a no-op for any other
 * value (a custom layer's context).
 */
export function releaseRequestContext(context: unknown): void {
  const loaders = (context as { loaders?: unknown } | null)?.loaders;
  if (loaders instanceof Loaders) loaders.release();
}
