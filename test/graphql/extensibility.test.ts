/**
 * Adding an entity touches no core code: a class bound to another GetConnector (here Profit_LeaveBalance, with a
 * composite key) gets its queries, where / orderBy inputs, connection, relations and federation key from the
 * registry alone. Runs in its own process (vitest forks), so the extra entity does not leak into other tests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bound, Entity, Relation } from '../../src/graphql/binding.js';
import { printSubgraphSdl } from '../../src/graphql/index.js';
import { Employee } from '../../src/model/index.js';
import { callsPer, type Harness, startHarness } from './helpers.js';

@Entity({
  connector: 'Profit_LeaveBalance',
  key: ['employeeId', 'leaveTypeId', 'year'],
  queries: { one: 'leaveBalance', list: 'leaveBalances' },
})
class LeaveBalance {
  @Bound('EmployeeId', 'string') employeeId!: string;
  @Bound('Leavetype', 'string') leaveTypeId!: string;
  @Bound('Year', 'int') year!: number;
  @Bound('Entitlement', 'int') entitlement!: number | null;
  @Bound('Taken', 'int') taken!: number | null;
  @Bound('Balance', 'int') balance!: number | null;
  @Relation(() => Employee, { on: { employeeId: 'employeeId' } }) employee?: Employee | null;
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ scale: 1 });
});
afterAll(() => h?.close());

describe('an entity defined outside src/graphql', () => {
  it('appears in the subgraph with its composite @key, queries and inputs', async () => {
    expect(LeaveBalance.name).toBe('LeaveBalance');
    const sdl = await printSubgraphSdl();
    expect(sdl).toMatch(/type LeaveBalance\s+@key\(fields: "employeeId leaveTypeId year"\)/);
    expect(sdl).toContain('leaveBalance(employeeId: ID!, leaveTypeId: ID!, year: ID!): LeaveBalance');
    expect(sdl).toContain('input LeaveBalanceWhere');
    expect(sdl).toContain('enum LeaveBalanceOrderField');
    expect(sdl).toContain('type LeaveBalanceConnection');
  });

  it('answers lists, lookups by composite key, relations and _entities', async () => {
    const { result, calls } = await h.run(`{
      leaveBalances(where: { balance: { gt: 0 } }, orderBy: [{ field: balance, direction: DESC }], first: 5) {
        edges { node { employeeId leaveTypeId year balance employee { employeeId } } }
      }
    }`);
    expect(result.errors).toBeUndefined();
    type Node = {
      employeeId: string;
      leaveTypeId: string;
      year: string;
      balance: number;
      employee: { employeeId: string };
    };
    const nodes = (result.data as { leaveBalances: { edges: { node: Node }[] } }).leaveBalances.edges.map(
      (e) => e.node,
    );
    expect(nodes).toHaveLength(5);
    expect(nodes.map((n) => n.balance)).toEqual([...nodes.map((n) => n.balance)].sort((a, b) => b - a));
    for (const n of nodes) expect(n.employee.employeeId).toBe(n.employeeId);
    expect(callsPer(calls)).toEqual({ Profit_LeaveBalance: 1, Profit_Employees: 1 });

    const first = nodes[0]!;
    const lookup = await h.run(
      `query ($e: ID!, $t: ID!, $y: ID!) {
        leaveBalance(employeeId: $e, leaveTypeId: $t, year: $y) { balance }
        _entities(representations: [{ __typename: "LeaveBalance", employeeId: $e, leaveTypeId: $t, year: $y }]) {
          ... on LeaveBalance { balance }
        }
      }`,
      { e: first.employeeId, t: first.leaveTypeId, y: String(first.year) },
    );
    expect(lookup.result.errors).toBeUndefined();
    expect(lookup.result.data).toEqual({
      leaveBalance: { balance: first.balance },
      _entities: [{ balance: first.balance }],
    });
    expect(lookup.calls).toHaveLength(1);
  });
});
