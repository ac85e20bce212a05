// GraphQL Mesh composition of the generated OpenAPI description (bench/peers/openapi.ts): `mesh-compose` writes
// the supergraph Hive Gateway serves. The caller's Authorization header goes to Profit on every call.
// PEERS_OPENAPI: the OpenAPI file; PEERS_PROFIT_URL: Profit's (the emulator's) base URL.
import { defineConfig } from '@graphql-mesh/compose-cli';
import { loadOpenAPISubgraph } from '@omnigraph/openapi';

export const composeConfig = defineConfig({
  subgraphs: [
    {
      sourceHandler: loadOpenAPISubgraph('Profit', {
        source: process.env.PEERS_OPENAPI,
        endpoint: process.env.PEERS_PROFIT_URL,
        operationHeaders: { Authorization: '{context.headers.authorization}' },
      }),
    },
  ],
});
