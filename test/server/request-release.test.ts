/**
 * A request's context lets go of what it read once its answer is sent (`releaseRequestContext`, issue 12): Apollo's
 * gateway request context keeps the context reachable until V8's next full GC, and whatever its loaders still held
 * (rows, promises, the answer's tree through the resolvers waiting on a DataLoader batch) was copied and promoted by
 * every young-generation GC in between (docs/benchmarks.md). Real service, embedded emulator, calls from its log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequestContext, type RequestContext, releaseRequestContext } from '../../src/graphql/index.js';
import { Loaders } from '../../src/graphql/loaders.js';
import { buildExecutableSubgraph } from '../../src/graphql/schema.js';
import { loadModel } from '../../src/models.js';
import { authorizationHeader } from '../../src/profit/index.js';
import type { Service } from '../../src/server/index.js';
import { demoAuthorization, graphql, startTestService } from './helpers.js';

let service: Service;
const made: RequestContext[] = [];

beforeAll(async () => {
  await loadModel();
  const subgraph = await buildExecutableSubgraph();
  service = await startTestService(
    { EMULATOR_SCALE: '2' },
    {
      graphql: {
        schema: subgraph.schema,
        subgraph,
        createContext: (options) => {
          const context = createRequestContext(options);
          made.push(context);
          return context;
        },
      },
    },
  );
});
afterAll(() => service?.close());

const connectorCalls = () =>
  service.emulator?.log.entries().filter((e) => e.path.startsWith('/ProfitRestServices/connectors/')).length ?? 0;

const QUERY = `{ employees(first: 5) { edges { node { employeeId name person { personId name } } } } }`;

describe('after the answer is sent', () => {
  it("the request's loaders hold nothing: the same read is a new Profit call", async () => {
    made.length = 0;
    const reply = await graphql(service, QUERY, { authorization: demoAuthorization(service) });
    expect(reply.status).toBe(200);
    expect(reply.json.errors).toBeUndefined();
    expect(reply.json.data.employees.edges).toHaveLength(5);
    expect(made).toHaveLength(1);
    const context = made[0] as RequestContext;
    // Within the request the page was read once; read again with the request's own loaders, it is read anew.
    const query = { orderBy: [{ field: 'EmployeeId' }], take: 6 };
    const before = connectorCalls();
    await context.loaders.get('Profit_Employees', query);
    expect(connectorCalls()).toBe(before + 1);
    // Loaders still work after their release: this read is memoised as any other.
    await context.loaders.get('Profit_Employees', query);
    expect(connectorCalls()).toBe(before + 1);
  });
});

describe('releaseRequestContext', () => {
  it('ignores what is not a request context (a custom layer may give any object)', () => {
    expect(() => releaseRequestContext(undefined)).not.toThrow();
    expect(() => releaseRequestContext({ loaders: {} })).not.toThrow();
    expect(() => releaseRequestContext(null)).not.toThrow();
  });

  it('Loaders.release forgets what was read; the loaders read afresh after it', async () => {
    const loaders = new Loaders(service.connection.client(authorizationHeader(demoAuthorization(service))));
    const page = await loaders.get('Profit_Employees', { orderBy: [{ field: 'EmployeeId' }], take: 2 });
    expect(page.rows).toHaveLength(2);
    loaders.release();
    const before = connectorCalls();
    await loaders.get('Profit_Employees', { orderBy: [{ field: 'EmployeeId' }], take: 2 });
    expect(connectorCalls()).toBe(before + 1);
  });
});
