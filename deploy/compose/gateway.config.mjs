// Hive Gateway in compose.yaml's `replicas` profile. The supergraph comes from the command line
// (`supergraph supergraph.graphql`, composed by scripts/compose-supergraph.mjs).
export const gatewayConfig = {
  propagateHeaders: {
    // Pass-through mode: each caller's own Authorization reaches the subgraph, which sends it to Profit.
    // A JWT in service mode travels in the same header.
    fromClientToSubgraphs({ request }) {
      const authorization = request.headers.get('authorization');
      return authorization === null ? {} : { authorization };
    },
  },
};
