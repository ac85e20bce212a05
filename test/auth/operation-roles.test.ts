/**
 * The roles an operation can need (src/graphql/auth/guard.ts `operationRoles`), decided before it runs: whatever
 * path reaches a field — aliases, fragments, inline fragments, `_entities`' abstract result — its roles are in the
 * plan, and nothing the operation does not select is.
 */
import { getOperationAST, parse } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { operationRoles } from '../../src/graphql/auth/guard.js';
import { buildExecutableSubgraph, type ExecutableSubgraph } from '../../src/graphql/index.js';
import { loadModel } from '../../src/models.js';

let subgraph: ExecutableSubgraph;
beforeAll(async () => {
  await loadModel('demo');
  subgraph = await buildExecutableSubgraph();
});

function rolesOf(source: string): string[] {
  const document = parse(source);
  return [...operationRoles(subgraph.open, subgraph.roles, document, getOperationAST(document)!)].sort();
}

describe('the roles of an operation', () => {
  it('are the connector and connector field of every bound field it selects, once each', () => {
    expect(
      rolesOf('{ employees { edges { node { employeeId salary } } } a: employees { edges { node { salary } } } }'),
    ).toEqual([
      'profit:get:Profit_Employees',
      'profit:get:Profit_Employees:EmployeeId',
      'profit:get:Profit_Employees:Salary',
    ]);
  });

  it('follow fragments, inline fragments and relations', () => {
    const roles = rolesOf(`
      query { employees { edges { node { ...E ... on Employee { iban } } } } }
      fragment E on Employee { person { dateOfBirth } }
    `);
    expect(roles).toEqual([
      'profit:get:Profit_Employees',
      'profit:get:Profit_Employees:Iban',
      'profit:get:Profit_Persons',
      'profit:get:Profit_Persons:DateBirth',
    ]);
  });

  it('follow _entities into the types its fragments name', () => {
    expect(
      rolesOf('query ($r: [_Any!]!) { _entities(representations: $r) { ... on Person { dateOfBirth } } }'),
    ).toEqual(['profit:get:Profit_Persons', 'profit:get:Profit_Persons:DateBirth']);
  });

  it('include a field @skip or @include may leave out, and leave out a fragment nothing spreads', () => {
    expect(
      rolesOf(`
        query ($s: Boolean!) { employees { edges { node { salary @skip(if: $s) } } } }
        fragment Unused on Person { dateOfBirth }
      `),
    ).toEqual(['profit:get:Profit_Employees', 'profit:get:Profit_Employees:Salary']);
  });

  it('are none for an operation that only reads the schema', () => {
    expect(rolesOf('{ __typename _service { sdl } }')).toEqual([]);
  });
});
