/**
 * The small node:http adapter between a request and Apollo Server's `executeHTTPGraphQLRequest`: parses the body
 * read by body.ts (JSON; a syntax error is a 400 that says where), and writes Apollo's answer back.
 * Everything GraphQL-specific (CSRF prevention, GET/POST rules, content negotiation) stays in Apollo.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { HeaderMap, type HTTPGraphQLRequest, type HTTPGraphQLResponse } from '@apollo/server';
import { noteErrorCode, scopeOf } from './observability/scope.js';

/** A failure of the HTTP layer itself, answered before Apollo sees the request. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    /** A stable GraphQL error code for `extensions.code`. */
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The media type (lower case, without parameters) and charset of a `content-type` header. */
function parseContentType(value: string | undefined): { type: string; charset?: string } | undefined {
  if (value === undefined) return undefined;
  const [type = '', ...params] = value.split(';');
  let charset: string | undefined;
  for (const param of params) {
    const [key, raw] = param.split('=');
    if (key?.trim().toLowerCase() === 'charset' && raw !== undefined) charset = raw.trim().replace(/^"|"$/g, '');
  }
  return { type: type.trim().toLowerCase(), charset: charset?.toLowerCase() };
}

function isJsonType(type: string): boolean {
  return type === 'application/json' || /^application\/[\w.+-]+\+json$/.test(type);
}

/**
 * Builds Apollo's request from node's. HEAD is answered as GET (node drops the body of a HEAD response). A JSON
 * body is parsed here; any other body is handed over as text, for Apollo's CSRF check and its own 400.
 */
export function toGraphQLRequest(req: IncomingMessage, body: Buffer): HTTPGraphQLRequest {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const method = (req.method ?? 'GET').toUpperCase();
  const request: HTTPGraphQLRequest = {
    method: method === 'HEAD' ? 'GET' : method,
    headers,
    search: q === -1 ? '' : url.slice(q),
    body: undefined,
  };
  if (method !== 'POST') return request;

  const contentType = parseContentType(headers.get('content-type'));
  if (contentType === undefined || !isJsonType(contentType.type)) {
    request.body = body.toString('utf8');
    return request;
  }
  if (contentType.charset !== undefined && contentType.charset !== 'utf-8' && contentType.charset !== 'utf8') {
    throw new HttpError(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      `A JSON body must be UTF-8, got charset '${contentType.charset}'`,
    );
  }
  // A UTF-8 byte-order mark is allowed before JSON text (RFC 8259 §8.1 lets a parser ignore it); some Windows
  // clients write one. JSON.parse would refuse it as an unexpected token.
  const text = body.toString('utf8', hasBom(body) ? 3 : 0);
  if (text.trim() === '') {
    throw new HttpError(400, 'BAD_REQUEST', 'The request body is empty; send a JSON object with a "query"');
  }
  try {
    request.body = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof SyntaxError ? printable(error.message) : 'unreadable';
    throw new HttpError(400, 'BAD_REQUEST', `The request body is not valid JSON: ${detail}`);
  }
  return request;
}

function hasBom(body: Buffer): boolean {
  return body.length >= 3 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf;
}

/**
 * Text from a request as an error message shows it: control characters and anything beyond ASCII escaped
 * (`\u001f`), cut at `max` characters. V8's JSON errors quote the text around the mistake, which from a binary body
 * is control characters and broken UTF-8: an answer (or a log line) never carries such bytes raw.
 */
export function printable(text: string, max = 200): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return cut.replace(/[^\x20-\x7e…]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A header value quoted for an error message (see `printable`). */
export function quoted(value: string, max = 100): string {
  return `'${printable(value, max)}'`;
}

/** A GraphQL-shaped error answer (`{"errors":[{message, extensions:{code}}]}`). */
export function sendError(res: ServerResponse, status: number, code: string, message: string, headers = {}): void {
  // For the request's access line (observability/scope.ts); a no-op outside a request.
  noteErrorCode(scopeOf(res.req), code);
  sendJson(res, status, { errors: [{ message, extensions: { code } }] }, headers);
}

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: OutgoingHttpHeaders = {}): void {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': body.length,
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(body);
}

/** Writes Apollo's answer: status, headers, and the whole body or its chunks (incremental delivery). */
export async function sendGraphQLResponse(res: ServerResponse, response: HTTPGraphQLResponse): Promise<void> {
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    const body = Buffer.from(response.body.string, 'utf8');
    res.setHeader('content-length', body.length);
    res.end(body);
    return;
  }
  for await (const chunk of response.body.asyncIterator) {
    if (res.destroyed) return;
    res.write(chunk);
  }
  res.end();
}
