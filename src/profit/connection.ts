/**
 * One Profit environment: base URL, keep-alive connection pool, concurrency cap with a FIFO queue, timeouts,
 * retries, OAuth token cache and observer hooks. Many `ProfitClient`s (one per credential) share a connection,
 * so the environment's cap holds across all callers.
 */
import type { Readable } from 'node:stream';
import { type Dispatcher, Pool, request } from 'undici';
import { normalizeBaseUrl, type ProfitEnvironment, profitBaseUrl } from './address.js';
import { ProfitClient } from './client.js';
import type { Credential, OAuthClientCredential } from './credentials.js';
import {
  errorFromResponse,
  formatSeconds,
  invalidArgument,
  isRecord,
  ProfitError,
  type ProfitErrorKind,
  parseErrorBody,
  retryAfterOf,
} from './errors.js';
import { backoffDelay, Limiter, sleep } from './limiter.js';
import { hasControlCharacter } from './text.js';

export interface ProfitRetryOptions {
  /**
   * Attempts, the first included, for GET requests (and the OAuth token request). Writes always get exactly one.
   * @default 3
   */
  readonly maxAttempts?: number;
  /** First backoff ceiling; doubles per retry, with full jitter. @default 250 ms */
  readonly baseDelayMs?: number;
  /** Backoff ceiling. @default 5_000 ms */
  readonly maxDelayMs?: number;
  /**
   * A 503's `retry_after` is honoured (waited, then retried) only up to this; beyond it the call fails fast with
   * kind `unavailable`, saying when Profit expects to be back (maintenance windows last hours).
   * @default 10 s
   */
  readonly maxRetryAfterSeconds?: number;
  /**
   * The maintenance circuit. After a 503 whose `retry_after` exceeds `maxRetryAfterSeconds` (a maintenance
   * window: hours), the connection stops sending: calls fail fast with kind `unavailable` (not sent, saying when
   * Profit expects to be back) until that time, except one probe call at a time and at most one per this many
   * seconds, so the connection resumes on its own when the window ends early. Any answer to a probe other than
   * such a 503 closes the circuit. `0`: a probe whenever none is in flight.
   * @default undefined (off: every call is sent)
   */
  readonly maintenanceProbeSeconds?: number;
}

/** Passed to `onRequest`: never headers, never the query string (it may hold personal data). */
export interface ProfitRequestEvent {
  readonly method: string;
  /** Path below the base URL, e.g. `/connectors/Profit_Users`. */
  readonly path: string;
  /** 1 for the first attempt. */
  readonly attempt: number;
  /**
   * Identifies this attempt within its connection (the same in its request and response events), so an observer
   * can pair the two (a span, a timer).
   */
  readonly id: number;
  /** Time this attempt waited for a slot of the cap before it was sent, ms (0 without a wait). */
  readonly queuedMs: number;
}

export interface ProfitResponseEvent extends ProfitRequestEvent {
  /** HTTP status; absent when no answer came (timeout, network error). */
  readonly status?: number;
  /** Time from sending to the full body (queue wait excluded). */
  readonly durationMs: number;
  /** Set when the exchange failed or Profit answered non-2xx. */
  readonly errorKind?: ProfitErrorKind;
  /** Bytes of the answer's body; absent when none came or the body was streamed to the caller (files). */
  readonly bytes?: number;
}

