/**
 * What one HTTP request did, gathered while it runs: its id, its caller, its operation, the Profit calls made on its
 * behalf and the error codes it answered. The scope is found from the objects a request's handlers hold (its
 * `IncomingMessage`, Apollo's `HTTPGraphQLRequest`: `bindScope`) and reaches the Profit calls as their tag
 * (`ProfitClient.tagged`): DataLoader batches carry it with the client they call. No AsyncLocalStorage: on Node 20
 * it installs promise hooks that cost every promise of the process (issue 12).
 */

export interface RequestScope {
  /** From `x-request-id`, else `traceparent`'s trace id, else made here; echoed as `x-request-id`. */
  readonly id: string;
  /** The credential's fingerprint (salted SHA-256, as the grant cache keys it), once a credential was resolved. */
  caller?: string;
  /** The tenant the request runs for (several Profit environments, docs/tenants.md). */
  tenant?: string;
  operationName?: string;
  /** `query`, `mutation` or `subscription`, once the operation was resolved. */
  operationType?: string;
  /** `extensions.code` of every error answered, in order, each once. */
  readonly errorCodes: string[];
  /** Profit calls (HTTP exchanges, retries included) made for this request. */
  readonly profit: { calls: number; ms: number; readonly byConnector: Record<string, number> };
  /** Profit failures already logged (one ProfitError may reach many fields through a DataLoader batch). */
  readonly loggedFailures: WeakSet<object>;
}

/** A request's objects (its IncomingMessage, Apollo's HTTPGraphQLRequest) → its scope. */
const scopes = new WeakMap<object, RequestScope>();

export function newScope(id: string): RequestScope {
  const scope: RequestScope = {
    id,
    errorCodes: [],
    profit: { calls: 0, ms: 0, byConnector: Object.create(null) as Record<string, number> },
    loggedFailures: new WeakSet(),
  };
  scopeTags.add(scope);
  return scope;
}

/** Makes `scope` the scope found from `key` (an object the request's handlers hold). */
export function bindScope(key: object, scope: RequestScope): void {
  scopes.set(key, scope);
}

/** The scope bound to `key`; undefined for objects of no observed request (a scrape, a start-up check). */
export function scopeOf(key: object | undefined): RequestScope | undefined {
  return key === undefined ? undefined : scopes.get(key);
}

/** Whether `tag` (a Profit call's `CallOptions.tag`) is a request's scope. */
export function isScope(tag: unknown): tag is RequestScope {
  return typeof tag === 'object' && tag !== null && scopeTags.has(tag);
}
const scopeTags = new WeakSet<object>();

/** Adds an error code to a request's list (each code once); a no-op without a scope. */
export function noteErrorCode(scope: RequestScope | undefined, code: string): void {
  if (scope !== undefined && !scope.errorCodes.includes(code)) scope.errorCodes.push(code);
}
