/**
 * The Apollo plugin of the access log and the metrics: it names the request's operation, collects the error codes
 * the response carries (after formatError, so the codes are the ones the caller sees) and logs the Profit failures
 * behind them.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { StructuredLogger } from '../log.js';
import { logProfitFailure, profitErrorOf } from './failures.js';
import type { Metrics } from './metrics.js';
import { noteErrorCode, scopeOf } from './scope.js';

/** Error codes become a label: anything but an UPPER_SNAKE code is counted as `OTHER`. */
const CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

export function observabilityPlugin(options: { logger: StructuredLogger; metrics: Metrics }): ApolloServerPlugin {
  const { logger, metrics } = options;
  return {
    async requestDidStart(start) {
      // Bound to Apollo's HTTP request by the service's GraphQL route (index.ts).
      const scope = scopeOf(start.request.http);
      if (scope !== undefined && start.request.operationName) {
        // What the client asked for, until the document says which operation runs.
        scope.operationName = start.request.operationName.slice(0, 100);
      }
      return {
        async didResolveOperation(rc) {
          if (scope === undefined) return;
          if (rc.operationName) scope.operationName = rc.operationName;
          if (rc.operation) scope.operationType = rc.operation.operation;
        },
        async didEncounterErrors(rc) {
          for (const error of rc.errors) {
            const profit = profitErrorOf(error);
            if (profit !== undefined) logProfitFailure(logger, profit, scope);
          }
        },
        async willSendResponse(rc) {
          const body = rc.response.body;
          const errors = body.kind === 'single' ? body.singleResult.errors : body.initialResult.errors;
          for (const error of errors ?? []) {
            const raw = error.extensions?.code;
            const code = typeof raw === 'string' && CODE.test(raw) ? raw : 'OTHER';
            metrics.graphqlErrors.inc({ code });
            noteErrorCode(scope, code);
          }
        },
      };
    },
  };
}
