/** Shared set-up for the GraphQL tests: the demo emulator, a client per demo user, and operations over the schema. */
import { type ExecutionResult, type GraphQLSchema, graphql } from 'graphql';
import type { DemoStore } from '../../src/emulator/company/index.js';
import { credentials, type Emulator, startEmulator } from '../../src/emulator/index.js';
import type { LogEntry } from '../../src/emulator/log.js';
import { buildSubgraphSchema, createRequestContext, type RequestContext } from '../../src/graphql/index.js';
import { authorizationHeader, type ProfitClient, ProfitConnection } from '../../src/profit/index.js';

export type DemoUser = 'admin' | 'hr' | 'portal';

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
  ): Promise<{ result: ExecutionResult<T>; calls: LogEntry[] }>;
  close(): Promise<void>;
}

export async function startHarness(options: { scale?: number } = {}): Promise<Harness> {
  const emulator = await startEmulator({ company: { scale: options.scale ?? 3 } });
  const schema = await buildSubgraphSchema();
  const connection = new ProfitConnection({ baseUrl: emulator.baseUrl });
  const auth = new Map<string, string>();
  for (const app of credentials(emulator.company)) for (const u of app.users) auth.set(u.name, u.authorization);
  const client = (user: DemoUser = 'admin') => connection.client(authorizationHeader(auth.get(user) as string));
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
      const result = (await graphql({
        schema,
        source,
        variableValues: variables ?? null,
        contextValue,
      })) as ExecutionResult<never>;
      const calls = emulator.log.entries().filter((e) => e.seq > before);
      return { result, calls };
    },
    async close() {
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
