/**
 * Relations, batched: every relation over a list costs one Profit call per connector per batch, more only where
 * Profit's 2049-character query string forces the OR groups into several calls (counted here with the same
 * chunker the loaders use).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bindingOf } from '../../src/graphql/binding.js';
import { pageRowsFor } from '../../src/graphql/index.js';
import { Leave } from '../../src/model/index.js';
import { chunkFilterGroups, type FilterGroup, type GetQuery } from '../../src/profit/index.js';
import { callsPer, type Harness, startHarness } from './helpers.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ scale: 3 });
});
afterAll(() => h?.close());
// A one-shot fault a failing test did not consume must not fail a later test's call.
afterEach(() => h.emulator.faults.clear());

interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
}

/** How many calls the loaders need for these distinct values of `field`: the chunker's answer for their query. */
function chunks(field: string, values: readonly string[], base: GetQuery): number {
  const distinct = [...new Map(values.map((v) => [v.toUpperCase(), v])).values()];
  const groups: FilterGroup[] = distinct.map((value) => [{ field, op: 'eq', value }]);
  return chunkFilterGroups(base, groups).length;
}

const byKeyQuery = (keyField: string, n: number): GetQuery => ({ orderBy: [{ field: keyField }], take: n });

describe('a list of 100 employees with person, employer and leaves', () => {
  const query = `{
    employees(first: 100) {
      edges { node {
        employeeId personId employerId
        person { personId name }
        employer { organisationId employerId name }
        leaves(first: 100) { edges { node { leaveId employeeId hours } } pageInfo { hasNextPage } }
      } }
    }
  }`;

  it('costs one call for the list and one per relation connector, apart from query-string chunks', async () => {
    const { result, calls } = await h.run(query);
    expect(result.errors).toBeUndefined();
    type Node = {
      employeeId: string;
      personId: string;
      employerId: string;
      person: { personId: string } | null;
      employer: { employerId: string } | null;
      leaves: Page<{ employeeId: string }>;
    };
    const nodes = (result.data as { employees: Page<Node> }).employees.edges.map((e) => e.node);
    expect(nodes).toHaveLength(100);
    for (const n of nodes) {
      expect(n.person?.personId).toBe(n.personId);
      expect(n.employer?.employerId).toBe(n.employerId);
      const expected = h.data.leaves.filter((l) => l.employeeId.toUpperCase() === n.employeeId.toUpperCase());
      expect(n.leaves.edges).toHaveLength(expected.length);
      for (const l of n.leaves.edges) expect(l.node.employeeId).toBe(n.employeeId);
    }

    const personCalls = chunks(
      'BcCo',
      nodes.map((n) => n.personId),
      byKeyQuery('BcCo', new Set(nodes.map((n) => n.personId)).size),
    );
    const leaveCalls = chunks(
      'EmployeeId',
      nodes.map((n) => n.employeeId),
      { orderBy: [{ field: 'LeaveId' }], take: pageRowsFor(bindingOf(Leave)), skip: 99_999_999 },
    );
    expect(callsPer(calls)).toEqual({
      Profit_Employees: 1,
      Profit_Persons: personCalls,
      Profit_Organisations: 1,
      Profit_Leaves: leaveCalls,
    });
    // With `,` and `;` sent literally, about 105 person numbers fit in Profit's 2049 characters (one call) but only
    // about 85 employee ids of 7–10 characters (two calls for the leaves); the employers (a few codes) take one.
    expect(personCalls).toBe(1);
    expect(leaveCalls).toBe(2);
    expect(calls).toHaveLength(5);
  });

  it('puts a failed call’s error on the fields it served, not on the whole batch', async () => {
    h.emulator.faults.once({ kind: '500', path: 'Profit_Organisations' });
    const { result } = await h.run(query);
    const data = result.data as { employees: Page<{ person: unknown; employer: unknown; leaves: Page<unknown> }> };
    expect(data.employees.edges).toHaveLength(100);
    expect(data.employees.edges.every((e) => e.node.person !== null && e.node.employer === null)).toBe(true);
    expect(result.errors?.length).toBe(100);
    expect(result.errors?.every((e) => e.path?.at(-1) === 'employer')).toBe(true);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'PROFIT_REJECTED' });
  });
});

