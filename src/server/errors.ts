/**
 * The last look at every error before it leaves the service. GraphQL errors keep their message and
 * `extensions.code`; what must never reach a caller is removed: stack traces, upstream URLs and addresses.
 * An unexpected exception (not a GraphQLError, not a ProfitError) is logged and, in production, answered as
 * "Internal server error", since its message was written for developers, not for callers.
 */
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ProfitError, type ProfitErrorKind } from '../profit/index.js';
import type { Logger } from './log.js';

/** URLs, `host:port` pairs and AFAS host names, in any message or string extension. */
const UPSTREAM =
  /\b[a-z][a-z\d+.-]*:\/\/[^\s'"<>)\]]+|\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b|\b[\w.-]+\.afas\.online\b/gi;

export function scrubUpstream(text: string): string {
  return text.replace(UPSTREAM, '<upstream>');
}

/**
 * `extensions.code` for a ProfitError that reached Apollo without being translated by the GraphQL layer: a
 * fallback, so a caller still gets a stable code. Kinds not listed are `INTERNAL_SERVER_ERROR`.
 */
const PROFIT_CODES: Partial<Record<ProfitErrorKind, string>> = {
  unauthorized: 'UNAUTHENTICATED',
  'not-granted': 'FORBIDDEN',
  forbidden: 'FORBIDDEN',
  'not-found': 'NOT_FOUND',
  rejected: 'BAD_USER_INPUT',
  'query-too-long': 'BAD_USER_INPUT',
  'invalid-argument': 'BAD_USER_INPUT',
  unavailable: 'SERVICE_UNAVAILABLE',
  timeout: 'GATEWAY_TIMEOUT',
  network: 'BAD_GATEWAY',
};

/** Extensions that would say more about the server than the caller needs. */
const DROPPED_EXTENSIONS = new Set(['stacktrace', 'exception', 'http']);

function scrubValue(value: unknown): unknown {
  if (typeof value === 'string') return scrubUpstream(value);
  if (Array.isArray(value)) return value.map(scrubValue);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubValue(v)]));
  }
  return value;
}

export function createErrorFormatter(options: { production: boolean; logger: Logger }) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    let message = formatted.message;
    const extensions: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(formatted.extensions ?? {})) {
      if (!DROPPED_EXTENSIONS.has(key)) extensions[key] = scrubValue(value);
    }
    if (original instanceof ProfitError && extensions.code === 'INTERNAL_SERVER_ERROR') {
      // Not translated by the GraphQL layer. Profit's own messages are written for users and carry no credential or host (src/profit/errors.ts).
      extensions.code = PROFIT_CODES[original.kind] ?? 'INTERNAL_SERVER_ERROR';
      if (original.profitLogReference !== undefined) extensions.profitLogReference = original.profitLogReference;
      if (original.retryAfterSeconds !== undefined) extensions.retryAfterSeconds = original.retryAfterSeconds;
    } else if (
      extensions.code === 'INTERNAL_SERVER_ERROR' &&
      original instanceof Error &&
      !(original instanceof GraphQLError)
    ) {
      options.logger.error(`unexpected error: ${original.stack ?? original.message}`);
      if (options.production) message = 'Internal server error';
    }
    return {
      message: scrubUpstream(message),
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions,
    };
  };
}
