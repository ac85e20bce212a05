import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // Apollo's packages `require('graphql')` (CommonJS) while vite would load graphql's ESM build:
    // two copies of graphql give "Cannot use GraphQLSchema from another module or realm".
    alias: { graphql: require.resolve('graphql') },
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Every service's log lines are captured and searched for credentials when the run ends (test/support/log-capture*.ts).
    globalSetup: ['test/support/log-capture.global.ts'],
    setupFiles: ['test/support/log-capture.setup.ts'],
  },
});
