/**
 * Shared set-up for the GraphQL tests: the demo emulator, a client per demo user, and operations run through an
 * in-process Apollo Server (its whole request pipeline: parsing, validation, the service's executor, error
 * formatting) with a fresh request context each.
 */
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import type { DemoStore } from '../../src/emulator/company/index.js';
import { credentials, type Emulator, startEmulator } from '../../src/emulator/index.js';
import type { LogEntry } from '../../src/emulator/log.js';
import { defaultPermissionStore } from '../../src/graphql/auth/index.js';
import {
  buildExecutableSubgraph,
  createRequestContext,
  entityBindings,
  type RequestContext,
} from '../../src/graphql/index.js';
import { loadModel } from '../../src/models.js';
import {
  authorizationHeader,
  type ProfitClient,
  ProfitConnection,
  type ProfitTransport,
} from '../../src/profit/index.js';
import { subgraphGateway } from '../../src/server/execution.js';

export type DemoUser = 'admin' | 'hr' | 'portal';

export interface Result<T> {
  readonly data?: T | null;
  readonly errors?: readonly GraphQLFormattedError[];
}

export interface Harness {
  readonly emulator: Emulator;
  /** The demo company's tables, to compute expected answers. */
  readonly data: DemoStore['data'];
  readonly schema: GraphQLSchema;
  client(user?: DemoUser): ProfitClient;
  /** Runs an operation with a fresh request context; returns the result and the Profit calls it made. */
  run<T = Record<string, unknown>>(
    source: string,
    variables?: Record<string, unknown>,
    options?: { user?: DemoUser; context?: RequestContext },
  ): Promise<{ result: Result<T>; calls: LogEntry[] }>;
  close(): Promise<void>;
}

/**
 * What the harness's connection carries reads and writes over. A test file that runs another file's tests over
 * SOAP sets it before importing them (mutations-soap.test.ts); each test file has its own copy of this module.
 */
let transport: ProfitTransport = 'rest';

export function useTransport(t: ProfitTransport): void {
  transport = t;
}

export function harnessTransport(): ProfitTransport {
  return transport;
}

export async function startHarness(options: { scale?: number } = {}): Promise<Harness> {
  const emulator = await startEmulator({ company: { scale: options.scale ?? 3 } });
  await loadModel('demo');
  const subgraph = await buildExecutableSubgraph();
  const schema = subgraph.schema;
  // As the service runs it: authorization once per operation, errors translated once (src/server/execution.ts).
  const server = new ApolloServer<RequestContext>({
    gateway: subgraphGateway(subgraph),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  await server.start();
  const connection = new ProfitConnection({ baseUrl: emulator.baseUrl, transport });
  const auth = new Map<string, string>();
  for (const app of credentials(emulator.company)) for (const u of app.users) auth.set(u.name, u.authorization);
  const client = (user: DemoUser = 'admin') => connection.client(authorizationHeader(auth.get(user) as string));
  // A running service has its callers' grants cached (src/graphql/auth): warm the cache, so the calls each test
  // counts are those of the data. test/auth counts the metainfo calls themselves.
  const connectors = entityBindings().map((b) => b.connector);
  for (const user of ['admin', 'hr', 'portal'] as const) await defaultPermissionStore().warm(client(user), connectors);
  return {
    emulator,
    get data() {
      return (emulator.company.store as DemoStore).data;
    },
    schema,
    client,
    async run(source, variables, opts = {}) {
      const before = emulator.log.entries().at(-1)?.seq ?? 0;
      const contextValue = opts.context ?? createRequestContext({ client: client(opts.user) });
      const response = await server.executeOperation(
        { query: source, ...(variables ? { variables } : {}) },
        { contextValue },
      );
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      const { data, errors } = response.body.singleResult;
      const result = { ...(data !== undefined ? { data: data as never } : {}), ...(errors ? { errors } : {}) };
      const calls = emulator.log.entries().filter((e) => e.seq > before);
      return { result, calls };
    },
    async close() {
      await server.stop();
      await connection.close();
      await emulator.close();
    },
  };
}

/** The GetConnector calls among logged requests, per connector. */
export function callsPer(calls: readonly LogEntry[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of calls) {
    const m = /\/connectors\/([^/?]+)/i.exec(c.path);
    if (m?.[1]) out[m[1]] = (out[m[1]] ?? 0) + 1;
  }
  return out;
}
