/**
 * The innermost `Send`: one HTTP exchange with undici. Builds the headers, sends, and reads the whole body (with
 * `Exchange.stream`, a 2xx body is handed out unread). A non-2xx answer comes back with its ProfitError attached
 * (`Answer.error`); a failure with no answer (timeout, abort, network) is thrown as a ProfitError saying whether the
 * request may have reached Profit.
 *
 * A body read whole goes through `Dispatcher.dispatch` with a handler that keeps the body's Buffers and decodes them
 * once at the end. undici's `request()` wraps every body in a Readable stream and `body.text()` reads it back through
 * the stream machinery; on a nested query (5 calls, ~220 KB) that was an eighth of the request's CPU (issue 12).
 * Only a streamed body (files) still takes `request()`, whose Readable the caller consumes.
 */
import type { IncomingHttpHeaders } from 'node:http';
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
      if (!x.stream) {
        const res = await exchange(
          dispatcher,
          `${baseUrl}${req.path}${req.query ?? ''}`,
          req,
          headers,
          x.signal,
          (s) => {
            status = s;
          },
        );
        status = res.status;
        if (status >= 200 && status < 300) return res.answer;
        return {
          status,
          text: res.answer.text,
          bytes: res.bytes,
          error: answerError(res, req, now()),
        } satisfies Answer;
      }
      const reply = await streamExchange(
        dispatcher,
        `${baseUrl}${req.path}${req.query ?? ''}`,
        { method: req.method, headers, body: req.body },
        x,
        (s) => {
          status = s;
        },
      );
      if ('answer' in reply) return reply.answer;
      const { text } = reply;
      const length = reply.headers['content-length'];
      const bytes = typeof length === 'string' && /^\d+$/.test(length) ? Number(length) : Buffer.byteLength(text);
      return { status: reply.status, text, bytes, error: answerError(reply, req, now()) };
    } catch (cause) {
      throw transportError(cause, x, status);
    }
  };
}

/** What `streamExchange` gives: a 2xx answer with its body unread, or another status with its body read. */
export type StreamedReply =
  | { readonly answer: Answer }
  | { readonly status: number; readonly headers: IncomingHttpHeaders; readonly text: string };

/**
 * One exchange whose 2xx body is handed out unread (`Answer.stream`: files, REST's or SOAP's), undici's idle timer
 * bounding each silence of the body (it does not run while the reader holds the body back); another status comes
 * back with its body read, for the caller to judge. `onStatus` learns the status as soon as it is known.
 */
export async function streamExchange(
  dispatcher: Dispatcher,
  href: string,
  init: {
    readonly method: Exchange['request']['method'];
    readonly headers: Record<string, string>;
    readonly body?: string;
  },
  x: Exchange,
  onStatus: (status: number) => void,
): Promise<StreamedReply> {
  const res = await request(href, {
    dispatcher,
    method: init.method,
    headers: init.headers,
    body: init.body,
    signal: x.signal,
    bodyTimeout: x.timeoutMs,
  });
  const status = res.statusCode;
  onStatus(status);
  if (status >= 200 && status < 300) {
    const fail = (cause: unknown): ProfitError =>
      cause instanceof ProfitError ? cause : transportError(cause, x, status);
    return { answer: { status, text: '', stream: { status, body: res.body, fail } } };
  }
  return { status, headers: res.headers, text: await res.body.text() };
}

/** A non-2xx answer as the ProfitError to report. AFAS's OpenAPI files give every 503 a `Retry-After` header. */
function answerError(
  res: { readonly status: number; readonly headers: IncomingHttpHeaders; readonly text: string },
  req: Exchange['request'],
  nowMs: number,
): ProfitError {
  const header = res.headers['retry-after'];
  const retryAfterHeader = Array.isArray(header) ? header[0] : header;
  return errorFromResponse(res.status, res.text, {
    method: req.method,
    path: req.path,
    ...(retryAfterHeader !== undefined ? { retryAfterHeader } : {}),
    nowMs,
  });
}

export interface WholeAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  /** Bytes received (the body as sent, before decoding). */
  readonly bytes: number;
  /** The answer with its body's bytes, its text decoded only when read. */
  readonly answer: Answer;
}

/**
 * One exchange whose body is read whole (the SOAP transport sends through it too). Resolves when the body is complete; rejects with undici's error, or with
 * the signal's reason once it fires (`onStatus` has then told the caller whether an answer had begun).
 */