export interface ProfitConnectionOptions {
  /**
   * Explicit base URL, e.g. an emulator `http://127.0.0.1:8080/ProfitRestServices` or a proxy.
   * Give either this or `environment`.
   */
  readonly baseUrl?: string;
  /** Environment number and type, giving `https://{id}.rest[test|accept].afas.online/ProfitRestServices`. */
  readonly environment?: ProfitEnvironment;
  /** `IntegrationId` header (`{subscription}_{project}`), mandatory for certified partner integrations. */
  readonly integrationId?: string;
  /** `Accept-Language` header (`nl-nl`, `en-us`, `nl-be`, `fr-fr`, `de-de`); Profit's messages follow it. */
  readonly acceptLanguage?: string;
  /** Parallel calls to this environment; Profit documents 5–8 per client. @default 4 */
  readonly maxConcurrent?: number;
  /**
   * Parallel calls that verify a credential not yet known (`CallOptions.verification`), on a cap of their own
   * beside `maxConcurrent`: a flood of made-up credentials then waits for these slots and never for the ones known
   * callers use. Keep `maxConcurrent + verificationConcurrent` within Profit's 5–8. @default 2
   */
  readonly verificationConcurrent?: number;
  /**
   * Per attempt: time waiting for a free slot plus the whole HTTP exchange. Profit itself gives up after 900 s;
   * a client timeout does not stop Profit working, which is why retries back off.
   * @default 30_000 ms
   */
  readonly timeoutMs?: number;
  readonly retry?: ProfitRetryOptions;
  /** An OAuth access token is renewed this long before its `expires_in` runs out. @default 60_000 ms */
  readonly tokenRefreshSkewMs?: number;
  /**
   * Convert the columns a `get` call declares as `date` / `datetime` (its `columns` option); `false` leaves them as
   * Profit's text. Nothing is ever converted by its shape alone. @default true
   */
  readonly convertDateTimes?: boolean;
  /** Idle keep-alive time of pooled sockets (ignored with an injected dispatcher). @default 10_000 ms */
  readonly keepAliveTimeoutMs?: number;
  /** An undici dispatcher (Agent, Pool, MockAgent…) to use instead of the connection's own keep-alive Pool. */
  readonly dispatcher?: Dispatcher;
  /** Observer called before each attempt is sent. Exceptions it throws are ignored. */
  readonly onRequest?: (event: ProfitRequestEvent) => void;
  /** Observer called after each attempt (success or failure). Exceptions it throws are ignored. */
  readonly onResponse?: (event: ProfitResponseEvent) => void;
  /** The clock of the maintenance circuit (`retry.maintenanceProbeSeconds`), in ms. @default Date.now */
  readonly now?: () => number;
}

/** Per-call options. */
export interface CallOptions {
  /** Aborts the call (kind `aborted`). */
  readonly signal?: AbortSignal;
  /** Overrides the connection's `timeoutMs` for this call. */
  readonly timeoutMs?: number;
  /**
   * This call verifies a credential not yet known (its first `/metainfo`): it takes a slot of the verification cap
   * (`verificationConcurrent`) instead of the shared one. @default false
   */
  readonly verification?: boolean;
}

/** Options with every default applied; frozen. */
export interface ResolvedConnectionOptions {
  readonly baseUrl: string;
  readonly integrationId: string | undefined;
  readonly acceptLanguage: string | undefined;
  readonly maxConcurrent: number;
  readonly verificationConcurrent: number;
  readonly timeoutMs: number;
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxRetryAfterSeconds: number;
  /** `undefined`: no maintenance circuit. */
  readonly maintenanceProbeSeconds: number | undefined;
  readonly tokenRefreshSkewMs: number;
  readonly convertDateTimes: boolean;
  readonly keepAliveTimeoutMs: number;
}

/**
 * Profit refuses request bodies beyond 75 MB with a 413 (endpoint-knsubject-post.md: "maximum request size including
 * attachments is 75 MB"), read as 75 000 000 bytes, like the emulator; refusing them here saves the upload.
 */
export const MAX_REQUEST_BODY_BYTES = 75_000_000;

/** @internal */
export interface SendRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  /** `''` or `?…`, already encoded. */
  readonly query?: string;
  readonly body?: string;
  readonly contentType?: string;
  /**
   * Whether the request may be repeated automatically. Only GETs: a write that timed out or lost its connection
   * may already have been executed by Profit (it keeps working after a client timeout), and repeating it could
   * book an entry or create a record twice.
   */
  readonly idempotent: boolean;
}

/** @internal */
export interface SendResponse {
  readonly status: number;
  readonly text: string;
}

/**
 * @internal A 2xx answer whose body is still arriving. Read `body` to its end or destroy it: the call keeps its
 * slot of the cap until then. `fail` turns an error of `body` into the ProfitError to report.
 */
export interface StreamResponse {
  readonly status: number;
  readonly body: Readable;
  fail(cause: unknown): ProfitError;
}

/** `retryAfter`: the answer's `Retry-After` header, which AFAS's OpenAPI files give every 503. */
type ExchangeResult = SendResponse & { readonly stream?: StreamResponse; readonly retryAfter?: string };

