/** The one mapping from failures to GraphQL error codes. */
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { toGraphQLError } from '../../src/graphql/index.js';
import { WhereError } from '../../src/graphql/where/index.js';
import { ProfitError, type ProfitErrorKind } from '../../src/profit/index.js';

const code = (kind: ProfitErrorKind, details = {}) =>
  (toGraphQLError(new ProfitError(kind, `Profit GET /connectors/X failed (${kind})`, details)) as GraphQLError)
    .extensions;

describe('toGraphQLError', () => {
  it.each([
    ['unauthorized', 'UNAUTHENTICATED'],
    ['forbidden', 'FORBIDDEN'],
    ['not-granted', 'FORBIDDEN'],
    ['unavailable', 'PROFIT_UNAVAILABLE'],
    ['timeout', 'PROFIT_UNREACHABLE'],
    ['network', 'PROFIT_UNREACHABLE'],
    ['rejected', 'PROFIT_REJECTED'],
    ['bad-request', 'PROFIT_REJECTED'],
    ['not-found', 'PROFIT_REJECTED'],
    ['too-large', 'PAYLOAD_TOO_LARGE'],
    ['invalid-response', 'PROFIT_BAD_RESPONSE'],
    ['http', 'PROFIT_BAD_RESPONSE'],
    ['query-too-long', 'QUERY_TOO_LONG'],
    ['invalid-argument', 'BAD_USER_INPUT'],
    ['aborted', 'ABORTED'],
  ] as const)('maps ProfitError %s to %s', (kind, expected) => {
    expect(code(kind)).toMatchObject({ code: expected, profitErrorKind: kind });
  });

  it('carries retryAfterSeconds and the Profit log reference', () => {
    expect(code('unavailable', { retryAfterSeconds: 7200 })).toMatchObject({ retryAfterSeconds: 7200 });
    expect(code('rejected', { status: 500, profitLogReference: 'B8213AF1' })).toMatchObject({
      status: 500,
      profitLogReference: 'B8213AF1',
    });
  });

  it('maps a WhereError to BAD_USER_INPUT with its argument, path and rule', () => {
    const error = toGraphQLError(
      new WhereError(['where', 'or', 1, 'salary', 'gt'], 'invalid-value', 'bad'),
    ) as GraphQLError;
    expect(error.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      argument: 'where',
      path: ['where', 'or', 1, 'salary', 'gt'],
      rule: 'invalid-value',
    });
  });

  it('never lets a host or credentials through in a message', () => {
    const error = toGraphQLError(
      new ProfitError('network', 'connect to https://user:secret@12345.rest.afas.online/ProfitRestServices failed'),
    ) as GraphQLError;
    expect(error.message).not.toMatch(/afas\.online|secret|https:/);
    expect(error.message).toContain('/ProfitRestServices');
  });

  it('passes GraphQLErrors through and leaves other errors to the server’s masking', () => {
    const g = new GraphQLError('x');
    expect(toGraphQLError(g)).toBe(g);
    const bug = new TypeError('bug');
    expect(toGraphQLError(bug)).toBe(bug);
  });
});
