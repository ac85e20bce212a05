/**
 * The executor (src/server/execution.ts): an operation the caller may fully read runs compiled (graphql-jit) and
 * answers exactly what graphql-js answers — data, partial errors with their paths and codes, null propagation,
 * the custom scalars both ways, variables, @include / @skip — while what the compiled form would word or resolve
 * differently (introspection, variables that do not coerce, variables inside literals) is left to graphql-js.
 */
import {
  buildSchema,
  type DocumentNode,
  type ExecutionResult,
  execute,
  type GraphQLObjectType,
  type GraphQLSchema,
  getOperationAST,
  parse,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequestContext, type ExecutableSubgraph } from '../../src/graphql/index.js';
import { DateScalar, DateTimeScalar, DecimalScalar } from '../../src/graphql/scalars.js';
import { buildExecutableSubgraph } from '../../src/graphql/schema.js';
import { executeOperation, OperationExecutor } from '../../src/server/execution.js';
import type { Service } from '../../src/server/index.js';
import { type Harness, startHarness } from '../graphql/helpers.js';
import { demoAuthorization, graphql, startTestService } from './helpers.js';

let h: Harness;
let subgraph: ExecutableSubgraph;
beforeAll(async () => {
  h = await startHarness({ scale: 2 });
  subgraph = await buildExecutableSubgraph();
});
afterAll(() => h?.close());

/**
 * What a caller sees of a result: data, and each error's message, path and extensions (none and empty are the
 * same once Apollo formats the error).
 */
function seen(result: ExecutionResult) {
  return {
    data: result.data,
    errors: result.errors?.map((e) => ({ message: e.message, path: e.path, extensions: e.extensions ?? {} })),
  };
}

function executionOf(source: string, variables: Record<string, unknown> | undefined, contextValue: unknown) {
  const document: DocumentNode = parse(source);
  const operation = getOperationAST(document);
  if (!operation) throw new Error('no operation');
  return { document, documentKey: source, operation, ...(variables ? { variables } : {}), contextValue, traced: false };
}

/** Runs `source` through the executor and through graphql-js alone, each with a fresh context. */
async function both(
  target: ExecutableSubgraph,
  source: string,
  variables?: Record<string, unknown>,
  context: () => unknown = () => createRequestContext({ client: h.client() }),
) {
  const executor = new OperationExecutor(target);
  const compiled = await executor.execute(executionOf(source, variables, context()));
  const reference = await executeOperation(target, executionOf(source, variables, context()));
  return { compiled: seen(compiled), reference: seen(reference), ranCompiled: executor.compiledOperations === 1 };
}

