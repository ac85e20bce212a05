/**
 * CORS for the routes a browser on another origin calls: `/graphql` and the file downloads.
 *
 * Off unless `CORS_ORIGINS` lists origins: then no response carries a CORS header and a preflight (`OPTIONS`) is
 * 405, as Apollo Server answers it without a CORS middleware, so a browser on any other site is refused. On, it
 * behaves as the `cors` package does behind Apollo's `expressMiddleware` and as Yoga's `cors` option does with a
 * list of origins:
 *
 * - a preflight from a listed origin is 204 with `Access-Control-Allow-Origin` (that origin, never `*`), the
 *   route's methods, the request headers the service reads, and a max age; from any other origin it is 403
 *   `CORS_ORIGIN_NOT_ALLOWED` without CORS headers, so the browser refuses it and a person with curl sees why;
 * - an actual response carries `Access-Control-Allow-Origin` only for a listed origin;
 * - every response of these routes carries `Vary: Origin`, so a cache never serves one origin's answer to another.
 *
 * `Access-Control-Allow-Credentials` is never sent: the service reads no cookie and no HTTP authentication the
 * browser adds by itself; a caller's `Authorization` is a header its script sets, which needs no credentials mode.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { quoted, sendError } from './http.js';

/**
 * The request headers the service reads, which a cross-origin script may send: the credential, the body's type and
 * coding, Apollo's CSRF-prevention headers and client awareness, and the trace and request ids a router forwards.
 */
export const CORS_ALLOWED_HEADERS = [
  'authorization',
  'content-type',
  'content-encoding',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'apollographql-client-name',
  'apollographql-client-version',
  'traceparent',
  'tracestate',
  'x-request-id',
] as const;

/** Response headers a cross-origin script may read besides the safelisted ones (a download's file name, a retry hint). */
export const CORS_EXPOSED_HEADERS = ['content-disposition', 'retry-after', 'x-request-id'] as const;

/**
 * How long a browser may reuse a preflight's answer. Chromium caps it at 7200 s; Firefox at 86,400 s. Removing an
 * origin from `CORS_ORIGINS` still takes effect at once: each actual response must carry its own allow header.
 */
export const CORS_MAX_AGE_SECONDS = 7200;

export interface CorsOptions {
  /** Exact origins (`https://app.example.com`), as `CORS_ORIGINS` lists them. Empty: CORS off. */
  readonly origins: readonly string[];
  /** Request headers to allow besides CORS_ALLOWED_HEADERS (the tenant header, docs/tenants.md). @default none */
  readonly headers?: readonly string[];
}

export interface Cors {
  /**
   * For a request on a CORS route: answers it when it is a preflight (`true`), else sets the response's CORS
   * headers for the handler to keep (`false`).
   */
  handle(req: IncomingMessage, res: ServerResponse, methods: readonly string[]): boolean;
}

/** The CORS handling `options` describe; `undefined` when no origin is listed. */
export function createCors(options: CorsOptions): Cors | undefined {
  if (options.origins.length === 0) return undefined;
  const allowed = new Set(options.origins);
  const allowHeaders = [...CORS_ALLOWED_HEADERS, ...(options.headers ?? [])].join(', ');
  return {
    handle(req, res, methods) {
      const origin = req.headers.origin;
      res.setHeader('vary', 'Origin');
      const requestedMethod = req.headers['access-control-request-method'];
      if (req.method !== 'OPTIONS' || origin === undefined || requestedMethod === undefined) {
        // Not a preflight: an actual request (or a plain OPTIONS, which the route refuses with 405).
        if (origin !== undefined && allowed.has(origin)) {
          res.setHeader('access-control-allow-origin', origin);
          res.setHeader('access-control-expose-headers', CORS_EXPOSED_HEADERS.join(', '));
        }
        return false;
      }
      if (!allowed.has(origin)) {
        sendError(res, 403, 'CORS_ORIGIN_NOT_ALLOWED', `Origin ${quoted(origin)} is not one of CORS_ORIGINS`);
        return true;
      }
      if (!methods.includes(requestedMethod.toUpperCase())) {
        sendError(
          res,
          405,
          'METHOD_NOT_ALLOWED',
          `${quoted(requestedMethod)} is not a method of this route; it answers ${methods.join(', ')}`,
          { allow: methods.join(', ') },
        );
        return true;
      }
      // Safari waits for a body after a 204 without content-length (the `cors` package sets it for the same reason).
      res.writeHead(204, {
        'access-control-allow-origin': origin,
        'access-control-allow-methods': methods.join(', '),
        'access-control-allow-headers': allowHeaders,
        'access-control-max-age': String(CORS_MAX_AGE_SECONDS),
        'content-length': '0',
      });
      res.end();
      return true;
    },
  };
}
