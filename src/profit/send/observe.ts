/**
 * The observer events (`onRequest`, `onResponse`): one pair per attempt that is sent, sharing an `id`. It sits
 * inside the slot and the maintenance circuit, so it sees each attempt as it goes out; a metric or a trace is one
 * more wrapper beside it (`ProfitConnectionOptions.wrappers`).
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

/** Numbers the attempts (`Exchange.id`) and reports them. One per connection: the ids count across its calls. */
export function observe({ onRequest, onResponse }: ObserveOptions): Wrapper {
  let attempts = 0;
  if (onRequest === undefined && onResponse === undefined) {
    // Nothing to report: only the ids, for the wrappers inside.
    return (next: Send): Send =>
      (x) => {
        x.id = ++attempts;
        return next(x);
      };
  }
  return (next: Send): Send =>
    async (x) => {
      x.id = ++attempts;
      const started = performance.now();
      if (onRequest) emit(onRequest, requestEvent(x));
      let answer: Answer;
      try {
        answer = await next(x);
      } catch (error) {
        if (onResponse) {
          const e = error instanceof ProfitError ? error : undefined;
          emit(onResponse, {
            ...requestEvent(x),
            durationMs: performance.now() - started,
            ...(e?.status !== undefined ? { status: e.status } : {}),
            errorKind: e?.kind ?? 'network',
          });
        }
        throw error;
      }
      if (onResponse) {
        const { status, bytes, stream } = answer;
        // The event of a streamed body waits for its end, and says how it ended.
        whenSettled(answer, () => {
          const errorKind = stream ? streamFailure(stream) : answer.error ? kindOfStatus(status) : undefined;
          emit(onResponse, {
            ...requestEvent(x),
            durationMs: performance.now() - started,
            ...(bytes !== undefined ? { bytes } : {}),
            status,
            ...(errorKind !== undefined ? { errorKind } : {}),
          });
        });
      }
      return answer;
    };
}

function requestEvent(x: Exchange): ProfitRequestEvent {
  return { method: x.request.method, path: x.request.path, attempt: x.attempt, id: x.id, queuedMs: x.queuedMs };
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
