import type { ApolloServerPlugin } from '@apollo/server';

/**
 * `cache-control: no-store` on every GraphQL response, as Apollo's cache-control plugin answered for this schema
 * (no cache hints, default max age 0), without its per-field bookkeeping.
 */
export function noStorePlugin(): ApolloServerPlugin<object> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          response.http.headers.set('cache-control', 'no-store');
        },
      };
    },
  };
}
