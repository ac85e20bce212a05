/**
 * The cap of parallel calls to one Profit environment (get-connector.md allows 5 simultaneous calls,
 * troubleshooting.md "Parallel execution" at most 8). Each attempt waits in FIFO order for a slot of the shared cap, or, when it verifies a credential not yet
 * known, of the verification cap, so a flood of made-up credentials never waits for the slots known callers use.
 * The slot is held until the attempt is over (for a streamed file, until its body closes). Retries wrap this from
 * outside, so a backoff never holds a slot; the deadline wraps it too, so the wait spends the attempt's budget.
 */
import { ProfitError } from '../errors.js';
import { TIMEOUT } from './deadline.js';
import { notRetryable, type Send, type Wrapper, whenSettled } from './send.js';

/**
 * What a cap must offer: the local `Limiter` (src/profit/limiter.ts) or one held by many processes together (the
 * service's `SharedLimiter`, src/redis). `active` and `queued` count this process's callers.
 */
export interface SlotLimiter {
  readonly max: number;
  readonly active: number;
  readonly queued: number;
  /** Resolves with an idempotent release once a slot is free; rejects with `signal.reason` if it fires first. */
  acquire(signal?: AbortSignal): Promise<() => void>;
}

export function limit(shared: SlotLimiter, verification: SlotLimiter): Wrapper {
  return (next: Send): Send =>
    async (x) => {
      const verifying = x.call.verification === true;
      const from = performance.now();
      let release: () => void;
      try {
        release = await (verifying ? verification : shared).acquire(x.signal);
      } catch {
        const { method, path } = x.request;
        const slots = verifying
          ? `${verification.max} slots for verifying credentials not yet known`
          : `${shared.max} parallel slots`;
        // Not sent, and not worth a retry: the next attempt would wait in the same queue.
        throw notRetryable(
          x.signal?.reason === TIMEOUT
            ? new ProfitError(
                'timeout',
                `${method} ${path} waited ${x.timeoutMs} ms for one of the ${slots} to this Profit environment and was not sent`,
                { method, path, requestSent: false },
              )
            : new ProfitError('aborted', `${method} ${path} was aborted by the caller before it was sent`, {
                method,
                path,
                requestSent: false,
              }),
        );
      }
      x.queuedMs = performance.now() - from;
      try {
        const answer = await next(x);
        whenSettled(answer, release);
        return answer;
      } catch (error) {
        release();
        throw error;
      }
    };
}
