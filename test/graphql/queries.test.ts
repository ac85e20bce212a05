/**
 * Root queries over the demo company through the subgraph schema: single lookups, lists with where / orderBy /
 * paging, cursors, and errors, each with the exact number of Profit calls it cost.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_FIRST } from '../../src/graphql/index.js';
import { ProfitDecimal } from '../../src/profit/index.js';
import { callsPer, type Harness, startHarness } from './helpers.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ scale: 3 });
});
afterAll(() => h?.close());

interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

const employeeRecords = () => [...h.data.employees];

describe('single lookups', () => {
  it('reads one employee by key in one call, decimals as exact strings and dates as days', async () => {
    const record = employeeRecords()[0]!;
    const { result, calls } = await h.run(
      `query ($id: ID!) { employee(employeeId: $id) { employeeId personId salary hoursPerWeek dateInService } }`,
      { id: record.employeeId },
    );
    expect(result.errors).toBeUndefined();
    const employee = (result.data as { employee: Record<string, unknown> }).employee;
    expect(employee.employeeId).toBe(record.employeeId);
    expect(employee.personId).toBe(record.personBcCo);
    expect(employee.salary).toBe(new ProfitDecimal(record.salary).text);
    expect(employee.hoursPerWeek).toBe(new ProfitDecimal(record.hoursPerWeek).text);
    expect(employee.dateInService).toBe(record.dateInService.slice(0, 10));
    expect(calls).toHaveLength(1);
    expect(calls[0]!.query).toContain('filterfieldids=EmployeeId');
  });

  it('matches keys case-insensitively, as Profit compares', async () => {
    const record = employeeRecords().find((e) => /[A-Z]/.test(e.employeeId))!;
    const { result } = await h.run(`query ($id: ID!) { employee(employeeId: $id) { employeeId } }`, {
      id: record.employeeId.toLowerCase(),
    });
    expect(result.data).toEqual({ employee: { employeeId: record.employeeId } });
  });

  it('answers null for a key no row has', async () => {
    const { result, calls } = await h.run(`{ employee(employeeId: "NO-SUCH-ONE") { employeeId } }`);
    expect(result).toEqual({ data: { employee: null } });
    expect(calls).toHaveLength(1);
  });

  it('answers null without a call for an int key that is not an integer', async () => {
    const { result, calls } = await h.run(`{ dossierItem(dossierItemId: "abc") { dossierItemId } }`);
    expect(result).toEqual({ data: { dossierItem: null } });
    expect(calls).toHaveLength(0);
  });

  it('reads an int-keyed entity with its ID as a string', async () => {
    const subject = h.data.subjects[0]!;
    const { result } = await h.run(`query ($id: ID!) { dossierItem(dossierItemId: $id) { dossierItemId subject } }`, {
      id: String(subject.subjectId),
    });
    expect(result.data).toEqual({
      dossierItem: { dossierItemId: String(subject.subjectId), subject: subject.subject },
    });
  });

  it('loads several lookups in one operation with one call', async () => {
    const [a, b, c] = employeeRecords();
    const { result, calls } = await h.run(
      `query ($a: ID!, $b: ID!, $c: ID!) { a: employee(employeeId: $a) { employeeId } b: employee(employeeId: $b) { employeeId } c: employee(employeeId: $c) { employeeId } again: employee(employeeId: $a) { name } }`,
      { a: a!.employeeId, b: b!.employeeId, c: c!.employeeId },
    );
    expect(result.errors).toBeUndefined();
    expect(calls).toHaveLength(1);
  });
});

describe('lists', () => {
  it('filters and sorts in Profit, appending the key so the order is total', async () => {
    const { result, calls } = await h.run(`{
      employees(where: { employerId: { eq: "1" }, salary: { gte: "4000" } }, orderBy: [{ field: salary, direction: DESC }], first: 50) {
        edges { node { employeeId employerId salary } }
        pageInfo { hasNextPage }
      }
    }`);
    expect(result.errors).toBeUndefined();
    const page = (result.data as { employees: Page<{ employerId: string; salary: string }> }).employees;
    const expected = employeeRecords()
      .filter((e) => e.employerId === '1' && Number(e.salary) >= 4000)
      .sort((x, y) => Number(y.salary) - Number(x.salary));
    expect(page.edges.map((e) => e.node.salary)).toEqual(
      expected.slice(0, 50).map((e) => new ProfitDecimal(e.salary).text),
    );
    expect(page.edges.every((e) => e.node.employerId === '1')).toBe(true);
    expect(calls).toHaveLength(1);
    expect(decodeURIComponent(calls[0]!.query)).toContain('orderbyfieldids=-Salary,EmployeeId');
    expect(decodeURIComponent(calls[0]!.query)).toContain('take=51');
  });

  it('combines and / or / in into Profit OR groups', async () => {
    const [a, b] = employeeRecords();
    const { result, calls } = await h.run(
      `query ($ids: [ID!]) { employees(where: { or: [{ employeeId: { in: $ids } }, { name: { startsWith: "zzz-none" } }] }) { edges { node { employeeId } } } }`,
      { ids: [a!.employeeId, b!.employeeId] },
    );
    expect(result.errors).toBeUndefined();
    const ids = (result.data as { employees: Page<{ employeeId: string }> }).employees.edges.map(
      (e) => e.node.employeeId,
    );
    expect(ids.sort()).toEqual([a!.employeeId, b!.employeeId].sort());
    expect(calls).toHaveLength(1);
  });

  it('filters int keys through IDFilter', async () => {
    const subjects = h.data.subjects.slice(0, 3).map((s) => String(s.subjectId));
    const { result } = await h.run(
      `query ($ids: [ID!]) { dossierItems(where: { dossierItemId: { in: $ids } }) { edges { node { dossierItemId } } } }`,
      { ids: subjects },
    );
    expect(result.errors).toBeUndefined();
    const ids = (result.data as { dossierItems: Page<{ dossierItemId: string }> }).dossierItems.edges.map(
      (e) => e.node.dossierItemId,
    );
    expect(ids.sort()).toEqual([...subjects].sort());
  });

  it('filters on datetimes given as instants or as Amsterdam dates', async () => {
    const { result } = await h.run(`{
      a: employees(where: { createdAt: { gte: "2020-01-01" } }, first: 500) { edges { node { createdAt } } }
      b: employees(where: { createdAt: { gte: "2019-12-31T23:00:00Z" } }, first: 500) { edges { node { createdAt } } }
    }`);
    expect(result.errors).toBeUndefined();
    const data = result.data as { a: Page<{ createdAt: string }>; b: Page<{ createdAt: string }> };
    expect(data.a.edges.length).toBeGreaterThan(0);
    expect(data.a.edges).toEqual(data.b.edges);
    for (const e of data.a.edges) expect(e.node.createdAt >= '2019-12-31T23:00:00.000Z').toBe(true);
  });

  it('filters on dates by the day', async () => {
    const { result } = await h.run(`{
      employees(where: { dateInService: { gte: "2020-01-01" } }, first: 500) { edges { node { dateInService } } }
    }`);
    expect(result.errors).toBeUndefined();
    const days = (result.data as { employees: Page<{ dateInService: string }> }).employees.edges.map(
      (e) => e.node.dateInService,
    );
    const expected = employeeRecords()
      .map((e) => e.dateInService.slice(0, 10))
      .filter((d) => d >= '2020-01-01');
    expect(days.sort()).toEqual(expected.sort());
  });

  it('pages with opaque cursors in a stable order, hasNextPage from one extra row', async () => {
    const all = employeeRecords().length;
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    let hasPreviousPage = false;
    for (;;) {
      const { result, calls }: Awaited<ReturnType<Harness['run']>> = await h.run(
        `query ($after: String) { employees(first: 50, after: $after, orderBy: [{ field: department }]) {
          edges { cursor node { employeeId } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`,
        { after },
      );
      expect(result.errors).toBeUndefined();
      expect(calls).toHaveLength(1);
      const page: Page<{ employeeId: string }> = (result.data as { employees: Page<{ employeeId: string }> }).employees;
      expect(page.pageInfo.hasPreviousPage).toBe(hasPreviousPage);
      expect(page.pageInfo.startCursor).toBe(page.edges[0]?.cursor ?? null);
      expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor ?? null);
      seen.push(...page.edges.map((e) => e.node.employeeId));
      pages++;
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
      hasPreviousPage = true;
    }
    expect(pages).toBe(Math.ceil(all / 50));
    expect(seen).toHaveLength(all);
    expect(new Set(seen).size).toBe(all);
  });

  it('refuses a cursor used with other arguments, without calling Profit', async () => {
    const first = await h.run(`{ employees(first: 2) { pageInfo { endCursor } } }`);
    const cursor = (first.result.data as { employees: Page<unknown> }).employees.pageInfo.endCursor;
    const { result, calls } = await h.run(
      `query ($after: String) { employees(first: 2, after: $after, where: { blocked: { eq: false } }) { edges { cursor } } }`,
      { after: cursor },
    );
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
    expect(calls).toHaveLength(0);
  });

  it('refuses a cursor that is not one', async () => {
    const { result, calls } = await h.run(`{ employees(after: "bm9wZQ") { edges { cursor } } }`);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
    expect(calls).toHaveLength(0);
  });

  it(`refuses first above ${MAX_FIRST} rather than cutting the page`, async () => {
    const { result, calls } = await h.run(`{ employees(first: ${MAX_FIRST + 1}) { edges { cursor } } }`);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first' });
    expect(calls).toHaveLength(0);
  });

  it('answers first: 0 with no edges and whether rows exist', async () => {
    const { result } = await h.run(`{ employees(first: 0) { edges { cursor } pageInfo { hasNextPage endCursor } } }`);
    expect(result.data).toEqual({ employees: { edges: [], pageInfo: { hasNextPage: true, endCursor: null } } });
  });

  it('makes identical GetConnector calls once per request', async () => {
    const { result, calls } = await h.run(`{
      a: employees(first: 5) { edges { node { employeeId } } }
      b: employees(first: 5) { edges { node { name } } }
    }`);
    expect(result.errors).toBeUndefined();
    expect(calls).toHaveLength(1);
  });

  it('serves later lookups by key from rows already read in the request', async () => {
    const { result, calls } = await h.run(
      `{ employees(first: 3) { edges { node { employeeId leaves { edges { node { employee { employeeId name } } } } } } } }`,
    );
    expect(result.errors).toBeUndefined();
    const page = (
      result.data as { employees: Page<{ employeeId: string; leaves: Page<{ employee: { employeeId: string } }> }> }
    ).employees;
    for (const { node } of page.edges) {
      for (const leave of node.leaves.edges) expect(leave.node.employee.employeeId).toBe(node.employeeId);
    }
    expect(callsPer(calls)).toEqual({ Profit_Employees: 1, Profit_Leaves: 1 });
  });
});

describe('errors', () => {
  it('maps a where the compiler refuses to BAD_USER_INPUT with its path', async () => {
    const { result, calls } = await h.run(`{ employees(where: { or: [] }) { edges { cursor } } }`);
    expect(result.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'where',
      path: ['where', 'or'],
      rule: 'empty-or',
    });
    expect(calls).toHaveLength(0);
  });

  it('splits a where whose query string Profit could not take over several calls, instead of refusing it', async () => {
    const names = Array.from({ length: 60 }, (_, i) => `Some rather long name number ${i}`);
    const { result, calls } = await h.run(
      `query ($names: [String!]) { employees(where: { name: { in: $names } }) { edges { cursor } } }`,
      { names },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ employees: { edges: [] } });
    expect(callsPer(calls)).toEqual({ Profit_Employees: 2 });
  });

  it('refuses a where with one condition over the query-string limit as QUERY_TOO_LONG, without calling Profit', async () => {
    const { result, calls } = await h.run(
      `query ($n: String!) { employees(where: { name: { eq: $n } }) { edges { cursor } } }`,
      {
        n: 'x'.repeat(2100),
      },
    );
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_LONG', reason: 'group-too-long' });
    expect(calls).toHaveLength(0);
  });

  it('maps a connector the app connector does not grant to FORBIDDEN', async () => {
    const { result } = await h.run(`{ employees { edges { cursor } } }`, {}, { user: 'portal' });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'not-granted' });
    expect(result.errors?.[0]?.message).not.toMatch(/127\.0\.0\.1|AfasToken|http:/);
  });

  it('answers null for a field the app connector withholds', async () => {
    const record = employeeRecords()[0]!;
    const { result } = await h.run(
      `query ($id: ID!) { employee(employeeId: $id) { employeeId salary } }`,
      { id: record.employeeId },
      { user: 'hr' },
    );
    expect(result.data).toEqual({ employee: { employeeId: record.employeeId, salary: null } });
  });

  it('refuses a filter on a field the app connector withholds as FORBIDDEN, without calling Profit', async () => {
    const { result, calls } = await h.run(
      `{ employees(where: { salary: { gt: "1" } }) { edges { cursor } } }`,
      {},
      { user: 'hr' },
    );
    expect(result.errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'field-not-granted',
      connector: 'Profit_Employees',
      field: 'Salary',
    });
    expect(calls).toHaveLength(0);
  });

  it('maps maintenance to PROFIT_UNAVAILABLE with retryAfterSeconds', async () => {
    h.emulator.faults.maintenance(7200);
    try {
      const { result } = await h.run(`{ employees { edges { cursor } } }`);
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'PROFIT_UNAVAILABLE', retryAfterSeconds: 7200 });
    } finally {
      h.emulator.faults.maintenance(null);
    }
  });

  it('maps a bad credential to UNAUTHENTICATED', async () => {
    const { authorizationHeader, ProfitConnection } = await import('../../src/profit/index.js');
    const { createRequestContext } = await import('../../src/graphql/index.js');
    const connection = new ProfitConnection({ baseUrl: h.emulator.baseUrl });
    try {
      const context = createRequestContext({ client: connection.client(authorizationHeader('AfasToken bm9wZQ==')) });
      const { result } = await h.run(`{ employees { edges { cursor } } }`, {}, { context });
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
    } finally {
      await connection.close();
    }
  });
});