describe('relations', () => {
  it('Organisation.employees and Organisation.projects: one call each for all organisations', async () => {
    const { result, calls } = await h.run(`{
      organisations(first: 100) { edges { node {
        organisationId employerId
        employees(first: 500, orderBy: [{ field: employeeId }]) { edges { node { employeeId employerId } } }
        projects(first: 500) { edges { node { projectId organisationId } } }
      } } }
    }`);
    expect(result.errors).toBeUndefined();
    type Org = {
      organisationId: string;
      employerId: string | null;
      employees: Page<{ employeeId: string; employerId: string }>;
      projects: Page<{ projectId: string; organisationId: string }>;
    };
    const orgs = (result.data as { organisations: Page<Org> }).organisations.edges.map((e) => e.node);
    for (const o of orgs) {
      const employees = h.data.employees.filter((e) => o.employerId !== null && e.employerId === o.employerId);
      expect(o.employees.edges.map((e) => e.node.employeeId)).toEqual(
        employees.map((e) => e.employeeId).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
      );
      const projects = h.data.projects.filter((p) => p.bcCo === o.organisationId);
      expect(o.projects.edges.map((e) => e.node.projectId).sort()).toEqual(projects.map((p) => p.projectId).sort());
    }
    expect(callsPer(calls)).toEqual({ Profit_Organisations: 1, Profit_Employees: 1, Profit_Projects: 1 });
  });

  it('applies a relation’s where, orderBy, first and after per parent, from one call', async () => {
    const { result, calls } = await h.run(`{
      employees(first: 20) { edges { node {
        employeeId
        long: leaves(where: { hours: { gte: 8 } }, orderBy: [{ field: hours, direction: DESC }], first: 2) {
          edges { cursor node { leaveId hours } } pageInfo { hasNextPage endCursor }
        }
      } } }
    }`);
    expect(result.errors).toBeUndefined();
    type Node = { employeeId: string; long: Page<{ leaveId: string; hours: number }> };
    const nodes = (result.data as { employees: Page<Node> }).employees.edges.map((e) => e.node);
    for (const n of nodes) {
      const expected = h.data.leaves
        .filter((l) => l.employeeId.toUpperCase() === n.employeeId.toUpperCase() && l.hours >= 8)
        .sort((a, b) => b.hours - a.hours || a.id - b.id);
      expect(n.long.edges.map((e) => Number(e.node.leaveId))).toEqual(expected.slice(0, 2).map((l) => l.id));
      expect(n.long.pageInfo.hasNextPage).toBe(expected.length > 2);
    }
    expect(callsPer(calls)).toEqual({ Profit_Employees: 1, Profit_Leaves: 1 });

    // The next page of one parent: `after` from its own list.
    const withMore = nodes.find((n) => n.long.pageInfo.hasNextPage)!;
    const next = await h.run(
      `query ($id: ID!, $after: String) { employee(employeeId: $id) {
        leaves(where: { hours: { gte: 8 } }, orderBy: [{ field: hours, direction: DESC }], first: 2, after: $after) {
          edges { node { leaveId } } pageInfo { hasPreviousPage } } } }`,
      { id: withMore.employeeId, after: withMore.long.pageInfo.endCursor },
    );
    expect(next.result.errors).toBeUndefined();
    const expected = h.data.leaves
      .filter((l) => l.employeeId.toUpperCase() === withMore.employeeId.toUpperCase() && l.hours >= 8)
      .sort((a, b) => b.hours - a.hours || a.id - b.id);
    const page = (next.result.data as { employee: { leaves: Page<{ leaveId: string }> } }).employee.leaves;
    expect(page.edges.map((e) => Number(e.node.leaveId))).toEqual(expected.slice(2, 4).map((l) => l.id));
    expect(page.pageInfo.hasPreviousPage).toBe(true);

    // …and refused on another parent's list.
    const other = nodes.find((n) => n.employeeId !== withMore.employeeId)!;
    const foreign = await h.run(
      `query ($id: ID!, $after: String) { employee(employeeId: $id) {
        leaves(where: { hours: { gte: 8 } }, orderBy: [{ field: hours, direction: DESC }], first: 2, after: $after) { edges { cursor } } } }`,
      { id: other.employeeId, after: withMore.long.pageInfo.endCursor },
    );
    expect(foreign.result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
  });

  it('writes the cursors it has always written, whether or not pageInfo is read', async () => {
    const { result } = await h.run(`{
      employees(first: 3, orderBy: [{ field: employeeId }]) { edges { cursor node {
        leaves(first: 2) { edges { cursor } pageInfo { startCursor endCursor } }
        bare: leaves(first: 2) { edges { cursor } }
        long: leaves(where: { hours: { gte: 8 } }, first: 2) { edges { cursor } }
      } } pageInfo { endCursor } }
    }`);
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual(CURSORS_BEFORE_LAZY);
  });

  it('shares one call between aliases with the same where and orderBy, whatever their first', async () => {
    const { result, calls } = await h.run(`{
      employees(first: 10) { edges { node {
        a: leaves(first: 1) { edges { cursor } }
        b: leaves(first: 5) { edges { cursor } }
        c: leaves(where: { hours: { lt: 8 } }) { edges { cursor } }
      } } }
    }`);
    expect(result.errors).toBeUndefined();
    expect(callsPer(calls)).toEqual({ Profit_Employees: 1, Profit_Leaves: 2 });
  });

  it('Person.employee and Person.employees', async () => {
    const employee = h.data.employees[0]!;
    const { result, calls } = await h.run(
      `query ($id: ID!) { person(personId: $id) { personId employee { employeeId } employees { edges { node { employeeId } } } } }`,
      { id: employee.personBcCo },
    );
    expect(result.data).toEqual({
      person: {
        personId: employee.personBcCo,
        employee: { employeeId: employee.employeeId },
        employees: { edges: [{ node: { employeeId: employee.employeeId } }] },
      },
    });
    // The single and the list relation send the same query: memoised into one call.
    expect(callsPer(calls)).toEqual({ Profit_Persons: 1, Profit_Employees: 1 });
  });

  it('Project.organisation and Leave.employee', async () => {
    const { result, calls } = await h.run(`{
      projects(first: 100) { edges { node { organisationId organisation { organisationId } } } }
      leaves(first: 100) { edges { node { employeeId employee { employeeId } } } }
    }`);
    expect(result.errors).toBeUndefined();
    const data = result.data as {
      projects: Page<{ organisationId: string | null; organisation: { organisationId: string } | null }>;
      leaves: Page<{ employeeId: string; employee: { employeeId: string } | null }>;
    };
    const orgIds = new Set(h.data.organisations.map((o) => o.bcCo));
    for (const { node } of data.projects.edges) {
      expect(node.organisation?.organisationId ?? null).toBe(
        node.organisationId !== null && orgIds.has(node.organisationId) ? node.organisationId : null,
      );
    }
    for (const { node } of data.leaves.edges) expect(node.employee?.employeeId).toBe(node.employeeId);
    const per = callsPer(calls);
    expect(per.Profit_Projects).toBe(1);
    expect(per.Profit_Leaves).toBe(1);
    expect(per.Profit_Organisations).toBe(1);
    expect(per.Profit_Employees).toBe(
      chunks(
        'EmployeeId',
        data.leaves.edges.map((e) => e.node.employeeId),
        byKeyQuery('EmployeeId', new Set(data.leaves.edges.map((e) => e.node.employeeId.toUpperCase())).size),
      ),
    );
  });

  it('DossierItem.organisation / person / attachments, with a MIME type from the file name', async () => {
    const subject = h.data.subjects.find((s) => s.attachments.length > 0)!;
    const { result, calls } = await h.run(
      `query ($id: ID!) { dossierItem(dossierItemId: $id) {
        relationCode organisation { organisationId } person { personId }
        attachments { edges { node { attachmentId fileId fileName size mimeType dossierItem { dossierItemId } } } }
      } }`,
      { id: String(subject.subjectId) },
    );
    expect(result.errors).toBeUndefined();
    const item = (
      result.data as {
        dossierItem: {
          relationCode: string | null;
          organisation: { organisationId: string } | null;
          person: { personId: string } | null;
          attachments: Page<{
            fileName: string;
            mimeType: string;
            size: number;
            dossierItem: { dossierItemId: string };
          }>;
        };
      }
    ).dossierItem;
    const code = subject.links.find((l) => l.bcCo !== null)?.bcCo ?? null;
    expect(item.relationCode).toBe(code);
    const isOrg = h.data.organisations.some((o) => o.bcCo === code);
    expect(item.organisation?.organisationId ?? null).toBe(isOrg ? code : null);
    expect(item.person?.personId ?? null).toBe(!isOrg && code !== null ? code : null);
    expect(item.attachments.edges.map((e) => e.node.fileName).sort()).toEqual(
      subject.attachments.map((a) => a.fileName).sort(),
    );
    for (const { node } of item.attachments.edges) {
      const ext = node.fileName.split('.').pop()?.toLowerCase();
      if (ext === 'pdf') expect(node.mimeType).toBe('application/pdf');
      if (ext === 'png') expect(node.mimeType).toBe('image/png');
      expect(node.dossierItem.dossierItemId).toBe(String(subject.subjectId));
    }
    // The item, its attachments; the attachments' dossierItem comes from the item already read.
    expect(callsPer(calls).ProfitSubjects).toBe(1);
    expect(callsPer(calls).Profit_Subject_Attachments).toBe(1);
  });

  it('Employee.dossierItems through the person number', async () => {
    const withItems = h.data.employees.find((e) =>
      h.data.subjects.some((s) => s.links.find((l) => l.bcCo !== null)?.bcCo === e.personBcCo),
    )!;
    const { result } = await h.run(
      `query ($id: ID!) { employee(employeeId: $id) { dossierItems(first: 500) { edges { node { dossierItemId relationCode } } } } }`,
      { id: withItems.employeeId },
    );
    expect(result.errors).toBeUndefined();
    const items = (result.data as { employee: { dossierItems: Page<{ relationCode: string }> } }).employee.dossierItems;
    const expected = h.data.subjects.filter((s) => s.links.find((l) => l.bcCo !== null)?.bcCo === withItems.personBcCo);
    expect(items.edges).toHaveLength(expected.length);
    for (const e of items.edges) expect(e.node.relationCode).toBe(withItems.personBcCo);
  });

  it('answers null and an empty connection without a call when the join value is empty', async () => {
    const org = h.data.organisations.find((o) => o.employerId === null)!;
    const { result, calls } = await h.run(
      `query ($id: ID!) { organisation(organisationId: $id) { employees { edges { cursor } pageInfo { hasNextPage } } } }`,
      { id: org.bcCo },
    );
    expect(result.data).toEqual({ organisation: { employees: { edges: [], pageInfo: { hasNextPage: false } } } });
    expect(callsPer(calls)).toEqual({ Profit_Organisations: 1 });
  });
});

/** The cursors of the query above as the service wrote them at 057a4da, before cursors were computed when read. */
const CURSORS_BEFORE_LAZY = {
  employees: {
    edges: [
      {
        cursor: 'YzE6UVVGMzI5MlgydS1lOjA',
        node: {
          bare: {
            edges: [
              {
                cursor: 'YzE6WDF6ZkNLdVZhTEhpOjA',
              },
              {
                cursor: 'YzE6WDF6ZkNLdVZhTEhpOjE',
              },
            ],
          },
          leaves: {
            edges: [
              {
                cursor: 'YzE6WDF6ZkNLdVZhTEhpOjA',
              },
              {
                cursor: 'YzE6WDF6ZkNLdVZhTEhpOjE',
              },
            ],
            pageInfo: {
              endCursor: 'YzE6WDF6ZkNLdVZhTEhpOjE',
              startCursor: 'YzE6WDF6ZkNLdVZhTEhpOjA',
            },
          },
          long: {
            edges: [],
          },
        },
      },
      {
        cursor: 'YzE6UVVGMzI5MlgydS1lOjE',
        node: {
          bare: {
            edges: [
              {
                cursor: 'YzE6ZXN2OV9GaGF6SDZNOjA',
              },
              {
                cursor: 'YzE6ZXN2OV9GaGF6SDZNOjE',
              },
            ],
          },
          leaves: {
            edges: [
              {
                cursor: 'YzE6ZXN2OV9GaGF6SDZNOjA',
              },
              {
                cursor: 'YzE6ZXN2OV9GaGF6SDZNOjE',
              },
            ],
            pageInfo: {
              endCursor: 'YzE6ZXN2OV9GaGF6SDZNOjE',
              startCursor: 'YzE6ZXN2OV9GaGF6SDZNOjA',
            },
          },
          long: {
            edges: [
              {
                cursor: 'YzE6ZG55dEx1RnNSdFVXOjA',
              },
            ],
          },
        },
      },
      {
        cursor: 'YzE6UVVGMzI5MlgydS1lOjI',
        node: {
          bare: {
            edges: [
              {
                cursor: 'YzE6aV9VcGtiRUp6eHVVOjA',
              },
              {
                cursor: 'YzE6aV9VcGtiRUp6eHVVOjE',
              },
            ],
          },
          leaves: {
            edges: [
              {
                cursor: 'YzE6aV9VcGtiRUp6eHVVOjA',
              },
              {
                cursor: 'YzE6aV9VcGtiRUp6eHVVOjE',
              },
            ],
            pageInfo: {
              endCursor: 'YzE6aV9VcGtiRUp6eHVVOjE',
              startCursor: 'YzE6aV9VcGtiRUp6eHVVOjA',
            },
          },
          long: {
            edges: [
              {
                cursor: 'YzE6dXRDRkh3dFY3N29xOjA',
              },
            ],
          },
        },
      },
    ],
    pageInfo: {
      endCursor: 'YzE6UVVGMzI5MlgydS1lOjI',
    },
  },
};
