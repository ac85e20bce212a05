/**
 * Retries of idempotent requests (GETs and the OAuth token request; a write always gets exactly one attempt, see
 * `SendRequest.idempotent`). Retried: a timeout or network failure, with exponential backoff and full jitter; a
 * 503 (troubleshooting.md: maintenance or no capacity), after its `retry_after` when it gives one and backoff
 * otherwise. A 503 asking to wait beyond `maxRetryAfterSeconds` is a maintenance window of hours: it is returned
 * at once, for the caller to fail fast. Everything else is returned as it came.
 */
import { ProfitError } from '../errors.js';
import { backoffDelay, sleep } from '../limiter.js';
import { type Answer, type Exchange, isNotRetryable, type Send, type Wrapper } from './send.js';

export interface RetryOptions {
  /** Attempts, the first included, of an idempotent request. */
  readonly maxAttempts: number;
  /** First backoff ceiling, ms; doubles per retry. */
  readonly baseDelayMs: number;
  /** Backoff ceiling, ms. */
  readonly maxDelayMs: number;
  /** A 503's `retry_after` is waited only up to this, s. */
  readonly maxRetryAfterSeconds: number;
}

export function retry(options: RetryOptions): Wrapper {
  const { maxAttempts, baseDelayMs, maxDelayMs, maxRetryAfterSeconds } = options;
  const backoff = (x: Exchange) => pause(backoffDelay(x.attempt - 1, baseDelayMs, maxDelayMs), x);
  return (next: Send): Send =>
    async (x) => {
      const attempts = x.request.idempotent ? maxAttempts : 1;
      for (let attempt = 1; ; attempt++) {
        x.attempt = attempt;
        let answer: Answer;
        try {
          answer = await next(x);
        } catch (error) {
          if (attempt < attempts && isTransient(error)) {
            await backoff(x);
            continue;
          }
          throw error;
        }
        if (answer.error?.kind !== 'unavailable' || attempt >= attempts) return answer;
        const after = answer.error.retryAfterSeconds;
        if (after !== undefined && after > maxRetryAfterSeconds) return answer; // fail fast: maintenance
        if (after !== undefined) await pause(after * 1000, x);
        else await backoff(x);
      }
    };
}

/** A timeout or a network failure that a later attempt may not meet. */
function isTransient(error: unknown): boolean {
  return (
    error instanceof ProfitError && (error.kind === 'timeout' || error.kind === 'network') && !isNotRetryable(error)
  );
}

/** Waits before the next attempt; the caller's signal ends the wait, and the call, with kind `aborted`. */
async function pause(ms: number, x: Exchange): Promise<void> {
  try {
    await sleep(ms, x.call.signal);
  } catch (cause) {
    const { method, path } = x.request;
    throw new ProfitError('aborted', `${method} ${path} was aborted by the caller while waiting to retry`, {
      method,
      path,
      requestSent: true,
      cause,
    });
  }
}
