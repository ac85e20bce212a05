/**
 * The innermost `Send`: one HTTP exchange with undici. Builds the headers, sends, and reads the whole body (with
 * `Exchange.stream`, a 2xx body is handed out unread). A non-2xx answer comes back with its ProfitError attached
 * (`Answer.error`); a failure with no answer (timeout, abort, network) is thrown as a ProfitError saying whether the
 * request may have reached Profit.
 */
import { type Dispatcher, request } from 'undici';
import { errorFromResponse, isRecord, ProfitError } from '../errors.js';
import { CALLER_ABORT, TIMEOUT } from './deadline.js';
import type { Answer, Exchange, Send } from './send.js';

export interface TransportOptions {
  /** Without a trailing slash. */
  readonly baseUrl: string;
  readonly dispatcher: Dispatcher;
  /** `IntegrationId` header. */
  readonly integrationId: string | undefined;
  /** `Accept-Language` header. */
  readonly acceptLanguage: string | undefined;
  /** The clock a `Retry-After` HTTP-date is read against, ms. */
  readonly now: () => number;
}

export function transport(options: TransportOptions): Send {
  const { baseUrl, dispatcher, integrationId, acceptLanguage, now } = options;
  return async (x) => {
    const req = x.request;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (x.authorization !== undefined) headers.authorization = x.authorization;
    if (integrationId !== undefined) headers.IntegrationId = integrationId;
    if (acceptLanguage !== undefined) headers['accept-language'] = acceptLanguage;
    if (req.contentType !== undefined) headers['content-type'] = req.contentType;
    let status: number | undefined;
    try {
      const res = await request(`${baseUrl}${req.path}${req.query ?? ''}`, {
        dispatcher,
        method: req.method,
        headers,
        body: req.body,
        signal: x.signal,
        // A streamed body: undici's idle timer, which does not run while the reader holds the body back.
        ...(x.stream ? { bodyTimeout: x.timeoutMs } : {}),
      });
      status = res.statusCode;
      if (x.stream && status >= 200 && status < 300) {
        const at = status;
        const fail = (cause: unknown): ProfitError =>
          cause instanceof ProfitError ? cause : transportError(cause, x, at);
        return { status, text: '', stream: { status, body: res.body, fail } };
      }
      const text = await res.body.text();
      const length = res.headers['content-length'];
      const bytes = typeof length === 'string' && /^\d+$/.test(length) ? Number(length) : Buffer.byteLength(text);
      if (status >= 200 && status < 300) return { status, text, bytes };
      // AFAS's OpenAPI files give every 503 a `Retry-After` header.
      const header = res.headers['retry-after'];
      const retryAfterHeader = Array.isArray(header) ? header[0] : header;
      const error = errorFromResponse(status, text, {
        method: req.method,
        path: req.path,
        ...(retryAfterHeader !== undefined ? { retryAfterHeader } : {}),
        nowMs: now(),
      });
      return { status, text, bytes, error } satisfies Answer;
    } catch (cause) {
      throw transportError(cause, x, status);
    }
  };
}

/** Transport error codes from which nothing was sent (the connection was never established). */
const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const TIMEOUT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
]);

/** A failure with no (complete) answer, by the attempt's abort reason and the error code undici gives. */
function transportError(cause: unknown, x: Exchange, status: number | undefined): ProfitError {
  const { method, path } = x.request;
  const ctx = { method, path, cause, ...(status !== undefined ? { status } : {}) };
  const what = `${method} ${path}`;
  const maybeDone = method === 'GET' ? '' : ' Profit may still have executed it: check before repeating.';
  const reason: unknown = x.signal?.reason;
  if (reason === TIMEOUT) {
    return new ProfitError('timeout', `${what}: no complete answer from Profit within ${x.timeoutMs} ms.${maybeDone}`, {
      ...ctx,
      requestSent: true,
    });
  }
  if (reason === CALLER_ABORT) {
    return new ProfitError('aborted', `${what} was aborted by the caller.${maybeDone}`, { ...ctx, requestSent: true });
  }
  const code = errorCode(cause);
  if (code !== undefined && TIMEOUT_CODES.has(code)) {
    const connect = code === 'UND_ERR_CONNECT_TIMEOUT';
    return new ProfitError(
      'timeout',
      `${what}: ${connect ? 'connecting to Profit timed out' : 'Profit did not answer in time'} (${code}).${connect ? '' : maybeDone}`,
      { ...ctx, requestSent: !connect },
    );
  }
  const sent = code === undefined || !CONNECT_CODES.has(code);
  return new ProfitError(
    'network',
    `${what}: the connection to Profit failed${code ? ` (${code})` : ''}.${sent ? maybeDone : ' The request was not sent.'}`,
    { ...ctx, requestSent: sent },
  );
}

function errorCode(e: unknown): string | undefined {
  for (let cur: unknown = e, depth = 0; isRecord(cur) && depth < 5; cur = cur.cause, depth++) {
    if (typeof cur.code === 'string') return cur.code;
  }
  return undefined;
}
