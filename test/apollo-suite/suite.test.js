/**
 * Apollo's integration test suite (@apollo/server-integration-testsuite) against the service's node:http adapter:
 * the handler of src/server/graphql-handler.ts (the steps the service runs too), built to dist/ by `npm test` here,
 * over a real socket. One test is skipped by name in package.json: it expects 405 for HEAD, which the service
 * answers as GET on purpose (docs/http.md).
 */
import { createServer } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { defineIntegrationTestSuite } from '@apollo/server-integration-testsuite';
import { createGraphQLHandler } from '../../dist/src/server/graphql-handler.js';

defineIntegrationTestSuite(async (config, options) => {
  const httpServer = createServer();
  const server = new ApolloServer({
    ...config,
    plugins: [...(config.plugins ?? []), ApolloServerPluginDrainHttpServer({ httpServer })],
  });
  await server.start();
  httpServer.on(
    'request',
    createGraphQLHandler({ apollo: server, ...(options?.context ? { context: options.context } : {}) }),
  );
  await new Promise((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${httpServer.address().port}/` };
});
