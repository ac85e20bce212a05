/**
 * The maintenance circuit (`retry.maintenanceProbeSeconds`). A 503 whose `retry_after` (body or `Retry-After`
 * header: troubleshooting.md and the 503 of AFAS's OpenAPI files) exceeds `maxRetryAfterSeconds` is a maintenance
 * window of hours: the circuit opens, and calls fail fast with kind `unavailable` (not sent, saying when Profit
 * expects to be back) until that time, except one probe at a time and at most one per `probeSeconds`, so the
 * connection resumes on its own when the window ends early. Any answer other than such a 503 closes it.
 *
 * Two wrappers share the state: `refuse` before the slot queue (a caller does not wait for a slot only to be
 * refused after it) and `guard` with a slot (the circuit may have opened while the call waited; a probe is claimed
 * here, and every answer is judged here).
 */
import { formatSeconds, ProfitError } from '../errors.js';
import { type Answer, type Exchange, notRetryable, type Send, type Wrapper, whenSettled } from './send.js';

export interface MaintenanceOptions {
  /** At most one probe per this many seconds while open; `0`: whenever none is in flight. */
  readonly probeSeconds: number;
  /** A 503 asking to wait longer than this opens the circuit. */
  readonly maxRetryAfterSeconds: number;
  /** The clock, ms. */
  readonly now: () => number;
}

/** An open circuit: Profit said, at `since`, that it is unavailable until `until` (both ms). */
interface Window {
  readonly since: number;
  readonly until: number;
  /** Profit's own words in the 503, if any. */
  readonly externalMessage: string | undefined;
  /** The earliest time the next probe may be sent. */
  nextProbeAt: number;
  probing: boolean;
}

export class MaintenanceCircuit {
  readonly #options: MaintenanceOptions;
  #window: Window | undefined;

  constructor(options: MaintenanceOptions) {
    this.#options = options;
  }

  /** While open: when Profit expects to be back. */
  get until(): Date | undefined {
    const w = this.#window;
    return w === undefined || this.#options.now() >= w.until ? undefined : new Date(w.until);
  }

  /** Refuses a call while open, before it queues for a slot. */
  readonly refuse: Wrapper = (next: Send): Send => {
    return (x) => {
      try {
        this.#admit(x, false);
      } catch (error) {
        return Promise.reject(error);
      }
      return next(x);
    };
  };

  /** With a slot: refuses or claims the probe, then judges the answer. */
  readonly guard: Wrapper = (next: Send): Send => {
    return async (x) => {
      const probe = this.#admit(x, true);
      let answer: Answer;
      try {
        answer = await next(x);
      } catch (error) {
        // No answer: the circuit stays as it is, and the next probe may go.
        if (probe) this.#endProbe();
        throw error;
      }
      this.#judge(answer);
      if (probe) whenSettled(answer, () => this.#endProbe());
      return answer;
    };
  };

  /**
   * Closed: passes. Open: throws `unavailable` (not sent), unless the window has passed (the circuit closes) or,
   * with `claim`, a probe may go now (returns true: this call is it).
   */
  #admit(x: Exchange, claim: boolean): boolean {
    const w = this.#window;
    if (w === undefined) return false;
    const now = this.#options.now();
    if (now >= w.until) {
      this.#window = undefined;
      return false;
    }
    if (!w.probing && now >= w.nextProbeAt) {
      if (!claim) return false;
      w.probing = true;
      w.nextProbeAt = now + this.#options.probeSeconds * 1000;
      return true;
    }
    const { method, path } = x.request;
    const seconds = Math.max(1, Math.ceil((w.until - now) / 1000));
    const said = w.externalMessage ? `: ${JSON.stringify(w.externalMessage)}` : '';
    throw notRetryable(
      new ProfitError(
        'unavailable',
        `${method} ${path} was not sent: Profit is in maintenance (it answered 503 ${formatSeconds((now - w.since) / 1000)} ago${said}). ` +
          `Profit expects to be available again in about ${formatSeconds(seconds)} (at ${new Date(w.until).toISOString()}).`,
        {
          method,
          path,
          retryAfterSeconds: seconds,
          ...(w.externalMessage !== undefined ? { externalMessage: w.externalMessage } : {}),
          requestSent: false,
        },
      ),
    );
  }

  /** Opens the circuit on a 503 asking to wait beyond the cap; any other answer closes it. */
  #judge(answer: Answer): void {
    const after = answer.status === 503 ? answer.error?.retryAfterSeconds : undefined;
    if (after !== undefined && after > this.#options.maxRetryAfterSeconds) {
      const now = this.#options.now();
      this.#window = {
        since: now,
        until: now + after * 1000,
        externalMessage: answer.error?.externalMessage,
        nextProbeAt: now + this.#options.probeSeconds * 1000,
        probing: false,
      };
    } else {
      this.#window = undefined;
    }
  }

  #endProbe(): void {
    if (this.#window) this.#window.probing = false;
  }
}
