/**
 * The per-attempt deadline. Each attempt gets its own signal that fires when its budget (`timeoutMs`, or the
 * call's own) runs out, or when the caller's signal fires; the reason says which, so whoever stops on it (the
 * slot wait, the transport) reports `timeout` or `aborted`. The budget covers the wait for a slot and the whole
 * exchange; for a streamed body only up to its headers (then undici's `bodyTimeout` watches the body's silences).
 * Profit itself gives up after 900 s, and a client timeout does not stop it working: which is why retries back off.
 */
import { type Send, type Wrapper, whenSettled } from './send.js';

/** The abort reason of a deadline that ran out. */
export const TIMEOUT = Symbol('profit-timeout');
/** The abort reason when the caller's own signal fired. */
export const CALLER_ABORT = Symbol('profit-caller-abort');

export function deadline(timeoutMs: number): Wrapper {
  return (next: Send): Send =>
    async (x) => {
      const ms = x.call.timeoutMs ?? timeoutMs;
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(TIMEOUT), ms);
      const caller = x.call.signal;
      const onCallerAbort = () => controller.abort(CALLER_ABORT);
      if (caller?.aborted) controller.abort(CALLER_ABORT);
      else caller?.addEventListener('abort', onCallerAbort, { once: true });
      x.signal = controller.signal;
      x.timeoutMs = ms;
      try {
        const answer = await next(x);
        clearTimeout(timer);
        // A streamed body keeps listening to the caller until it closes: aborting the call stops the download.
        if (caller !== undefined) whenSettled(answer, () => caller.removeEventListener('abort', onCallerAbort));
        return answer;
      } catch (error) {
        clearTimeout(timer);
        caller?.removeEventListener('abort', onCallerAbort);
        throw error;
      }
    };
}
