/**
 * The one place where failures become GraphQL errors with stable `extensions.code`s. The Profit client knows
 * nothing of GraphQL; resolvers let failures through, and they are translated once per request (the executor,
 * src/server/execution.ts, or the guards of the guarded schema, auth/guard.ts). A failure that carries a `path` of
 * its own (WhereError) is translated where it is thrown, since graphql-js would read that `path` as its location.
 *
 * | failure                                   | code                 | extensions                          |
 * | ----------------------------------------- | -------------------- | ----------------------------------- |
 * | WhereError (where / orderBy)              | BAD_USER_INPUT       | argument, path, rule                |
 * | ProfitError unauthorized                  | UNAUTHENTICATED      |                                     |
 * | ProfitError forbidden, not-granted        | FORBIDDEN            | reason: ip-restriction / not-granted|
 * | ProfitError unavailable                   | PROFIT_UNAVAILABLE   | retryAfterSeconds                   |
 * | ProfitError timeout, network              | PROFIT_UNREACHABLE   |                                     |
 * | ProfitError rejected, bad-request, not-found | PROFIT_REJECTED    | profitLogReference, status          |
 * | ProfitError too-large (75 MB, or Profit 413) | PAYLOAD_TOO_LARGE | status                              |
 * | ProfitError invalid-response, http        | PROFIT_BAD_RESPONSE  | status                              |
 * | ProfitError query-too-long                | QUERY_TOO_LONG       |                                     |
 * | a list filter that cannot be split (loaders) | QUERY_TOO_LONG    | reason, connector, and per reason   |
 * | ProfitError invalid-argument              | BAD_USER_INPUT       |                                     |
 * | XmlSchemaError (an XML body vs its XSD)   | BAD_USER_INPUT       | reason: xsd, violations: [{ path, line, message }] |
 * | ProfitError aborted                       | ABORTED              |                                     |
 * | WriteInputError (mutation input)          | BAD_USER_INPUT       | issues: [{ path, rule, message }]   |
 * | a role the caller's grant lacks (auth/)   | FORBIDDEN            | reason, connector, field, scope     |
 * | a request over a limit (auth/limits.ts)   | QUERY_TOO_DEEP, QUERY_TOO_COMPLEX, TOO_MANY_ALIASES, TOO_MANY_REPRESENTATIONS | limit, actual |
 *
 * Writes (`toGraphQLError(error, write)`) differ in one respect: a timeout, a lost connection, an abort or an
 * unreadable 2xx answer after the request was sent means Profit may or may not have done the write. That is
 * PROFIT_OUTCOME_UNKNOWN (extensions: connector, method, retried: false, howToCheck), never retried: repeating
 * a POST that did run would create the record twice. A failure before sending (refused connection, timed out
 * while queued) is PROFIT_UNREACHABLE as for reads: nothing was written and it is safe to repeat. Every write
 * error also names the UpdateConnector (`extensions.connector`); a rejection carries Profit's own message
 * (`profitMessage`) and `profitLogReference`, which the Profit administrator needs to read the full error in
 * Profit's environment log. A write that succeeded but could not be read back is WRITTEN_NOT_READ_BACK, with
 * the key Profit returned.
 *
 * Messages never carry a URL with a host, a token or a header: ProfitError messages name only the path, and any
 * URL that slips into a message is cut down to its path here as well.
 */
import { GraphQLError } from 'graphql';
import { ProfitError } from '../profit/index.js';
import { XmlSchemaError } from '../profit/xml/index.js';
import { WhereError } from './where/index.js';
import { WriteInputError } from './write/validate.js';

export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'PROFIT_UNAVAILABLE'
  | 'PROFIT_UNREACHABLE'
  | 'PROFIT_REJECTED'
  | 'PROFIT_BAD_RESPONSE'
  | 'QUERY_TOO_LONG'
  | 'PAYLOAD_TOO_LARGE'
  | 'ABORTED'
  | LimitCode
  | WriteCode;

/** Codes of a request refused for its size, before any resolver runs (HTTP 400). */
export type LimitCode = 'QUERY_TOO_DEEP' | 'QUERY_TOO_COMPLEX' | 'TOO_MANY_ALIASES' | 'TOO_MANY_REPRESENTATIONS';

