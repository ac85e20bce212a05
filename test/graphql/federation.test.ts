/**
 * Federation 2: `_service { sdl }`, `_entities` through the same loaders as everything else, and composition with
 * a second subgraph behind @apollo/gateway, all over real HTTP to the emulator (and, for the gateway, to both
 * subgraphs as Apollo servers on localhost).
 */
import { composeServices } from '@apollo/composition';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema as buildApolloSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildSubgraphSchema,
  buildTypeGraphQLSchema,
  createRequestContext,
  FEDERATION_LINK,
  printSubgraphSdl,
} from '../../src/graphql/index.js';
import { chunkFilterGroups, type FilterGroup } from '../../src/profit/index.js';
import { callsPer, type Harness, startHarness } from './helpers.js';

let h: Harness;
beforeAll(async () => {
  // Scale 13: about 520 employees, so 500 distinct representations exist.
  h = await startHarness({ scale: 13 });
});
afterAll(() => h?.close());

/** The calls the key loader makes for these keys: the chunker's answer for its query. */
function keyCalls(field: string, keys: readonly string[]): number {
  const groups: FilterGroup[] = keys.map((value) => [{ field, op: 'eq', value }]);
  return chunkFilterGroups({ orderBy: [{ field }], take: keys.length }, groups).length;
}