describe('on the subgraph, for a caller who may read everything it selects', () => {
  // [what, operation, variables, runs compiled]
  const cases: [string, string, Record<string, unknown> | undefined, boolean][] = [
    [
      'lists with decimals, days and moments',
      '{ employees(first: 5) { edges { cursor node { employeeId name hoursPerWeek salary dateInService createdAt modifiedAt active employment } } pageInfo { hasNextPage endCursor } } }',
      undefined,
      true,
    ],
    [
      'relations, aliases, fragments and __typename',
      `query Nested { staff: employees(first: 4) { edges { node { __typename ...E person { ... on Person { personId dateOfBirth } } leaves(first: 3) { edges { node { leaveId hours startDate endDate } } } } } } }
       fragment E on Employee { id: employeeId employer { organisationId name } }`,
      undefined,
      true,
    ],
    [
      'filters given as variables: a decimal, a day and a moment coerced on the way in',
      'query ($w: EmployeeWhere, $o: [EmployeeOrderBy!]) { employees(where: $w, orderBy: $o, first: 5) { edges { node { employeeId salary dateInService } } } }',
      {
        w: { salary: { gt: '1000.5' }, dateInService: { gte: '2000-01-01' } },
        o: [{ field: 'salary', direction: 'DESC' }],
      },
      // A where is a recursive input type (and / or / not): graphql-js coerces it.
      false,
    ],
    [
      'an order given as a variable',
      'query ($o: [EmployeeOrderBy!]) { employees(orderBy: $o, first: 5) { edges { node { employeeId salary } } } }',
      { o: [{ field: 'salary', direction: 'DESC' }] },
      true,
    ],
    [
      '@include and @skip',
      'query ($a: Boolean!, $b: Boolean!) { employees(first: 2) { edges { node { employeeId name @include(if: $a) salary @skip(if: $b) } } } }',
      { a: false, b: true },
      true,
    ],
    [
      'partial errors beside data: a refused argument and a where the compiler refuses',
      '{ projects(first: 1) { edges { node { projectId } } } employees(first: 600) { edges { cursor } } persons(where: { or: [] }) { edges { cursor } } }',
      undefined,
      true,
    ],
    [
      'a variable that does not coerce',
      'query ($f: Int) { employees(first: $f) { edges { cursor } } }',
      { f: 'ten' },
      // Compiled (and kept for the next variables), but its coercion errors are answered by graphql-js.
      true,
    ],
    ['introspection', '{ __schema { queryType { name } } __type(name: "Employee") { name kind } }', undefined, false],
    [
      '_entities with representations as a variable',
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Employee { employeeId name } } }',
      { r: [{ __typename: 'Employee', employeeId: 'none' }] },
      true,
    ],
    [
      '_entities with a variable inside the representations literal',
      'query ($r: [_Any!]!, $id: ID!) { a: _entities(representations: $r) { ... on Employee { employeeId name } } b: _entities(representations: [{ __typename: "Employee", employeeId: $id }]) { ... on Employee { employeeId } } }',
      { r: [{ __typename: 'Employee', employeeId: 'none' }], id: 'none' },
      false,
    ],
  ];

  it.each(cases)('answers %s exactly as graphql-js does', async (_name, source, variables, compiles) => {
    const { compiled, reference, ranCompiled } = await both(subgraph, source, variables);
    expect(compiled).toEqual(reference);
    expect(ranCompiled).toBe(compiles);
  });

  it('answers _entities of two types, one of whose Profit calls fails, item by item as graphql-js does', async () => {
    // The compiled _entities resolves the whole list at once (schema.ts directEntities): a failure must still be
    // the error of exactly the items it concerns, at their index, with the rest of the list intact.
    const employee = h.data.employees[0]!;
    const person = h.data.persons[0]!;
    const source =
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Employee { employeeId name } ... on Person { personId name } } }';
    const r = [
      { __typename: 'Person', personId: person.bcCo },
      { __typename: 'Employee', employeeId: employee.employeeId },
      { __typename: 'Person', personId: 'NO-SUCH-ONE' },
      { __typename: 'Employee', employeeId: 'NO-SUCH-ONE' },
    ];
    const fail = () => h.emulator.faults.once({ kind: 'malformed', path: 'Profit_Persons', count: 10 });
    const { compiled, reference, ranCompiled } = await both(subgraph, source, { r }, () => {
      // Each run's context is made just before it runs: each meets the fault afresh.
      h.emulator.faults.clear();
      fail();
      return createRequestContext({ client: h.client() });
    });
    h.emulator.faults.clear();
    expect(ranCompiled).toBe(true);
    expect(compiled).toEqual(reference);
    const entities = compiled.data?._entities as unknown[];
    expect(entities).toEqual([null, { employeeId: employee.employeeId, name: expect.any(String) }, null, null]);
    expect(compiled.errors?.map((e) => e.path)).toEqual([
      ['_entities', 0],
      ['_entities', 2],
    ]);
  });

  it('compiles an operation once and runs it from the cache afterwards', async () => {
    const executor = new OperationExecutor(subgraph);
    const source = '{ employees(first: 2) { edges { node { employeeId } } } }';
    const first = await executor.execute(executionOf(source, undefined, createRequestContext({ client: h.client() })));
    const again = await executor.execute(executionOf(source, undefined, createRequestContext({ client: h.client() })));
    expect(again).toEqual(first);
    expect(executor.compiledOperations).toBe(1);
  });

  it('keeps at most the configured number of compiled operations', async () => {
    const executor = new OperationExecutor(subgraph, { compiledOperations: 2 });
    for (const n of [1, 2, 3]) {
      await executor.execute(
        executionOf(
          `{ employees(first: ${n}) { edges { cursor } } }`,
          undefined,
          createRequestContext({ client: h.client() }),
        ),
      );
    }
    expect(executor.compiledOperations).toBe(2);
  });
});

describe('the guarded schema, under an executor that decides nothing beforehand', () => {
  const run = (contextValue: unknown) =>
    execute({
      schema: subgraph.schema,
      document: parse('{ employees(first: 3) { edges { node { employeeId salary } } } }'),
      contextValue,
    });

  it('answers each denied field of each row with FORBIDDEN and the rest intact', async () => {
    const result = await run(createRequestContext({ client: h.client('hr') }));
    const nodes = (result.data as { employees: { edges: { node: Record<string, unknown> }[] } }).employees.edges;
    expect(nodes).toHaveLength(3);
    for (const { node } of nodes) {
      expect(node.employeeId).toEqual(expect.any(String));
      expect(node.salary).toBeNull();
    }
    expect(result.errors?.map((e) => [e.path, e.extensions.code, e.extensions.field])).toEqual(
      [0, 1, 2].map((i) => [['employees', 'edges', i, 'node', 'salary'], 'FORBIDDEN', 'Salary']),
    );
  });

  it('refuses every guarded field of a request without an authorization context', async () => {
    const result = await run({});
    expect(result.data).toEqual({ employees: null });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'no-context' });
  });
});