/** Why a role is denied (see auth/roles.ts for the role strings). */
export interface Denial {
  /**
   * `not-granted`: the app connector does not grant the connector; `field-not-granted`: the GetConnector does not
   * give this credential the field; `scope-missing`: the caller's verified JWT lacks the connector's scope.
   */
  readonly reason: 'not-granted' | 'field-not-granted' | 'scope-missing';
  /** `file`: a file connector (`connector` is its kind: subject, file, image); `report`: `connector` is the id. */
  readonly kind: 'get' | 'update' | 'file' | 'report';
  readonly connector: string;
  readonly field?: string;
  /** The scope that covers the connector (`profit:get:X`, `profit:update:X`, `profit:file:X`, `profit:report:X`). */
  readonly scope: string;
}

const DENIED_KIND: Readonly<Record<Denial['kind'], string>> = {
  get: 'GetConnector',
  update: 'UpdateConnector',
  file: 'file connector',
  report: 'report',
};

/** FORBIDDEN for a denied role: the message names the connector (and field) the grant lacks. */
export function forbiddenError(denial: Denial, options: { usage?: string } = {}): GraphQLError {
  const what = DENIED_KIND[denial.kind];
  const subject =
    denial.kind === 'file' || denial.kind === 'report'
      ? `The ${what} ${denial.connector}`
      : denial.field === undefined
        ? denial.connector
        : `${denial.connector}.${denial.field}`;
  const why =
    denial.reason === 'scope-missing'
      ? `the caller's token does not carry the scope ${denial.scope}`
      : denial.reason === 'field-not-granted'
        ? `the ${what} ${denial.connector} does not give this credential the field ${denial.field}`
        : `the app connector of this credential does not grant the ${what} ${denial.connector}`;
  const message = `${options.usage ?? subject} is not allowed: ${why}`;
  return new GraphQLError(message, {
    extensions: {
      code: 'FORBIDDEN',
      reason: denial.reason,
      connector: denial.connector,
      ...(denial.field !== undefined ? { field: denial.field } : {}),
      scope: denial.scope,
    },
  });
}

/** A request over one of the limits (depth, cost, aliases, representations): HTTP 400, before execution. */
export function limitError(code: LimitCode, message: string, limit: number, actual: number): GraphQLError {
  return new GraphQLError(message, { extensions: { code, limit, actual, http: { status: 400 } } });
}

/**
 * Why a list's filter, too long for one query string, cannot be split over several GetConnector calls and answered
 * exactly (see `Loaders.page`).
 */
export type SplitRefusal = 'group-too-long' | 'too-many-calls' | 'page-too-deep' | 'order-unverifiable';

/** QUERY_TOO_LONG for a list filter the loaders cannot split and answer exactly; `reason` says which rule. */
export function queryTooLong(
  reason: SplitRefusal,
  message: string,
  details: Readonly<Record<string, string | number>>,
  cause?: Error,
): GraphQLError {
  return new GraphQLError(message, {
    ...(cause ? { originalError: cause } : {}),
    extensions: { code: 'QUERY_TOO_LONG', reason, ...details },
  });
}

/** Codes only writes (mutations) give. */
export type WriteCode = 'PROFIT_OUTCOME_UNKNOWN' | 'WRITTEN_NOT_READ_BACK';

/** What a write error needs to say: which UpdateConnector call failed, and how a caller checks its outcome. */
export interface WriteContext {
  readonly connector: string;
  readonly method: 'POST' | 'PUT' | 'DELETE';
  /** How to find out whether the write took effect, e.g. `query person(personId: "1") and compare it…`. */
  readonly howToCheck: string;
}

/** Removes scheme, credentials and host from any URL in a message, keeping the path. */
export function stripUrls(message: string): string {
  return message.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s/?#'"]*/gi, '');
}

const OUTCOME_UNKNOWN_KINDS = new Set(['timeout', 'network', 'aborted', 'invalid-response']);

