/**
 * Every Profit failure a caller is answered with is logged once, with what an operator needs to find it in
 * Profit: its kind, HTTP status, connector and Profit's log reference (`profitLogReference`, which Profit's
 * support can look up). Failures Profit could not help with (unavailable, unreachable, unreadable answers) are
 * errors; the others (a refused filter, a record not found, a credential refused) are warnings.
 */
import { ProfitError } from '../../profit/index.js';
import type { StructuredLogger } from '../log.js';
import { connectorOf } from '../profit-route.js';
import type { RequestScope } from './scope.js';

const UPSTREAM_FAULTS = new Set(['unavailable', 'timeout', 'network', 'http', 'invalid-response']);

/** The ProfitError behind an error: itself, or found along `originalError` / `cause` (GraphQL wraps it twice). */
export function profitErrorOf(error: unknown): ProfitError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
    if (current instanceof ProfitError) return current;
    const next = current as { originalError?: unknown; cause?: unknown };
    current = next.originalError ?? next.cause;
  }
  return undefined;
}

/** Logs `error` unless its request (`scope`) has logged it already. */
export function logProfitFailure(logger: StructuredLogger, error: ProfitError, scope?: RequestScope): void {
  if (scope !== undefined) {
    if (scope.loggedFailures.has(error)) return;
    scope.loggedFailures.add(error);
  }
  const fields: Record<string, unknown> = {
    ...(scope !== undefined ? { requestId: scope.id } : {}),
    kind: error.kind,
    ...(error.status !== undefined ? { status: error.status } : {}),
    ...(error.path !== undefined ? { connector: connectorOf(error.path) } : {}),
    ...(error.method !== undefined ? { method: error.method } : {}),
    ...(error.profitLogReference !== undefined ? { profitLogReference: error.profitLogReference } : {}),
    ...(error.errorNumber !== undefined ? { errorNumber: error.errorNumber } : {}),
    ...(error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
    // Refused before sending (a query string over 2049 characters, the maintenance circuit, a full queue).
    ...(error.requestSent ? {} : { requestSent: false }),
  };
  // The message names method and path only (src/profit/errors.ts): no host, query string or credential.
  logger.log(UPSTREAM_FAULTS.has(error.kind) ? 'error' : 'warn', fields, `Profit call failed: ${error.message}`);
}