const TIMEOUT = Symbol('profit-timeout');
const CALLER_ABORT = Symbol('profit-caller-abort');
/** Errors that must not be retried even for GETs: waiting longer in our own queue would not help. */
const NOT_RETRYABLE = new WeakSet<ProfitError>();
const MAX_TOKEN_CACHE = 1000;

function positiveInt(value: number | undefined, fallback: number, name: string): number {
  const v = value ?? fallback;
  if (!Number.isSafeInteger(v) || v < 1) invalidArgument(`${name} must be a positive integer, got ${v}`);
  return v;
}

function nonNegative(value: number | undefined, fallback: number, name: string): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v < 0) invalidArgument(`${name} must be a non-negative number, got ${v}`);
  return v;
}

function headerValue(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (value === '' || hasControlCharacter(value)) invalidArgument(`${name} must be a non-empty single-line value`);
  return value;
}

/** Resolves every default once. Pure. */
export function resolveConnectionOptions(options: ProfitConnectionOptions): ResolvedConnectionOptions {
  if ((options.baseUrl === undefined) === (options.environment === undefined)) {
    invalidArgument('give exactly one of baseUrl or environment');
  }
  const base =
    options.baseUrl !== undefined
      ? normalizeBaseUrl(options.baseUrl).toString()
      : profitBaseUrl(options.environment as ProfitEnvironment);
  const retry = options.retry ?? {};
  return Object.freeze({
    baseUrl: base.replace(/\/+$/, ''),
    integrationId: headerValue(options.integrationId, 'integrationId'),
    acceptLanguage: headerValue(options.acceptLanguage, 'acceptLanguage'),
    maxConcurrent: positiveInt(options.maxConcurrent, 4, 'maxConcurrent'),
    verificationConcurrent: positiveInt(options.verificationConcurrent, 2, 'verificationConcurrent'),
    timeoutMs: positiveInt(options.timeoutMs, 30_000, 'timeoutMs'), // ms
    maxAttempts: positiveInt(retry.maxAttempts, 3, 'retry.maxAttempts'),
    baseDelayMs: nonNegative(retry.baseDelayMs, 250, 'retry.baseDelayMs'), // ms
    maxDelayMs: nonNegative(retry.maxDelayMs, 5_000, 'retry.maxDelayMs'), // ms
    maxRetryAfterSeconds: nonNegative(retry.maxRetryAfterSeconds, 10, 'retry.maxRetryAfterSeconds'), // s
    maintenanceProbeSeconds:
      retry.maintenanceProbeSeconds === undefined
        ? undefined
        : nonNegative(retry.maintenanceProbeSeconds, 0, 'retry.maintenanceProbeSeconds'), // s
    tokenRefreshSkewMs: nonNegative(options.tokenRefreshSkewMs, 60_000, 'tokenRefreshSkewMs'), // ms
    convertDateTimes: options.convertDateTimes ?? true,
    keepAliveTimeoutMs: positiveInt(options.keepAliveTimeoutMs, 10_000, 'keepAliveTimeoutMs'), // ms
  });
}

/** An open maintenance circuit: Profit said, at `since`, that it is unavailable until `until` (both ms). */
interface MaintenanceWindow {
  readonly since: number;
  readonly until: number;
  /** Profit's own words in the 503, if any. */
  readonly externalMessage: string | undefined;
  /** The earliest time the next probe may be sent. */
  nextProbeAt: number;
  probing: boolean;
}

interface TokenEntry {
  token?: string;
  refreshAt: number;
  inflight?: Promise<string>;
}

/** Transport error codes from which nothing was sent (the connection was never established). */
const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const TIMEOUT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
]);

function errorCode(e: unknown): string | undefined {
  for (let cur: unknown = e, depth = 0; isErrorLike(cur) && depth < 5; cur = cur.cause, depth++) {
    if (typeof cur.code === 'string') return cur.code;
  }
  return undefined;
}

function isErrorLike(e: unknown): e is { code?: unknown; cause?: unknown } {
  return typeof e === 'object' && e !== null;
}

export class ProfitConnection {
  readonly options: ResolvedConnectionOptions;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #limiter: Limiter;
  readonly #verificationLimiter: Limiter;
  readonly #tokens = new Map<string, TokenEntry>();
  readonly #onRequest: ((e: ProfitRequestEvent) => void) | undefined;
  readonly #onResponse: ((e: ProfitResponseEvent) => void) | undefined;
  readonly #now: () => number;
  /** The last attempt's `id` in observer events. */
  #attempts = 0;
  #maintenance: MaintenanceWindow | undefined;
  #closed = false;

