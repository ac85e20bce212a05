/**
 * The one place where failures become GraphQL errors with stable `extensions.code`s. The Profit client knows
 * nothing of GraphQL; resolvers pass whatever they catch through `toGraphQLError`.
 *
 * | failure                                   | code                 | extensions                          |
 * | ----------------------------------------- | -------------------- | ----------------------------------- |
 * | WhereError (where / orderBy)              | BAD_USER_INPUT       | argument, path, rule                |
 * | ProfitError unauthorized                  | UNAUTHENTICATED      |                                     |
 * | ProfitError forbidden, not-granted        | FORBIDDEN            | reason: ip-restriction / not-granted|
 * | ProfitError unavailable                   | PROFIT_UNAVAILABLE   | retryAfterSeconds                   |
 * | ProfitError timeout, network              | PROFIT_UNREACHABLE   |                                     |
 * | ProfitError rejected, bad-request, too-large, not-found | PROFIT_REJECTED | profitLogReference, status |
 * | ProfitError invalid-response, http        | PROFIT_BAD_RESPONSE  | status                              |
 * | ProfitError query-too-long                | QUERY_TOO_LONG       |                                     |
 * | ProfitError invalid-argument              | BAD_USER_INPUT       |                                     |
 * | ProfitError aborted                       | ABORTED              |                                     |
 *
 * Messages never carry a URL with a host, a token or a header: ProfitError messages name only the path, and any
 * URL that slips into a message is cut down to its path here as well.
 */
import { GraphQLError } from 'graphql';
import { ProfitError } from '../profit/index.js';
import { WhereError } from './where/index.js';

export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'PROFIT_UNAVAILABLE'
  | 'PROFIT_UNREACHABLE'
  | 'PROFIT_REJECTED'
  | 'PROFIT_BAD_RESPONSE'
  | 'QUERY_TOO_LONG'
  | 'ABORTED';

/** Removes scheme, credentials and host from any URL in a message, keeping the path. */
export function stripUrls(message: string): string {
  return message.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s/?#'"]*/gi, '');
}

function fromProfit(error: ProfitError): GraphQLError {
  const message = stripUrls(error.message);
  const make = (code: ErrorCode, extra: Record<string, unknown> = {}) =>
    new GraphQLError(message, {
      originalError: error,
      extensions: { code, profitErrorKind: error.kind, ...withoutUndefined(extra) },
    });
  switch (error.kind) {
    case 'unauthorized':
      return make('UNAUTHENTICATED');
    case 'forbidden':
      return make('FORBIDDEN', { reason: 'ip-restriction' });
    case 'not-granted':
      return make('FORBIDDEN', { reason: 'not-granted' });
    case 'unavailable':
      return make('PROFIT_UNAVAILABLE', { retryAfterSeconds: error.retryAfterSeconds });
    case 'timeout':
    case 'network':
      return make('PROFIT_UNREACHABLE');
    case 'rejected':
    case 'bad-request':
    case 'too-large':
    case 'not-found':
      return make('PROFIT_REJECTED', {
        status: error.status,
        profitLogReference: error.profitLogReference,
        errorNumber: error.errorNumber,
      });
    case 'invalid-response':
    case 'http':
      return make('PROFIT_BAD_RESPONSE', { status: error.status });
    case 'query-too-long':
      return make('QUERY_TOO_LONG');
    case 'invalid-argument':
      return make('BAD_USER_INPUT');
    case 'aborted':
      return make('ABORTED');
    default:
      return make('PROFIT_BAD_RESPONSE');
  }
}

function withoutUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/**
 * Translates a caught failure. GraphQLErrors pass through; WhereError and ProfitError get their codes; anything
 * else (a bug) is returned as it is, for the server's error masking to handle.
 */
export function toGraphQLError(error: unknown): unknown {
  if (error instanceof GraphQLError) return error;
  if (error instanceof WhereError) {
    return new GraphQLError(error.message, {
      originalError: error,
      extensions: { code: 'BAD_USER_INPUT', argument: String(error.path[0] ?? ''), path: error.path, rule: error.rule },
    });
  }
  if (error instanceof ProfitError) return fromProfit(error);
  return error;
}

/** Runs `fn`, translating what it throws. */
export async function translated<T>(fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toGraphQLError(error);
  }
}