describe('on a schema with non-null fields and custom scalars', () => {
  const sdl = `
    scalar Decimal
    scalar Date
    scalar DateTime
    type Query { item: Item, items: [Item!], strict: Item!, echo(d: Decimal!, day: Date!, at: DateTime!): String! }
    type Item { id: ID!, key: ID!, broken: String!, optional: String, amount: Decimal, day: Date, at: DateTime }
  `;
  let target: ExecutableSubgraph;
  beforeAll(() => {
    const schema: GraphQLSchema = buildSchema(sdl);
    for (const scalar of [DecimalScalar, DateScalar, DateTimeScalar])
      Object.assign(schema.getType(scalar.name)!, scalar.toConfig());
    const item = (id: string) => ({
      id,
      key: null,
      amount: '12.50',
      day: '2024-02-29',
      at: new Date('2024-03-31T01:30:00Z'),
    });
    const itemFields = (schema.getType('Item') as GraphQLObjectType).getFields();
    itemFields.broken!.resolve = (root: { id: string }) => {
      throw new Error(`item ${root.id} is broken`);
    };
    itemFields.optional!.resolve = async (root: { id: string }) => {
      throw new Error(`item ${root.id} has no optional`);
    };
    const fields = schema.getQueryType()!.getFields();
    fields.item!.resolve = () => item('1');
    fields.items!.resolve = async () => [item('1'), item('2')];
    fields.strict!.resolve = () => item('3');
    fields.echo!.resolve = (_root, args) => JSON.stringify(args);
    target = { schema, open: schema, roles: new Map() };
  });

  // [what, operation, variables, runs compiled]
  const cases: [string, string, Record<string, unknown> | undefined, boolean][] = [
    ['a nullable field that fails, beside the others', '{ item { id optional amount day at } }', undefined, true],
    ['a non-null value missing: the null reaches the nearest nullable parent', '{ item { id key } }', undefined, true],
    ['non-null values missing in list items: the whole list is null', '{ items { id key } }', undefined, true],
    ['a non-null value missing under a non-null root field: data is null', '{ strict { key } }', undefined, true],
    ['a non-null field that fails on its own, in list items', '{ items { id broken } }', undefined, false],
    ['a non-null root field whose non-null field fails', '{ strict { broken } }', undefined, false],
    [
      'custom scalars as inputs, from literals',
      '{ echo(d: "1.10", day: "2024-02-29", at: "2024-03-31T03:30:00+02:00") }',
      undefined,
      true,
    ],
    [
      'custom scalars as inputs, from variables',
      'query ($d: Decimal!, $day: Date!, $at: DateTime!) { echo(d: $d, day: $day, at: $at) }',
      { d: '1.10', day: '2024-02-29', at: '2024-03-31T03:30:00+02:00' },
      true,
    ],
    [
      'a custom scalar variable that does not parse',
      'query ($day: Date!) { echo(d: "1", day: $day, at: "2024-01-01T00:00:00Z") }',
      { day: '2024-02-30' },
      // Compiled (and kept), its coercion errors answered by graphql-js.
      true,
    ],
  ];

  it.each(cases)('answers %s exactly as graphql-js does', async (_name, source, variables, compiles) => {
    const { compiled, reference, ranCompiled } = await both(target, source, variables, () => ({}));
    expect(compiled).toEqual(reference);
    expect(ranCompiled).toBe(compiles);
  });
});

describe('in the service', () => {
  let service: Service;
  beforeAll(async () => {
    service = await startTestService();
  });
  afterAll(() => service?.close());

  it('answers a router that asks for a federated trace with one, and the same data', async () => {
    const query = '{ employees(first: 2) { edges { node { employeeId name person { name } } } } }';
    const authorization = demoAuthorization(service);
    const plain = await graphql(service, query, { authorization });
    const traced = await graphql(service, query, {
      authorization,
      headers: { 'apollo-federation-include-trace': 'ftv1' },
    });
    expect(plain.json.extensions?.ftv1).toBeUndefined();
    expect(typeof traced.json.extensions?.ftv1).toBe('string');
    expect(traced.json.data).toEqual(plain.json.data);
    expect(traced.json.errors).toBeUndefined();
  });
});