  constructor(options: ProfitConnectionOptions) {
    this.options = resolveConnectionOptions(options);
    this.#limiter = new Limiter(this.options.maxConcurrent);
    this.#verificationLimiter = new Limiter(this.options.verificationConcurrent);
    this.#onRequest = options.onRequest;
    this.#onResponse = options.onResponse;
    this.#now = options.now ?? Date.now;
    if (options.dispatcher) {
      this.#dispatcher = options.dispatcher;
      this.#ownsDispatcher = false;
    } else {
      // A socket per slot of both caps, so a verification never waits in the pool for a known caller's socket (nor
      // the reverse), and one extra for OAuth token requests, which take no slot.
      this.#dispatcher = new Pool(new URL(this.options.baseUrl).origin, {
        connections: this.options.maxConcurrent + this.options.verificationConcurrent + 1,
        pipelining: 1,
        keepAliveTimeout: this.options.keepAliveTimeoutMs,
        connect: { minVersion: 'TLSv1.2' },
      });
      this.#ownsDispatcher = true;
    }
  }

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  /** Calls in flight and calls waiting for a slot of the shared cap. */
  get load(): { readonly active: number; readonly queued: number } {
    return { active: this.#limiter.active, queued: this.#limiter.queued };
  }

  /** Verifications of credentials not yet known in flight and waiting for a slot of their own cap. */
  get verificationLoad(): { readonly active: number; readonly queued: number } {
    return { active: this.#verificationLimiter.active, queued: this.#verificationLimiter.queued };
  }

  /**
   * Set while the maintenance circuit is open (`retry.maintenanceProbeSeconds`): when Profit expects to be back,
   * as Profit's `retry_after` said.
   */
  get maintenanceUntil(): Date | undefined {
    const m = this.#maintenance;
    return m === undefined || this.#now() >= m.until ? undefined : new Date(m.until);
  }

  /** A client for one credential on this environment. Cheap: create one per caller or request. */
  client(credential: Credential): ProfitClient {
    return new ProfitClient(this, credential);
  }

  /** Closes the connection's own pool (an injected dispatcher is left to its owner). */
  async close(): Promise<void> {
    this.#closed = true;
    this.#tokens.clear();
    if (this.#ownsDispatcher) await this.#dispatcher.close();
  }

  toString(): string {
    return `ProfitConnection(${this.options.baseUrl})`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    const { active, queued } = this.load;
    return `ProfitConnection(${this.options.baseUrl}, ${active}/${this.options.maxConcurrent} active, ${queued} queued)`;
  }

  /**
   * Sends one logical call with the credential: authorisation, cap, timeout, retries (GET only) and error
   * translation. Resolves only for 2xx. @internal (used by ProfitClient)
   */
  async send(credential: Credential, req: SendRequest, call: CallOptions = {}): Promise<SendResponse> {
    return this.#send(credential, req, call, false);
  }

  /**
   * @internal Like `send` for a GET whose 2xx body is read as it arrives (files). Retries, token refresh and the
   * maintenance circuit act before the body starts; `timeoutMs` bounds the wait for the answer's headers, and
   * then each silence of the body while its reader keeps up.
   */
  async sendStream(credential: Credential, req: SendRequest, call: CallOptions = {}): Promise<StreamResponse> {
    const res = await this.#send(credential, req, call, true);
    if (!res.stream)
      throw new ProfitError('invalid-response', `${req.method} ${req.path}: no body`, { status: res.status });
    return res.stream;
  }

  async #send(credential: Credential, req: SendRequest, call: CallOptions, stream: boolean): Promise<ExchangeResult> {
    if (this.#closed) throw new ProfitError('network', 'the Profit connection is closed', { requestSent: false });
    if (req.body !== undefined && Buffer.byteLength(req.body) > MAX_REQUEST_BODY_BYTES) {
      throw new ProfitError(
        'too-large',
        `the ${req.method} ${req.path} body is larger than the 75 MB Profit accepts; the request was not sent`,
        { method: req.method, path: req.path, requestSent: false },
      );
    }
    const o = this.options;
    const maxAttempts = req.idempotent ? o.maxAttempts : 1;
    let refreshedToken = false;
    for (let attempt = 1; ; attempt++) {
      const authorization = await this.#authorization(credential, call);
      let res: ExchangeResult;
      try {
        res = await this.#exchange(req, authorization, attempt, call, true, stream);
      } catch (e) {
        if (
          e instanceof ProfitError &&
          (e.kind === 'timeout' || e.kind === 'network') &&
          !NOT_RETRYABLE.has(e) &&
          attempt < maxAttempts
        ) {
          await this.#backoff(attempt, call, req);
          continue;
        }
        throw e;
      }
      if (res.status >= 200 && res.status < 300) return res;
      const error = errorFromResponse(res.status, res.text, {
        method: req.method,
        path: req.path,
        ...this.#retryAfterContext(res),
      });
      // 401 with an OAuth token: it may have been revoked or expired early. 401 means not executed, so one
      // retry with a fresh token is safe even for writes.
      if (error.kind === 'unauthorized' && credential.kind === 'oauth-client' && !refreshedToken) {
        refreshedToken = true;
        this.#invalidateToken(credential, authorization);
        attempt--;
        continue;
      }
      if (error.kind === 'unavailable' && attempt < maxAttempts) {
        const after = error.retryAfterSeconds;
        if (after !== undefined && after > o.maxRetryAfterSeconds) throw error; // fail fast: maintenance
        if (after !== undefined) await this.#sleep(after * 1000, call, req);
        else await this.#backoff(attempt, call, req);
        continue;
      }
      throw error;
    }
  }

  async #backoff(attempt: number, call: CallOptions, req: SendRequest): Promise<void> {
    const o = this.options;
    await this.#sleep(backoffDelay(attempt - 1, o.baseDelayMs, o.maxDelayMs), call, req);
  }

  async #sleep(ms: number, call: CallOptions, req: SendRequest): Promise<void> {
    try {
      await sleep(ms, call.signal);
    } catch (cause) {
      throw new ProfitError('aborted', `${req.method} ${req.path} was aborted by the caller while waiting to retry`, {
        method: req.method,
        path: req.path,
        requestSent: true,
        cause,
      });
    }
  }

  /**
   * One HTTP exchange: slot, send, read the whole body (with `stream`, a 2xx body is handed out unread, and the
   * slot and observers wait for its end). Throws ProfitError only for transport failures.
   */
  async #exchange(
    req: SendRequest,
    authorization: string | undefined,
    attempt: number,
    call: CallOptions,
    useLimiter: boolean,
    stream = false,
  ): Promise<ExchangeResult> {
    const o = this.options;
    const timeoutMs = call.timeoutMs ?? o.timeoutMs;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(TIMEOUT), timeoutMs);
    const onCallerAbort = () => controller.abort(CALLER_ABORT);
    if (call.signal?.aborted) controller.abort(CALLER_ABORT);
    else call.signal?.addEventListener('abort', onCallerAbort, { once: true });
    const ctx = { method: req.method, path: req.path };
    const id = ++this.#attempts;
    const queuedFrom = performance.now();
    let queuedMs = 0;
    let bytes: number | undefined;
    let release: (() => void) | undefined;
    let started: number | undefined;
    let status: number | undefined;
    let errorKind: ProfitErrorKind | undefined;
    let probe = false;
    let handedOff = false;
    const finish = () => {
      if (probe && this.#maintenance) this.#maintenance.probing = false;
      clearTimeout(timer);
      call.signal?.removeEventListener('abort', onCallerAbort);
      release?.();
      if (started !== undefined) {
        const durationMs = performance.now() - started;
        this.#emit(this.#onResponse, {
          ...ctx,
          attempt,
          id,
          queuedMs,
          durationMs,
          ...(bytes !== undefined ? { bytes } : {}),
          ...(status !== undefined ? { status } : {}),
          ...(errorKind !== undefined ? { errorKind: errorKind === 'http' ? kindOfStatus(status) : errorKind } : {}),
        });
      }
    };
    try {
      // Refused before queueing, so a caller does not wait for a slot only to be refused after it.
      this.#maintenanceGate(req, false);
      if (useLimiter) {
        const verification = call.verification === true;
        try {
          // Waiting for a slot spends the same per-attempt budget as the exchange itself.
          release = await (verification ? this.#verificationLimiter : this.#limiter).acquire(controller.signal);
        } catch {
          const slots = verification
            ? `${o.verificationConcurrent} slots for verifying credentials not yet known`
            : `${o.maxConcurrent} parallel slots`;
          const error =
            controller.signal.reason === TIMEOUT
              ? new ProfitError(
                  'timeout',
                  `${req.method} ${req.path} waited ${timeoutMs} ms for one of the ${slots} to this Profit environment and was not sent`,
                  { ...ctx, requestSent: false },
                )
              : new ProfitError('aborted', `${req.method} ${req.path} was aborted by the caller before it was sent`, {
                  ...ctx,
                  requestSent: false,
                });
          NOT_RETRYABLE.add(error);
          throw error;
        }
      }
      // Again with a slot: the circuit may have opened while this call waited in the queue.
      probe = this.#maintenanceGate(req, true);
      const headers: Record<string, string> = { accept: 'application/json' };
      if (authorization !== undefined) headers.authorization = authorization;
      if (o.integrationId !== undefined) headers.IntegrationId = o.integrationId;
      if (o.acceptLanguage !== undefined) headers['accept-language'] = o.acceptLanguage;
      if (req.contentType !== undefined) headers['content-type'] = req.contentType;
      started = performance.now();
      if (release !== undefined) queuedMs = started - queuedFrom;
      this.#emit(this.#onRequest, { ...ctx, attempt, id, queuedMs });
      try {
        const res = await request(`${o.baseUrl}${req.path}${req.query ?? ''}`, {
          dispatcher: this.#dispatcher,
          method: req.method,
          headers,
          body: req.body,
          signal: controller.signal,
          // A streamed body: undici's idle timer, which does not run while the reader holds the body back.
          ...(stream ? { bodyTimeout: timeoutMs } : {}),
        });
        status = res.statusCode;
        if (stream && status >= 200 && status < 300) {
          this.#observeMaintenance({ status, text: '' });
          // The deadline covered the answer's headers; the body's silences are undici's bodyTimeout.
          clearTimeout(timer);
          const body = res.body;
          const fail = (cause: unknown): ProfitError =>
            cause instanceof ProfitError
              ? cause
              : this.#transportError(cause, controller.signal.reason, req, timeoutMs, status);
          body.once('close', () => {
            if (body.errored) errorKind = fail(body.errored).kind;
            else if (!body.readableEnded) errorKind = 'aborted';
            finish();
          });
          handedOff = true;
          return { status, text: '', stream: { status, body, fail } };
        }
        const text = await res.body.text();
        const length = res.headers['content-length'];
        bytes = typeof length === 'string' && /^\d+$/.test(length) ? Number(length) : Buffer.byteLength(text);
        if (status < 200 || status >= 300) errorKind = 'http';
        const header = res.headers['retry-after'];
        const retryAfter = Array.isArray(header) ? header[0] : header;
        const result = { status, text, ...(retryAfter !== undefined ? { retryAfter } : {}) };
        this.#observeMaintenance(result);
        return result;
      } catch (cause) {
        const error = this.#transportError(cause, controller.signal.reason, req, timeoutMs, status);
        errorKind = error.kind;
        throw error;
      }
    } finally {
      if (!handedOff) finish();
    }
  }

  /**
   * The maintenance circuit's gate. Closed circuit: passes. Open: throws `unavailable` (not sent), unless the
   * window has passed (the circuit closes) or, with `claim`, a probe may go now (returns true: this call is it).
   */
  #maintenanceGate(req: SendRequest, claim: boolean): boolean {
    const m = this.#maintenance;
    if (m === undefined) return false;
    const now = this.#now();
    if (now >= m.until) {
      this.#maintenance = undefined;
      return false;
    }
    if (!m.probing && now >= m.nextProbeAt) {
      if (!claim) return false;
      m.probing = true;
      m.nextProbeAt = now + (this.options.maintenanceProbeSeconds ?? 0) * 1000;
      return true;
    }
    const seconds = Math.max(1, Math.ceil((m.until - now) / 1000));
    const said = m.externalMessage ? `: ${JSON.stringify(m.externalMessage)}` : '';
    const error = new ProfitError(
      'unavailable',
      `${req.method} ${req.path} was not sent: Profit is in maintenance (it answered 503 ${formatSeconds((now - m.since) / 1000)} ago${said}). ` +
        `Profit expects to be available again in about ${formatSeconds(seconds)} (at ${new Date(m.until).toISOString()}).`,
      {
        method: req.method,
        path: req.path,
        retryAfterSeconds: seconds,
        ...(m.externalMessage !== undefined ? { externalMessage: m.externalMessage } : {}),
        requestSent: false,
      },
    );
    NOT_RETRYABLE.add(error);
    throw error;
  }

  /** The `Retry-After` header of an answer and the clock to read an HTTP-date against, for `errorFromResponse`. */
  #retryAfterContext(res: ExchangeResult): { retryAfterHeader?: string; nowMs: number } {
    return { ...(res.retryAfter !== undefined ? { retryAfterHeader: res.retryAfter } : {}), nowMs: this.#now() };
  }

  /** Opens the maintenance circuit on a 503 asking to wait beyond the cap; any other answer closes it. */
  #observeMaintenance(res: ExchangeResult): void {
    const o = this.options;
    if (o.maintenanceProbeSeconds === undefined) return;
    if (res.status === 503) {
      const body = parseErrorBody(res.text);
      const after = retryAfterOf(body, res.retryAfter, this.#now());
      if (after !== undefined && after > o.maxRetryAfterSeconds) {
        const now = this.#now();
        this.#maintenance = {
          since: now,
          until: now + after * 1000,
          externalMessage: body.externalMessage,
          nextProbeAt: now + o.maintenanceProbeSeconds * 1000,
          probing: false,
        };
        return;
      }
    }
    this.#maintenance = undefined;
  }

  #transportError(
    cause: unknown,
    abortReason: unknown,
    req: SendRequest,
    timeoutMs: number,
    status: number | undefined,
  ): ProfitError {
    const ctx = { method: req.method, path: req.path, cause, ...(status !== undefined ? { status } : {}) };
    const what = `${req.method} ${req.path}`;
    const maybeDone = req.method === 'GET' ? '' : ' Profit may still have executed it: check before repeating.';
    if (abortReason === TIMEOUT) {
      return new ProfitError('timeout', `${what}: no complete answer from Profit within ${timeoutMs} ms.${maybeDone}`, {
        ...ctx,
        requestSent: true,
      });
    }
    if (abortReason === CALLER_ABORT) {
      return new ProfitError('aborted', `${what} was aborted by the caller.${maybeDone}`, {
        ...ctx,
        requestSent: true,
      });
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

  #emit<E>(hook: ((e: E) => void) | undefined, event: E): void {
    if (!hook) return;
    try {
      hook(event);
    } catch {
      // An observer must never break a call.
    }
  }

  async #authorization(credential: Credential, call: CallOptions): Promise<string> {
    if (credential.kind !== 'oauth-client') return credential.authorization();
    const token = this.#tokenFor(credential).then((t) => `Bearer ${t}`);
    if (!call.signal) return token;
    // A caller giving up does not cancel the shared refresh other callers are waiting on.
    return Promise.race([
      token,
      new Promise<never>((_, reject) => {
        const abort = () =>
          reject(
            new ProfitError('aborted', 'aborted by the caller while waiting for an OAuth token', {
              requestSent: false,
            }),
          );
        if (call.signal?.aborted) abort();
        else call.signal?.addEventListener('abort', abort, { once: true });
        token.then(
          () => call.signal?.removeEventListener('abort', abort),
          () => call.signal?.removeEventListener('abort', abort),
        );
      }),
    ]);
  }

  /** The cached access token, or the one refresh in flight for this credential, or a new refresh. */
  #tokenFor(credential: OAuthClientCredential): Promise<string> {
    const key = credential.fingerprint;
    let entry = this.#tokens.get(key);
    if (entry?.token !== undefined && Date.now() < entry.refreshAt) return Promise.resolve(entry.token);
    if (entry?.inflight) return entry.inflight;
    if (!entry) {
      entry = { refreshAt: 0 };
      this.#tokens.set(key, entry);
      this.#evictTokens();
    }
    const e = entry;
    const requestedAt = Date.now();
    e.inflight = this.#fetchToken(credential).then(
      ({ token, expiresInSeconds }) => {
        const lifetime = expiresInSeconds * 1000;
        e.token = token;
        // Renew `skew` before expiry, but never use less than half of a short lifetime.
        e.refreshAt = requestedAt + Math.max(lifetime - this.options.tokenRefreshSkewMs, lifetime / 2);
        e.inflight = undefined;
        return token;
      },
      (error: unknown) => {
        e.inflight = undefined;
        throw error;
      },
    );
    return e.inflight;
  }

  #invalidateToken(credential: OAuthClientCredential, authorization: string): void {
    const entry = this.#tokens.get(credential.fingerprint);
    // Only drop the token that failed; another caller may already have fetched a fresh one.
    if (entry?.token !== undefined && `Bearer ${entry.token}` === authorization) {
      entry.token = undefined;
      entry.refreshAt = 0;
    }
  }

  #evictTokens(): void {
    for (const [key, entry] of this.#tokens) {
      if (this.#tokens.size <= MAX_TOKEN_CACHE) break;
      if (!entry.inflight) this.#tokens.delete(key);
    }
  }

  /**
   * `POST {base}/oauth/token` with the client-credentials grant. Retried like a GET on 503, timeouts and network
   * errors: asking for a token has no effect beyond issuing one, so repeating it is harmless. It does not take a
   * slot of the cap (it runs before the call that needs it takes one), and at most one runs per credential.
   */
  async #fetchToken(credential: OAuthClientCredential): Promise<{ token: string; expiresInSeconds: number }> {
    const req: SendRequest = {
      method: 'POST',
      path: '/oauth/token',
      body: credential.tokenRequestBody(),
      contentType: 'application/x-www-form-urlencoded',
      idempotent: true,
    };
    const o = this.options;
    for (let attempt = 1; ; attempt++) {
      let res: ExchangeResult;
      try {
        // The token request carries the client credentials in its form body, not in an Authorization header.
        res = await this.#exchange(req, undefined, attempt, {}, false);
      } catch (e) {
        if (e instanceof ProfitError && (e.kind === 'timeout' || e.kind === 'network') && attempt < o.maxAttempts) {
          await sleep(backoffDelay(attempt - 1, o.baseDelayMs, o.maxDelayMs));
          continue;
        }
        throw e;
      }
      if (res.status === 503 && attempt < o.maxAttempts) {
        const err = errorFromResponse(res.status, res.text, { ...req, ...this.#retryAfterContext(res) });
        const after = err.retryAfterSeconds;
        if (after !== undefined && after > o.maxRetryAfterSeconds) throw err;
        await sleep(after !== undefined ? after * 1000 : backoffDelay(attempt - 1, o.baseDelayMs, o.maxDelayMs));
        continue;
      }
      if (res.status < 200 || res.status >= 300) {
        const err = errorFromResponse(res.status, res.text, req);
        if (res.status === 400 || res.status === 401) {
          throw new ProfitError(
            'unauthorized',
            `Profit's OAuth token endpoint refused the client credentials (${res.status}${err.externalMessage ? `: ${err.externalMessage}` : ''})`,
            { status: res.status, externalMessage: err.externalMessage, method: 'POST', path: req.path },
          );
        }
        throw err;
      }
      return parseTokenResponse(res.text, req.path);
    }
  }
}

function kindOfStatus(status: number | undefined): ProfitErrorKind {
  return status === undefined ? 'network' : errorFromResponse(status, '', { method: '', path: '' }).kind;
}

/** Reads `{access_token, token_type: "Bearer", expires_in}`. Pure. */
export function parseTokenResponse(text: string, path = '/oauth/token'): { token: string; expiresInSeconds: number } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const token = isRecord(json) ? json.access_token : undefined;
  const type = isRecord(json) ? json.token_type : undefined;
  const expires = isRecord(json) ? Number(json.expires_in) : Number.NaN;
  if (
    typeof token !== 'string' ||
    token === '' ||
    /\s/.test(token) ||
    hasControlCharacter(token) ||
    (typeof type === 'string' && type.toLowerCase() !== 'bearer') ||
    !Number.isFinite(expires) ||
    expires <= 0
  ) {
    throw new ProfitError(
      'invalid-response',
      "Profit's OAuth token endpoint answered without a usable {access_token, token_type: Bearer, expires_in}",
      { method: 'POST', path },
    );
  }
  return { token, expiresInSeconds: expires };
}