function fromProfit(error: ProfitError, write?: WriteContext): GraphQLError {
  const message = stripUrls(error.message);
  const context = write ? { connector: write.connector } : {};
  const make = (code: ErrorCode, extra: Record<string, unknown> = {}, text = message) =>
    new GraphQLError(text, {
      originalError: error,
      extensions: { code, profitErrorKind: error.kind, ...context, ...withoutUndefined(extra) },
    });
  if (write && error.requestSent && OUTCOME_UNKNOWN_KINDS.has(error.kind)) {
    const what =
      error.kind === 'invalid-response'
        ? 'answered with a body that could not be read'
        : error.kind === 'timeout'
          ? 'did not answer in time'
          : error.kind === 'aborted'
            ? 'was aborted'
            : 'lost its connection';
    return make(
      'PROFIT_OUTCOME_UNKNOWN',
      { method: write.method, retried: false, howToCheck: write.howToCheck },
      `${write.method} ${write.connector} ${what} after the request was sent, so Profit may or may not have ` +
        `done the write (Profit keeps working after a client gives up). It was not retried. Before trying ` +
        `again, check whether it took effect: ${write.howToCheck}. (${message})`,
    );
  }
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
    case 'too-large':
      // Refused before sending (over Profit's 75 MB), or Profit's own 413.
      return make('PAYLOAD_TOO_LARGE', { status: error.status });
    case 'rejected':
    case 'bad-request':
    case 'not-found':
      return make('PROFIT_REJECTED', {
        status: error.status,
        profitMessage: error.externalMessage,
        profitLogReference: error.profitLogReference,
        errorNumber: error.errorNumber,
      });
    case 'invalid-response':
    case 'http':
      return make('PROFIT_BAD_RESPONSE', { status: error.status });
    case 'query-too-long':
      return make('QUERY_TOO_LONG');
    case 'invalid-argument':
      // An XML body refused against its UpdateConnector's XSD (SOAP): every violation, each with its path.
      return make(
        'BAD_USER_INPUT',
        error instanceof XmlSchemaError ? { reason: 'xsd', violations: error.violations } : {},
      );
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
export function toGraphQLError(error: unknown, write?: WriteContext): unknown {
  if (error instanceof GraphQLError) return error;
  if (error instanceof WriteInputError) {
    return new GraphQLError(error.message, {
      originalError: error,
      extensions: { code: 'BAD_USER_INPUT', issues: error.issues },
    });
  }
  if (error instanceof WhereError) {
    return new GraphQLError(error.message, {
      originalError: error,
      extensions: { code: 'BAD_USER_INPUT', argument: String(error.path[0] ?? ''), path: error.path, rule: error.rule },
    });
  }
  if (error instanceof ProfitError) return fromProfit(error, write);
  return error;
}

/** Runs `fn`, translating what it throws (for code that must answer with the translated error itself). */
export async function translated<T>(fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toGraphQLError(error);
  }
}

/** Runs one UpdateConnector call, translating what it throws as a write failure (see the table above). */
export async function translatedWrite<T>(write: WriteContext, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toGraphQLError(error, write);
  }
}

/**
 * Profit accepted a write, but it could not be read back (no key in the answer, the GetConnector withholds the
 * row, or the read failed). The write is done: the error says so and carries the key, so nobody repeats it.
 */
export function writtenNotReadBack(
  write: Pick<WriteContext, 'connector' | 'method'>,
  entity: string,
  key: Readonly<Record<string, string>> | undefined,
  cause?: unknown,
): GraphQLError {
  const reason =
    cause instanceof Error ? `: ${stripUrls(cause.message)}` : key ? ': the GetConnector returned no row' : '';
  const keyText = key
    ? ` (${Object.entries(key)
        .map(([k, v]) => `${k} ${JSON.stringify(v)}`)
        .join(', ')})`
    : '';
  return new GraphQLError(
    `${write.method} ${write.connector} succeeded${keyText}, but the written ${entity} could not be read back${reason}. Do not repeat the write.`,
    {
      ...(cause instanceof Error ? { originalError: cause } : {}),
      extensions: { code: 'WRITTEN_NOT_READ_BACK', connector: write.connector, ...(key ? { key } : {}) },
    },
  );
}
