/**
 * Observers of the Profit connection's calls (traces, and whatever else watches them), given to the connection as
 * its one `onRequest` / `onResponse` pair.
 */
import type { ProfitConnectionOptions } from '../profit/index.js';

/** The connection's observer options, as `ProfitConnectionOptions` names them. */
export type ProfitObserver = Pick<ProfitConnectionOptions, 'onRequest' | 'onResponse'>;

/**
 * One `onRequest` / `onResponse` pair calling each observer's in turn, each alone in ignoring what it throws (as the
 * connection does for one); none without observers, so a call costs nothing extra.
 */
export function composeObservers(observers: readonly ProfitObserver[]): ProfitObserver {
  const each = <E>(list: readonly (((event: E) => void) | undefined)[]) => {
    const observe = list.filter((o) => o !== undefined);
    if (observe.length === 0) return undefined;
    return (event: E) => {
      for (const o of observe) {
        try {
          o(event);
        } catch {}
      }
    };
  };
  const onRequest = each(observers.map((o) => o.onRequest));
  const onResponse = each(observers.map((o) => o.onResponse));
  return { ...(onRequest ? { onRequest } : {}), ...(onResponse ? { onResponse } : {}) };
}
