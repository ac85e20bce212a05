import { buildSubgraphSchema } from '@apollo/subgraph';
import { GraphQLError, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ProfitError } from '../../src/profit/index.js';
import { createErrorFormatter, scrubUpstream } from '../../src/server/errors.js';
import type { Logger } from '../../src/server/log.js';
import { graphql, startTestService } from './helpers.js';

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };

describe('scrubUpstream', () => {
  it.each([
    [
      'connect to https://12345.rest.afas.online/ProfitRestServices/connectors/X failed',
      'connect to <upstream> failed',
    ],
    ['ECONNREFUSED 127.0.0.1:4010', 'ECONNREFUSED <upstream>'],
    ['host resttest.afas.online did not answer', 'host <upstream> did not answer'],
    ['`where.name.eq` must be a string, got 12', '`where.name.eq` must be a string, got 12'],
  ])('%j → %j', (input, output) => {
    expect(scrubUpstream(input)).toBe(output);
  });
});

describe('the error formatter', () => {
  const format = createErrorFormatter({ production: true, logger: quiet });

  it('keeps a GraphQL error’s message and code, and drops a stack trace', () => {
    const error = new GraphQLError('`first` must be at most 500, got 900', { extensions: { code: 'BAD_USER_INPUT' } });
    const formatted = format(
      { message: error.message, extensions: { code: 'BAD_USER_INPUT', stacktrace: ['at x'] } },
      error,
    );
    expect(formatted).toEqual({
      message: '`first` must be at most 500, got 900',
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  it('gives an untranslated ProfitError a stable code and its log reference', () => {
    const profit = new ProfitError('rejected', 'Profit refused the update', {
      status: 500,
      profitLogReference: 'ABC123',
    });
    const error = new GraphQLError(profit.message, { originalError: profit, path: ['x'] });
    const formatted = format(
      { message: profit.message, path: ['x'], extensions: { code: 'INTERNAL_SERVER_ERROR' } },
      error,
    );
    expect(formatted.extensions).toEqual({ code: 'BAD_USER_INPUT', profitLogReference: 'ABC123' });
  });

  it('answers an unexpected exception as "Internal server error" in production', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'x') at http://10.0.0.1:8080/");
    const error = new GraphQLError(bug.message, { originalError: bug, path: ['x'] });
    const formatted = format({ message: bug.message, extensions: { code: 'INTERNAL_SERVER_ERROR' } }, error);
    expect(formatted.message).toBe('Internal server error');
    expect(formatted.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
  });

  it('keeps that message outside production, without the upstream address', () => {
    const dev = createErrorFormatter({ production: false, logger: quiet });
    const bug = new Error('fetch https://12345.rest.afas.online/ProfitRestServices failed');
    const error = new GraphQLError(bug.message, { originalError: bug, path: ['x'] });
    expect(dev({ message: bug.message, extensions: { code: 'INTERNAL_SERVER_ERROR' } }, error).message).toBe(
      'fetch <upstream> failed',
    );
  });
});

describe('errors over HTTP', () => {
  it('carry no stack trace and no upstream URL, and keep extensions.code', async () => {
    const schema = buildSubgraphSchema({
      typeDefs: parse('type Query { broken: String, refused: String }'),
      resolvers: {
        Query: {
          broken: () => {
            throw new Error('socket hang up at https://12345.rest.afas.online/ProfitRestServices/connectors/X');
          },
          refused: () => {
            throw new GraphQLError('Profit refused this at https://12345.rest.afas.online/x', {
              extensions: { code: 'FORBIDDEN' },
            });
          },
        },
      },
    });
    const service = await startTestService(
      {
        NODE_ENV: 'production',
        PROFIT_BASE_URL: 'http://127.0.0.1:9/ProfitRestServices',
        PROFIT_TOKEN: 'a'.repeat(64),
        SERVICE_MODE_WITHOUT_JWT: 'allow-all',
      },
      { graphql: { schema, createContext: ({ client }) => ({ client }) }, logger: quiet },
    );
    try {
      const reply = await graphql(service, '{ broken refused }');
      expect(reply.status).toBe(200);
      expect(reply.text).not.toMatch(/https?:\/\/|afas\.online|stacktrace|\bat .*\.ts:\d+/);
      const byPath = Object.fromEntries(reply.json.errors.map((e: { path: string[] }) => [e.path[0], e]));
      expect(byPath.broken).toMatchObject({
        message: 'Internal server error',
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      });
      expect(byPath.refused).toMatchObject({
        message: 'Profit refused this at <upstream>',
        extensions: { code: 'FORBIDDEN' },
      });
    } finally {
      await service.close();
    }
  });
});
