/**
 * What one HTTP request did, gathered while it runs: its id, its caller, its operation, the Profit calls made on its
 * behalf and the error codes it answered. AsyncLocalStorage carries it through everything the request starts:
 * Apollo's hooks, resolvers, and DataLoader batches, which run in the async context of the first `load` that
 * scheduled them (dataloader's `enqueuePostPromiseJob` is a `process.nextTick` inside a promise callback, both of
 * which keep the context); test/server/access-log.test.ts checks that batched calls are counted.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

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

const storage = new AsyncLocalStorage<RequestScope>();

export function newScope(id: string): RequestScope {
  return {
    id,
    errorCodes: [],
    profit: { calls: 0, ms: 0, byConnector: Object.create(null) as Record<string, number> },
    loggedFailures: new WeakSet(),
  };
}

/** The scope of the request the caller runs for; undefined outside one (start-up check, a scrape). */
export function currentScope(): RequestScope | undefined {
  return storage.getStore();
}

export function runInScope<T>(scope: RequestScope, fn: () => T): T {
  return storage.run(scope, fn);
}

/** Adds an error code to the current request's list (each code once). */
export function noteErrorCode(code: string): void {
  const scope = storage.getStore();
  if (scope !== undefined && !scope.errorCodes.includes(code)) scope.errorCodes.push(code);
}