export function exchange(
  dispatcher: Dispatcher,
  href: string,
  req: Exchange['request'],
  headers: Record<string, string>,
  signal: AbortSignal | undefined,
  onStatus: (status: number) => void,
): Promise<WholeAnswer> {
  // The origin and path exactly as `request(url)` derives them (`new URL`: e.g. a `'` of the query goes out as %27).
  const url = new URL(href);
  return new Promise<WholeAnswer>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const handler = new WholeBody(resolve, reject, onStatus, signal);
    dispatcher.dispatch(
      {
        origin: url.origin,
        path: url.search ? `${url.pathname}${url.search}` : url.pathname,
        method: req.method,
        headers,
        body: req.body,
      },
      handler,
    );
  });
}

/** Keeps a body's Buffers, joined once at its end (its text decoded when first read). */
class WholeBody implements Dispatcher.DispatchHandler {
  #controller: Dispatcher.DispatchController | undefined;
  #reason: unknown;
  #aborted = false;
  #status = 0;
  #headers: IncomingHttpHeaders = {};
  #chunks: Buffer[] = [];
  #length = 0;
  #settled = false;
  readonly #onAbort: (() => void) | undefined;

  constructor(
    private readonly resolve: (answer: WholeAnswer) => void,
    private readonly reject: (cause: unknown) => void,
    private readonly onStatus: (status: number) => void,
    private readonly signal: AbortSignal | undefined,
  ) {
    if (signal !== undefined) {
      this.#onAbort = () => {
        this.#aborted = true;
        this.#reason = signal.reason;
        // Not yet started (waiting for a connection): aborted in onRequestStart, as `request()` does.
        this.#controller?.abort(signal.reason);
      };
      signal.addEventListener('abort', this.#onAbort, { once: true });
    }
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    if (this.#aborted) controller.abort(this.#reason as Error);
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    // 1xx: informational, the answer follows.
    if (statusCode < 200) return;
    this.#status = statusCode;
    this.#headers = headers;
    this.onStatus(statusCode);
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.#chunks.push(chunk);
    this.#length += chunk.length;
  }

  onResponseEnd(): void {
    if (this.#settle()) {
      const answer = new BodyAnswer(this.#status, this.#length, whole(this.#chunks, this.#length));
      this.resolve(new WholeReply(this.#headers, answer));
    }
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    if (this.#settle()) this.reject(error);
  }

  #settle(): boolean {
    if (this.#settled) return false;
    this.#settled = true;
    if (this.#onAbort !== undefined) this.signal?.removeEventListener('abort', this.#onAbort);
    return true;
  }
}

/**
 * A body read whole, its text decoded on first read: a JSON answer is parsed from `body` (json.ts `jsonText`), and
 * UTF-8 decoding into a string costs as much as JSON.parse when the text is not all ASCII (issue 12).
 *
 * Classes, not object literals with `get text()` closures: an object given accessors that are new closures each
 * time outlives V8's young-generation collections (they are freed only by a full GC), and with it everything the
 * closures reach, here the answer's text and body (issue 12; docs/benchmarks.md).
 */
class BodyAnswer implements Answer {
  #text: string | undefined;

  constructor(
    readonly status: number,
    readonly bytes: number,
    readonly body: Buffer,
  ) {}

  get text(): string {
    this.#text ??= this.body.toString('utf8');
    return this.#text;
  }
}

/** `WholeAnswer` of a `BodyAnswer`. */
class WholeReply implements WholeAnswer {
  readonly status: number;
  readonly bytes: number;

  constructor(
    readonly headers: IncomingHttpHeaders,
    readonly answer: BodyAnswer,
  ) {
    this.status = answer.status;
    this.bytes = answer.bytes;
  }

  get text(): string {
    return this.answer.text;
  }
}

/** A body's Buffers as one, a leading UTF-8 BOM left out (as `body.text()` skips it). */
function whole(chunks: readonly Buffer[], length: number): Buffer {
  if (length === 0) return EMPTY;
  const buffer = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, length);
  const bom = length > 2 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf;
  return bom ? buffer.subarray(3) : buffer;
}
const EMPTY = Buffer.alloc(0);

/** Transport error codes from which nothing was sent (the connection was never established). */
const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const TIMEOUT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
]);

/** A failure with no (complete) answer, by the attempt's abort reason and the error code undici gives. */
export function transportError(cause: unknown, x: Exchange, status: number | undefined): ProfitError {
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
