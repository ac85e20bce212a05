/**
 * The observer events (`onRequest`, `onResponse`): one pair per attempt that is sent, sharing an `id`. A metric or
 * a trace is one more wrapper inside them (`ProfitConnectionOptions.wrappers`).
 */
import { errorFromResponse, ProfitError, type ProfitErrorKind } from '../errors.js';
import { type Answer, type Exchange, type Send, type StreamResponse, type Wrapper, whenSettled } from './send.js';

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
  /** The call's `CallOptions.tag`, when it has one. */
  readonly tag?: unknown;
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

export interface ObserveOptions {
  /** Called before each attempt is sent. Exceptions it throws are ignored. */
  readonly onRequest?: ((event: ProfitRequestEvent) => void) | undefined;
  /** Called after each attempt (success or failure). Exceptions it throws are ignored. */
  readonly onResponse?: ((event: ProfitResponseEvent) => void) | undefined;
}

/** The two halves of the observer events; see `observe`. */
export interface Observer {
  /** Inside the slot: numbers the attempt (`Exchange.id`, `sentAt`) and emits `onRequest` as it goes out. */
  readonly request: Wrapper;
  /**
   * Outside the slot: emits `onResponse` once the attempt is over and its slot free (`connection.load` no longer
   * counts it), for attempts that were sent. `undefined` without `onResponse`.
   */
  readonly response: Wrapper | undefined;
}

/**
 * The events of one connection (its ids count across its calls). Two wrappers around the slot, so that an attempt
 * is reported as it is sent, and again when it has given its slot back.
 */
export function observe({ onRequest, onResponse }: ObserveOptions): Observer {
  let attempts = 0;
  const request: Wrapper = (next: Send): Send => {
    return (x) => {
      x.id = ++attempts;
      x.sentAt = performance.now();
      if (onRequest) emit(onRequest, requestEvent(x));
      return next(x);
    };
  };
  if (onResponse === undefined) return { request, response: undefined };
  const response: Wrapper = (next: Send): Send => {
    return async (x) => {
      // Set again by `request` if this attempt is sent; a refusal before it (the queue, the circuit) is no attempt.
      x.id = 0;
      let answer: Answer;
      try {
        answer = await next(x);
      } catch (error) {
        if (x.id !== 0) {
          const e = error instanceof ProfitError ? error : undefined;
          emit(onResponse, {
            ...requestEvent(x),
            durationMs: performance.now() - x.sentAt,
            ...(e?.status !== undefined ? { status: e.status } : {}),
            errorKind: e?.kind ?? 'network',
          });
        }
        throw error;
      }
      if (x.id !== 0) {
        const { status, bytes, stream } = answer;
        // The event of a streamed body waits for its end, and says how it ended.
        whenSettled(answer, () => {
          const errorKind = stream ? streamFailure(stream) : answer.error ? kindOfStatus(status) : undefined;
          emit(onResponse, {
            ...requestEvent(x),
            durationMs: performance.now() - x.sentAt,
            ...(bytes !== undefined ? { bytes } : {}),
            status,
            ...(errorKind !== undefined ? { errorKind } : {}),
          });
        });
      }
      return answer;
    };
  };
  return { request, response };
}

function requestEvent(x: Exchange): ProfitRequestEvent {
  const { method, path } = x.request;
  const { tag } = x.call;
  return tag === undefined
    ? { method, path, attempt: x.attempt, id: x.id, queuedMs: x.queuedMs }
    : { method, path, attempt: x.attempt, id: x.id, queuedMs: x.queuedMs, tag };
}

/** The kind the status alone gives (a 401 is `unauthorized` here, whatever its body says). */
function kindOfStatus(status: number): ProfitErrorKind {
  return errorFromResponse(status, '', { method: '', path: '' }).kind;
}

/** How a streamed body that closed ended: `undefined` when read to its end. */
function streamFailure(stream: StreamResponse): ProfitErrorKind | undefined {
  const { body } = stream;
  if (body.errored) return stream.fail(body.errored).kind;
  return body.readableEnded ? undefined : 'aborted';
}

function emit<E>(hook: (event: E) => void, event: E): void {
  try {
    hook(event);
  } catch {
    // An observer must never break a call.
  }
}
