/**
 * The node:http adapter's steps, shared by the service (index.ts) and Apollo's integration test suite
 * (test/apollo-suite), which runs against `createGraphQLHandler`: read the body (`readRequestBody`, body.ts), turn
 * it into Apollo's request (`toGraphQLRequest`, http.ts), run it (`executeHTTPGraphQLRequest`) and write the answer
 * (`sendGraphQLResponse`, http.ts). The service puts its own steps between them: the upload allowance before
 * reading, the nesting check and the Playground's redirect before running.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServer, BaseContext, HTTPGraphQLRequest } from '@apollo/server';
import { readBody } from './body.js';
import { HttpError, sendError, sendGraphQLResponse, toGraphQLRequest } from './http.js';

/** How much one request may send, and how long it may take. */
export interface BodyLimits {
  /** Counted on the decoded bytes (body.ts). */
  readonly maxBytes: number;
  readonly timeoutMs: number;
  /** The settings the answers name (`MAX_REQUEST_BYTES`, `BODY_TIMEOUT_MS`). @default none named */
  readonly settings?: { readonly size: string; readonly timeout: string };
  /** A sentence the 413 answer adds: what a caller may do instead. @default none */
  readonly tooLargeHint?: string;
}

/**
 * A POST's body, read under `limits`; `undefined` when it could not be and the answer is sent: 408 too slow, 413
 * too large (connection closed: the rest is not read), 400 or 415 for its `Content-Encoding`, nothing at all when
 * the client went away. Another method has no body: an empty buffer.
 */
export async function readRequestBody(
  req: IncomingMessage,
  res: ServerResponse,
  limits: BodyLimits,
): Promise<Buffer | undefined> {
  if (req.method !== 'POST') return Buffer.alloc(0);
  const { maxBytes, timeoutMs, settings, tooLargeHint } = limits;
  const read = await readBody(req, maxBytes, timeoutMs);
  switch (read.kind) {
    case 'ok':
      return read.body;
    case 'aborted':
      return undefined;
    case 'refused':
      sendError(res, read.status, read.code, read.message, read.headers);
      return undefined;
    case 'timeout':
      sendError(
        res,
        408,
        'REQUEST_TIMEOUT',
        `The request body did not arrive within ${timeoutMs} ms${settings ? ` (${settings.timeout})` : ''}`,
        { connection: 'close' },
      );
      return undefined;
    case 'too-large':
      sendError(
        res,
        413,
        'PAYLOAD_TOO_LARGE',
        `The request body${read.encoded ? ' (decompressed)' : ''} is larger than ${maxBytes} bytes${settings ? ` (${settings.size})` : ''}${tooLargeHint ? `; ${tooLargeHint}` : ''}`,
        { connection: 'close' },
      );
      return undefined;
  }
}

export interface GraphQLHandlerOptions<TContext extends BaseContext> {
  /** A started server. */
  readonly apollo: ApolloServer<TContext>;
  /** The context of one operation. @default an empty object */
  readonly context?: (request: HTTPGraphQLRequest) => Promise<TContext>;
  /** @default 1_048_576 bytes and 10_000 ms, as `MAX_REQUEST_BYTES` and `BODY_TIMEOUT_MS` */
  readonly limits?: BodyLimits;
}

/** The adapter's steps as one node:http handler, without the service's own (what Apollo's suite runs against). */
export function createGraphQLHandler<TContext extends BaseContext>(
  options: GraphQLHandlerOptions<TContext>,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const limits = options.limits ?? { maxBytes: 1_048_576, timeoutMs: 10_000 };
  const context = options.context ?? (async () => ({}) as TContext);
  return async (req, res) => {
    try {
      const body = await readRequestBody(req, res, limits);
      if (body === undefined) return;
      const request = toGraphQLRequest(req, body);
      const response = await options.apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: request,
        context: () => context(request),
      });
      await sendGraphQLResponse(res, response);
    } catch (error) {
      if (error instanceof HttpError) return sendError(res, error.status, error.code, error.message);
      if (!res.headersSent) sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
      else res.destroy();
    }
  };
}
