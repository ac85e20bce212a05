/**
 * A small levelled logger on the console, shaped as Apollo Server's `Logger` so Apollo can use it too.
 * Nothing here ever receives a credential: callers log kinds, fingerprints and paths, not headers.
 */
import type { ApolloServerOptions, BaseContext } from '@apollo/server';
import type { Config } from '../config/index.js';

/** Apollo's logger interface (debug, info, warn, error), named without depending on @apollo/utils.logger. */
export type Logger = NonNullable<ApolloServerOptions<BaseContext>['logger']>;

const LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;

export function createLogger(level: Config['logLevel']): Logger {
  const min = LEVELS.indexOf(level);
  const at =
    (name: (typeof LEVELS)[number], write: (...args: unknown[]) => void) =>
    (...args: unknown[]) => {
      if (LEVELS.indexOf(name) >= min) write(...args);
    };
  return {
    debug: at('debug', console.debug),
    info: at('info', console.info),
    warn: at('warn', console.warn),
    error: at('error', console.error),
  };
}
