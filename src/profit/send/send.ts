/**
 * The shapes every concern of a Profit call shares. `Send` takes an exchange and resolves with Profit's answer; a
 * `Wrapper` adds one concern around the next `Send`, the way undici composes its interceptors
 * (`lib/interceptor/retry.js`: `(opts) => (dispatch) => …`); `compose` stacks them, outermost first. The order the
 * connection uses, and why: docs/profit-calls.md.
 */
import type { Readable } from 'node:stream';
import type { Credential } from '../credentials.js';
import type { ProfitError } from '../errors.js';
import type { SoapCall } from '../soap/envelope.js';

/** What a call asks of Profit. */
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
  /**
   * Carried over SOAP (src/profit/soap/transport.ts) instead of REST: the operation and its parameters. `method` and
   * `path` still name the call as REST would (`GET /connectors/Profit_Users`), so every wrapper, observer, metric
   * and message treats both transports alike.
   */
  readonly soap?: SoapCall;
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
  /**
   * Opaque to the client: handed to the observer events of this call's attempts (`ProfitRequestEvent.tag`), so an
   * observer knows whom a call was made for (the service tags each request's calls with that request).
   */
  readonly tag?: unknown;
}

/**
 * One call on its way through the wrappers: one object per call, whose per-attempt fields are rewritten by the
 * wrapper named beside each before every attempt (attempts never overlap). A wrapper reads what the wrappers
 * outside it have set. Logged or inspected, it shows neither the Authorization header nor the query or body (they
 * may hold a token, a client secret or personal data).
 */
export class Exchange {
  /** 1 for the first attempt (retry). A retry with a fresh OAuth token repeats the number. */
  attempt = 1;
  /** The `Authorization` header of this attempt (authorize). */
  authorization: string | undefined = undefined;
  /** Fires at this attempt's deadline or when the caller aborts, with the reason saying which (deadline). */
  signal: AbortSignal | undefined = undefined;
  /** This attempt's budget: waiting for a slot plus the exchange, ms (deadline). */
  timeoutMs = 0;
  /** Time this attempt waited for a slot of the cap, ms (limit). */
  queuedMs = 0;
  /** Identifies this attempt within its connection (observe); 0 until it is sent. */
  id = 0;
  /** When this attempt was sent, `performance.now()` ms (observe). */
  sentAt = 0;

  constructor(
    readonly request: SendRequest,
    readonly call: CallOptions,
    /** Whose call it is; `undefined` for the OAuth token request, which carries its client credentials in its body. */
    readonly credential: Credential | undefined,
    /** Hand a 2xx body out unread (`Answer.stream`): files. */
    readonly stream: boolean,
  ) {}

  toJSON(): Record<string, unknown> {
    const { method, path } = this.request;
    return { method, path, attempt: this.attempt, id: this.id, queuedMs: this.queuedMs, credential: this.credential };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `Exchange(${this.request.method} ${this.request.path}, attempt ${this.attempt}, id ${this.id})`;
  }
}

/** The body of a 2xx answer as it arrives. */
export interface StreamResponse {
  readonly status: number;
  /** Read it to its end or destroy it: the call keeps its slot of the cap until it closes. */
  readonly body: Readable;
  /** Turns an error of `body` into the ProfitError to report. */
  fail(cause: unknown): ProfitError;
}

/** A 2xx answer read whole. */
export interface SendResponse {
  readonly status: number;
  readonly text: string;
  /**
   * The body's bytes (UTF-8, a leading BOM removed) when it was read whole: JSON is parsed from them
   * (`jsonText`) rather than from `text`, which is then never decoded.
   */
  readonly body?: Buffer;
}

/** Profit's answer to one attempt, whatever its status. */
export interface Answer extends SendResponse {
  /** `''` when the body is streamed. */
  readonly text: string;
  /** Bytes of the body; absent when it is streamed. */
  readonly bytes?: number;
  /**
   * A non-2xx answer translated once (`errorFromResponse`, with its `Retry-After`): wrappers judge it, the
   * connection throws it.
   */
  readonly error?: ProfitError;
  /** A 2xx answer with `Exchange.stream`: the body, unread. */
  readonly stream?: StreamResponse;
}

/**
 * Sends an exchange. Resolves with any HTTP answer (its `error` set unless 2xx); rejects with a ProfitError when
 * none came (timeout, network, abort, or refused before sending).
 */
export type Send = (exchange: Exchange) => Promise<Answer>;

/** One concern around the next `Send`. */
export type Wrapper = (next: Send) => Send;

/**
 * `compose([a, b], send)` is `a(b(send))`: the first wrapper is the outermost. An `undefined` in the list (a concern
 * switched off) is left out.
 */
export function compose(wrappers: readonly (Wrapper | undefined)[], send: Send): Send {
  return wrappers.reduceRight<Send>((next, wrap) => (wrap === undefined ? next : wrap(next)), send);
}

/**
 * Runs `done` once the attempt is over: at once for an answer read whole, when the body closes for a streamed
 * one (a wrapper that holds something for the attempt, a slot or a listener, lets go there).
 */
export function whenSettled(answer: Answer, done: () => void): void {
  const body = answer.stream?.body;
  // A body destroyed (an abort) before this wrapper saw the answer has closed already: let go at once.
  if (body === undefined || body.closed) done();
  else body.once('close', done);
}

/**
 * Errors that no retry may repeat, even for a GET: a wait for a slot that ran out (the next attempt would wait in
 * the same queue), a refusal of the maintenance circuit, a token request that had its own retries.
 */
const NOT_RETRYABLE = new WeakSet<ProfitError>();

/** Marks `error` as one no retry repeats, and returns it. */
export function notRetryable(error: ProfitError): ProfitError {
  NOT_RETRYABLE.add(error);
  return error;
}

export function isNotRetryable(error: ProfitError): boolean {
  return NOT_RETRYABLE.has(error);
}
