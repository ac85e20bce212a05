/**
 * Request limits as an Apollo plugin: once the operation is known and its variables are parsed, and before any
 * resolver runs, its depth, aliases, `_entities` representations and estimated cost are measured
 * (src/graphql/auth/limits.ts) and an operation over a limit is answered with HTTP 400 and a stable code
 * (QUERY_TOO_DEEP, TOO_MANY_ALIASES, TOO_MANY_REPRESENTATIONS, QUERY_TOO_COMPLEX). Profit is not called.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import { checkLimits, measureOperation, type RequestLimits } from '../graphql/auth/limits.js';

export function limitsPlugin(options: { schema: GraphQLSchema; limits: RequestLimits }): ApolloServerPlugin<object> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request }) {
          if (operation === undefined) return;
          const measure = measureOperation(options.schema, document, operation, request.variables ?? {});
          const error = checkLimits(measure, options.limits);
          if (error) throw error;
        },
      };
    },
  };
}