const ENTITIES = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Employee { employeeId name }
    ... on Person { personId name }
  }
}`;

describe('the subgraph schema', () => {
  it('answers _service { sdl } with the Federation 2 link and a @key on every entity', async () => {
    const sdl = await printSubgraphSdl();
    expect(sdl).toContain(
      '@link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key", "@shareable", "@requiresScopes", "@authenticated"])',
    );
    expect(sdl).toContain(FEDERATION_LINK.replace('extend schema ', '').trim().split('(')[0]);
    for (const [type, key] of [
      ['Employee', 'employeeId'],
      ['Person', 'personId'],
      ['Organisation', 'organisationId'],
      ['Project', 'projectId'],
      ['DossierItem', 'dossierItemId'],
      ['DossierItemAttachment', 'attachmentId'],
      ['Leave', 'leaveId'],
    ]) {
      expect(sdl).toMatch(new RegExp(`type ${type}\\s+@key\\(fields: "${key}"\\)`));
    }
    expect(sdl).toMatch(/type PageInfo\s+@shareable/);
  });

  it('keeps the plain type-graphql schema free of federation fields', async () => {
    const schema = await buildTypeGraphQLSchema();
    expect(schema.getQueryType()?.getFields()._entities).toBeUndefined();
    expect(schema.getQueryType()?.getFields().employees).toBeDefined();
    expect(await buildSubgraphSchema()).toBe(await buildSubgraphSchema());
  });
});

describe('_entities', () => {
  it('resolves 500 Employee representations in ceil(500 / chunk) calls, in order', async () => {
    const ids = h.data.employees.slice(0, 500).map((e) => e.employeeId);
    expect(ids).toHaveLength(500);
    const representations = ids.map((employeeId) => ({ __typename: 'Employee', employeeId }));
    const { result, calls } = await h.run(ENTITIES, { representations });
    expect(result.errors).toBeUndefined();
    const entities = (result.data as { _entities: { employeeId: string }[] })._entities;
    expect(entities.map((e) => e.employeeId)).toEqual(ids);

    const expected = keyCalls('EmployeeId', ids);
    const perCall = chunkFilterGroups(
      { orderBy: [{ field: 'EmployeeId' }], take: 500 },
      ids.map((value) => [{ field: 'EmployeeId', op: 'eq', value }]),
    )[0]?.filter?.length as number;
    expect(expected).toBe(Math.ceil(500 / perCall));
    expect(calls).toHaveLength(expected);
    expect(callsPer(calls)).toEqual({ Profit_Employees: expected });
  });

  it('answers repeated representations from the same calls as the distinct ones, each at its own index', async () => {
    const ids = h.data.employees.slice(0, 300).map((e) => e.employeeId);
    // Every third key asked again, some in another case (Profit compares keys case-insensitively).
    const asked = [...ids, ...ids.filter((_, i) => i % 3 === 0).map((id, i) => (i % 2 ? id.toLowerCase() : id))];
    const representations = asked.map((employeeId) => ({ __typename: 'Employee', employeeId }));
    const { result, calls } = await h.run(ENTITIES, { representations });
    expect(result.errors).toBeUndefined();
    const entities = (result.data as { _entities: { employeeId: string }[] })._entities;
    expect(entities.map((e) => e.employeeId.toUpperCase())).toEqual(asked.map((id) => id.toUpperCase()));
    expect(callsPer(calls)).toEqual({ Profit_Employees: keyCalls('EmployeeId', ids) });
  });

  it('answers null for a representation no row has, and loads each type with its own loader', async () => {
    const employee = h.data.employees[0]!;
    const person = h.data.persons[0]!;
    const { result, calls } = await h.run(ENTITIES, {
      representations: [
        { __typename: 'Employee', employeeId: employee.employeeId },
        { __typename: 'Person', personId: person.bcCo },
        { __typename: 'Employee', employeeId: 'NO-SUCH-ONE' },
        { __typename: 'Employee', employeeId: employee.employeeId.toLowerCase() },
      ],
    });
    expect(result.errors).toBeUndefined();
    expect((result.data as { _entities: unknown[] })._entities).toEqual([
      { employeeId: employee.employeeId, name: expect.any(String) },
      { personId: person.bcCo, name: expect.any(String) },
      null,
      { employeeId: employee.employeeId, name: expect.any(String) },
    ]);
    expect(callsPer(calls)).toEqual({ Profit_Employees: 1, Profit_Persons: 1 });
  });
});

describe('composition with another subgraph behind @apollo/gateway', () => {
  const badgeTypeDefs = parse(`
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
    type Employee @key(fields: "employeeId") {
      employeeId: ID!
      badgeColor: String
    }
    type Query {
      featuredEmployees: [Employee!]!
    }
  `);
  const colorOf = (id: string) => ['red', 'green', 'blue'][[...id].reduce((n, c) => n + c.charCodeAt(0), 0) % 3];

  let stop: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const s of stop.reverse()) await s();
    stop = [];
  });

  it('composes, and a query across both subgraphs calls our _entities once and Profit the minimum', async () => {
    const featured = h.data.employees.slice(0, 40).map((e) => e.employeeId);
    const badges = new ApolloServer({
      schema: buildApolloSubgraphSchema({
        typeDefs: badgeTypeDefs,
        resolvers: {
          Query: { featuredEmployees: () => featured.map((employeeId) => ({ employeeId })) },
          Employee: {
            __resolveReference: (ref: { employeeId: string }) => ref,
            badgeColor: (e: { employeeId: string }) => colorOf(e.employeeId),
          },
        },
      }),
      plugins: [ApolloServerPluginInlineTraceDisabled()],
    });
    const badgesUrl = (await startStandaloneServer(badges, { listen: { port: 0, host: '127.0.0.1' } })).url;
    stop.push(() => badges.stop());

    const ourRequests: string[] = [];
    const counter: ApolloServerPlugin = {
      async requestDidStart({ request }) {
        ourRequests.push(request.query ?? '');
      },
    };
    const profit = new ApolloServer({
      schema: await buildSubgraphSchema(),
      plugins: [counter, ApolloServerPluginInlineTraceDisabled()],
    });
    const profitUrl = (
      await startStandaloneServer(profit, {
        listen: { port: 0, host: '127.0.0.1' },
        context: async () => createRequestContext({ client: h.client('admin') }),
      })
    ).url;
    stop.push(() => profit.stop());

    const composed = composeServices([
      { name: 'profit', typeDefs: parse(await printSubgraphSdl()), url: profitUrl },
      { name: 'badges', typeDefs: badgeTypeDefs, url: badgesUrl },
    ]);
    expect(composed.errors).toBeUndefined();
    // The supergraph carries the subgraph's scopes for a router to enforce (src/graphql/auth)…
    expect(composed.supergraphSdl).toContain(
      '@link(url: "https://specs.apollo.dev/requiresScopes/v0.1", for: SECURITY)',
    );
    expect(composed.supergraphSdl).toMatch(
      /employees\([^)]*\): EmployeeConnection @requiresScopes\(scopes: \[\["profit:get:Profit_Employees"\]\]\)/,
    );
    // …but @apollo/gateway refuses any `for: SECURITY` feature (only the Apollo Router implements them): drop the two
    // links for this gateway, keeping the directives as plain ones. The subgraph enforces the same rule itself.
    const supergraphSdl = (composed.supergraphSdl as string).replace(
      /\n\s*@link\(url: "https:\/\/specs\.apollo\.dev\/(?:authenticated|requiresScopes)\/v0\.1", for: SECURITY\)/g,
      '',
    );

    const gateway = new ApolloGateway({
      supergraphSdl,
      buildService: ({ url }) => new RemoteGraphQLDataSource({ url }),
    });
    const router = new ApolloServer({ gateway });
    await router.start();
    stop.push(() => router.stop());

    const before = h.emulator.log.entries().at(-1)?.seq ?? 0;
    const response = await router.executeOperation({
      query: `{ featuredEmployees { employeeId badgeColor name person { name } employer { name } } }`,
    });
    const calls = h.emulator.log.entries().filter((e) => e.seq > before);
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    const result = response.body.singleResult;
    expect(result.errors).toBeUndefined();
    const list = (
      result.data as {
        featuredEmployees: {
          employeeId: string;
          badgeColor: string;
          name: string;
          person: { name: string };
          employer: { name: string };
        }[];
      }
    ).featuredEmployees;
    expect(list.map((e) => e.employeeId)).toEqual(featured);
    for (const e of list) {
      const record = h.data.employees.find((r) => r.employeeId === e.employeeId)!;
      expect(e.badgeColor).toBe(colorOf(e.employeeId));
      expect(e.person.name).toBe(e.name);
      expect(e.employer.name).toBe(h.data.organisations.find((o) => o.employerId === record.employerId)?.name);
    }

    expect(ourRequests.filter((q) => q.includes('_entities'))).toHaveLength(1);
    const persons = new Set(featured.map((id) => h.data.employees.find((e) => e.employeeId === id)!.personBcCo));
    expect(callsPer(calls)).toEqual({
      Profit_Employees: keyCalls('EmployeeId', featured),
      Profit_Persons: keyCalls('BcCo', [...persons]),
      Profit_Organisations: 1,
    });
    expect(calls).toHaveLength(3);
  });
});
