/**
 * The node:http adapter as one request handler: body.ts reads the body, http.ts turns it into Apollo's request
 * and writes Apollo's answer. Apollo's integration test suite (test/apollo-suite) runs against this handler; the
 * service composes the same functions in index.ts with its own steps between them (the upload allowance, the
 * nesting check, the Playground's redirect).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServer, BaseContext, HTTPGraphQLRequest } from '@apollo/server';
import { readBody } from './body.js';
import { HttpError, sendError, sendGraphQLResponse, toGraphQLRequest } from './http.js';

export interface GraphQLHandlerOptions<TContext extends BaseContext> {
  /** A started server. */
  readonly apollo: ApolloServer<TContext>;
  /** The context of one operation. @default an empty object */
  readonly context?: (request: HTTPGraphQLRequest) => Promise<TContext>;
  /** Largest body, counted decoded. @default 1_048_576 bytes (1 MiB), as `MAX_REQUEST_BYTES` */
  readonly maxBodyBytes?: number;
  /** @default 10_000 ms, as `BODY_TIMEOUT_MS` */
  readonly bodyTimeoutMs?: number;
}

export function createGraphQLHandler<TContext extends BaseContext>(
  options: GraphQLHandlerOptions<TContext>,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const maxBodyBytes = options.maxBodyBytes ?? 1_048_576; // bytes
  const bodyTimeoutMs = options.bodyTimeoutMs ?? 10_000; // ms
  const context = options.context ?? (async () => ({}) as TContext);
  return async (req, res) => {
    try {
      let body: Buffer = Buffer.alloc(0);
      if (req.method === 'POST') {
        const read = await readBody(req, maxBodyBytes, bodyTimeoutMs);
        switch (read.kind) {
          case 'aborted':
            return;
          case 'refused':
            return sendError(res, read.status, read.code, read.message, read.headers);
          case 'timeout':
            return sendError(
              res,
              408,
              'REQUEST_TIMEOUT',
              `The request body did not arrive within ${bodyTimeoutMs} ms`,
              {
                connection: 'close',
              },
            );
          case 'too-large':
            return sendError(
              res,
              413,
              'PAYLOAD_TOO_LARGE',
              `The request body${read.encoded ? ' (decompressed)' : ''} is larger than ${maxBodyBytes} bytes`,
              { connection: 'close' },
            );
        }
        body = read.body;
      }
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
