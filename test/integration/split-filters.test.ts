/**
 * Long filters, over HTTP against the service and its embedded emulator: a `where` whose query string is over
 * Profit's 2049 characters (an `in` of 300 ids, an OR over many values) is split over several GetConnector calls
 * and merged, and every page is exactly the page one unsplit call would give. The reference is the whole list read
 * in one call without a filter, in the same order, filtered here. Call counts come from the emulator's log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogEntry } from '../../src/emulator/log.js';
import { bindingOf } from '../../src/graphql/binding.js';
import { encodeCursor } from '../../src/graphql/connection.js';
import { MAX_SPLIT_CALLS, pageRowsFor } from '../../src/graphql/loaders.js';
import { Employee } from '../../src/model/employee.js';
import { MAX_QUERY_STRING_LENGTH } from '../../src/profit/index.js';
import type { Service } from '../../src/server/index.js';
import { lastSeq, upstreamSince } from '../resilience/support.js';
import { demoAuthorization, graphql, type Reply, startTestService } from '../server/helpers.js';

interface Row {
  employeeId: string;
  name: string;
  department: string | null;
  hoursPerWeek: string | null;
  dateInService: string | null;
  dateOutService: string | null;
}

const FIELDS = 'employeeId name department hoursPerWeek dateInService dateOutService';
const LIST = `query ($where: EmployeeWhere, $orderBy: [EmployeeOrderBy!], $first: Int, $after: String) {
  employees(where: $where, orderBy: $orderBy, first: $first, after: $after) {
    edges { cursor node { ${FIELDS} } }
    pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}`;

let service: Service;
let admin: string;

const ask = (variables: Record<string, unknown>, query = LIST) =>
  graphql(service, query, { authorization: admin, variables });

/** Sends one page request; returns the reply and the Profit calls it made. */
async function page(variables: Record<string, unknown>): Promise<{ reply: Reply; calls: LogEntry[] }> {
  const seq = lastSeq(service);
  const reply = await ask(variables);
  return { reply, calls: upstreamSince(service, seq) };
}

/** The whole list in one unsplit call (no where), in `orderBy`'s order. */
async function reference(orderBy: readonly object[]): Promise<Row[]> {
  const { reply, calls } = await page({ orderBy, first: 500 });
  expect(reply.json.errors).toBeUndefined();
  expect(reply.json.data.employees.pageInfo.hasNextPage).toBe(false);
  expect(calls).toHaveLength(1);
  return reply.json.data.employees.edges.map((e: { node: Row }) => e.node);
}

/** Pages through a list `first` rows at a time; every page's rows and the Profit calls of each page. */
async function pageThrough(variables: Record<string, unknown>, first: number) {
  const pages: { rows: Row[]; calls: LogEntry[] }[] = [];
  let after: string | null = null;
  for (;;) {
    const { reply, calls } = await page({ ...variables, first, after });
    expect(reply.json.errors).toBeUndefined();
    const { edges, pageInfo } = reply.json.data.employees;
    expect(pageInfo.hasPreviousPage).toBe(after !== null);
    pages.push({ rows: edges.map((e: { node: Row }) => e.node), calls });
    if (!pageInfo.hasNextPage) return pages;
    after = pageInfo.endCursor;
  }
}

function queryOf(entry: LogEntry): URLSearchParams {
  return new URLSearchParams(entry.query.replace(/^\?/, ''));
}

beforeAll(async () => {
  // Scale 10: 400 employees, so an `in` of 300 ids selects 300 rows.
  service = await startTestService({ EMULATOR_SCALE: '10', PERMISSIONS_TTL_SECONDS: '86400' });
  admin = demoAuthorization(service);
  // The grant is read once here, so the calls each test counts are the data calls.
  expect((await ask({ first: 1 })).json.errors).toBeUndefined();
});
afterAll(() => service?.close());

describe('an in of 300 ids', () => {
  it('is answered in 4 calls, each within the limit, with exactly the 300 rows in the order one call gives', async () => {
    const orderBy = [{ field: 'name' }];
    const all = await reference(orderBy);
    expect(all).toHaveLength(400);
    // Every fourth employee left out, the rest asked for in a shuffled order (the order of `in` is no sort).
    const wanted = all.filter((_, i) => i % 4 !== 3).map((r) => r.employeeId);
    expect(wanted).toHaveLength(300);
    const shuffled = [...wanted].sort((a, b) => (a.split('').reverse().join() < b.split('').reverse().join() ? -1 : 1));
    const { reply, calls } = await page({ where: { employeeId: { in: shuffled } }, orderBy, first: 500 });
    expect(reply.json.errors).toBeUndefined();
    const got = reply.json.data.employees.edges.map((e: { node: Row }) => e.node);
    expect(got).toEqual(all.filter((r) => wanted.includes(r.employeeId)));
    expect(reply.json.data.employees.pageInfo.hasNextPage).toBe(false);
    expect(calls).toHaveLength(4);
    for (const call of calls) {
      expect(call.status).toBe(200);
      expect(call.query.length).toBeLessThanOrEqual(MAX_QUERY_STRING_LENGTH);
      expect(queryOf(call).get('skip')).toBe('0');
      expect(queryOf(call).get('take')).toBe('501');
      expect(queryOf(call).get('orderbyfieldids')).toBe('Name,EmployeeId');
    }
    // Each id is sent once: the calls carry disjoint parts of the `in`.
    const sent = calls.flatMap((c) => (queryOf(c).get('filtervalues') ?? '').split(';'));
    expect(sent.sort()).toEqual([...wanted].sort());
  });

  it('pages by first/after across the split: each page the same rows as the reference, 4 calls per page', async () => {
    const orderBy = [{ field: 'department', direction: 'DESC' }, { field: 'hoursPerWeek' }];
    const all = await reference(orderBy);
    const wanted = new Set(all.filter((_, i) => i % 4 !== 0).map((r) => r.employeeId));
    const pages = await pageThrough({ where: { employeeId: { in: [...wanted] } }, orderBy }, 40);
    const expected = all.filter((r) => wanted.has(r.employeeId));
    expect(pages.map((p) => p.rows.length)).toEqual([40, 40, 40, 40, 40, 40, 40, 20]);
    expect(pages.flatMap((p) => p.rows)).toEqual(expected);
    pages.forEach((p, i) => {
      expect(p.calls).toHaveLength(4);
      // Each call reads from row 0 to the page's end (one row more, for hasNextPage).
      for (const call of p.calls) expect(queryOf(call).get('take')).toBe(String(40 * (i + 1) + 1));
    });
  });

  it.each([
    ['dateOutService (mostly empty: nulls first, ties by the key)', [{ field: 'dateOutService' }]],
    ['dateOutService descending (nulls last)', [{ field: 'dateOutService', direction: 'DESC' }]],
    ['hoursPerWeek, then name descending', [{ field: 'hoursPerWeek' }, { field: 'name', direction: 'DESC' }]],
    ['the key alone, descending', [{ field: 'employeeId', direction: 'DESC' }]],
  ])('pages the same rows as the reference when sorted by %s', async (_what, orderBy) => {
    const all = await reference(orderBy);
    const wanted = new Set(all.filter((_, i) => i % 3 !== 1).map((r) => r.employeeId));
    const pages = await pageThrough({ where: { employeeId: { in: [...wanted].reverse() } }, orderBy }, 60);
    expect(pages.flatMap((p) => p.rows)).toEqual(all.filter((r) => wanted.has(r.employeeId)));
    expect(pages.map((p) => p.calls.length)).toEqual([3, 3, 3, 3, 3]);
  });

  it('no longer refuses 65 ids (the old 64-group bound): they fit one call, which is all it makes', async () => {
    const all = await reference([{ field: 'employeeId' }]);
    const ids = all.slice(0, 65).map((r) => r.employeeId);
    const { reply, calls } = await page({ where: { employeeId: { in: ids } }, first: 100 });
    expect(reply.json.errors).toBeUndefined();
    expect(reply.json.data.employees.edges.map((e: { node: Row }) => e.node.employeeId)).toEqual(ids);
    expect(calls).toHaveLength(1);
  });
});

describe('an OR over many values, sorted on a field that is not the key', () => {
  it('merges overlapping alternatives (a row matched by several is listed once), page after page', async () => {
    const orderBy = [{ field: 'dateInService', direction: 'DESC' }];
    const all = await reference(orderBy);
    const names = [...new Set(all.map((r) => r.name))].filter((_, i) => i % 3 === 0);
    const departments = [...new Set(all.map((r) => r.department).filter((d): d is string => d !== null))].slice(0, 2);
    // Rows of these departments are also matched by many of the name alternatives: the calls' answers overlap.
    const where = {
      or: [
        ...names.map((name) => ({ name: { eq: name } })),
        ...departments.map((department) => ({ department: { eq: department } })),
      ],
    };
    const matched = all.filter(
      (r) => names.some((n) => n.toLowerCase() === r.name.toLowerCase()) || departments.includes(r.department ?? ''),
    );
    expect(matched.length).toBeGreaterThan(100);
    const byBoth = matched.filter(
      (r) => names.some((n) => n.toLowerCase() === r.name.toLowerCase()) && departments.includes(r.department ?? ''),
    );
    expect(byBoth.length).toBeGreaterThan(10);
    expect(matched.length).toBeLessThan(all.length);
    // Ties on the sort field exist, so the key decides among them, as one call would.
    expect(new Set(matched.map((r) => r.dateInService)).size).toBeLessThan(matched.length);
    const pages = await pageThrough({ where, orderBy }, 25);
    expect(pages.flatMap((p) => p.rows)).toEqual(matched);
    expect(pages.map((p) => p.calls.length)).toEqual(pages.map(() => 5));
    expect(pages[0]?.calls.every((c) => c.query.length <= MAX_QUERY_STRING_LENGTH)).toBe(true);
  });
});

describe("a relation's own long where", () => {
  it('is split into parts whose rows are merged per parent, in the relation order, each once', async () => {
    const all = await reference([{ field: 'name' }, { field: 'employerId' }]);
    // Every other employee, as one `in` of 200 ids: with any parent's employer it is over the limit.
    const wanted = new Set(all.filter((_, i) => i % 2 === 0).map((r) => r.employeeId));
    const byEmployer = new Map<string, Row[]>();
    const withEmployer = await ask(
      {},
      '{ employees(first: 500, orderBy: [{ field: name }]) { edges { node { employeeId employerId } } } }',
    );
    const employerOf = new Map<string, string>(
      withEmployer.json.data.employees.edges.map((e: { node: { employeeId: string; employerId: string } }) => [
        e.node.employeeId,
        e.node.employerId,
      ]),
    );
    for (const r of all) {
      if (!wanted.has(r.employeeId)) continue;
      const employer = employerOf.get(r.employeeId) as string;
      byEmployer.set(employer, [...(byEmployer.get(employer) ?? []), r]);
    }
    const seq = lastSeq(service);
    const reply = await ask(
      { ids: [...wanted] },
      `query ($ids: [ID!]) { organisations(first: 100, where: { employerId: { isEmpty: false } }) { edges { node {
        employerId
        employees(where: { employeeId: { in: $ids } }, orderBy: [{ field: name }], first: 500) { edges { node { ${FIELDS} } } }
      } } } }`,
    );
    const calls = upstreamSince(service, seq);
    expect(reply.json.errors).toBeUndefined();
    const organisations = reply.json.data.organisations.edges.map(
      (e: { node: { employerId: string; employees: { edges: { node: Row }[] } } }) => e.node,
    );
    expect(organisations.length).toBeGreaterThan(1);
    for (const o of organisations) {
      expect(o.employees.edges.map((e: { node: Row }) => e.node)).toEqual(byEmployer.get(o.employerId) ?? []);
    }
    expect(organisations.some((o: { employees: { edges: unknown[] } }) => o.employees.edges.length > 10)).toBe(true);
    const data = calls.filter((c) => c.path.includes('/connectors/'));
    // The where's 200 ids go in 4 parts; each part with the organisations' 2 employers is one call per employer.
    expect(new Set(organisations.map((o: { employerId: string }) => o.employerId)).size).toBe(2);
    expect(data.map((c) => c.path.replace(/.*\/connectors\//, ''))).toEqual([
      'Profit_Organisations',
      ...Array(8).fill('Profit_Employees'),
    ]);
    for (const call of data) expect(call.query.length).toBeLessThanOrEqual(MAX_QUERY_STRING_LENGTH);
  });
});

describe('what cannot be answered exactly is refused, with QUERY_TOO_LONG and a reason', () => {
  it('one AND group over the limit on its own (group-too-long), without calling Profit', async () => {
    const { reply, calls } = await page({ where: { name: { contains: 'x'.repeat(2100) } }, first: 5 });
    expect(reply.json.data).toEqual({ employees: null });
    expect(reply.json.errors[0].extensions).toMatchObject({
      code: 'QUERY_TOO_LONG',
      reason: 'group-too-long',
      connector: 'Profit_Employees',
    });
    expect(reply.json.errors[0].message).toMatch(/one of its AND groups .* on its own/);
    expect(calls).toHaveLength(0);
  });

  it(`more than ${MAX_SPLIT_CALLS} calls (too-many-calls), without calling Profit`, async () => {
    const names = Array.from({ length: 1000 }, (_, i) => `Zoë, a rather long name that needs filterjson ${i}`);
    const { reply, calls } = await page({ where: { name: { in: names } }, first: 5 });
    expect(reply.json.data).toEqual({ employees: null });
    expect(reply.json.errors[0].extensions).toMatchObject({
      code: 'QUERY_TOO_LONG',
      reason: 'too-many-calls',
      groups: 1000,
      maxCalls: MAX_SPLIT_CALLS,
    });
    expect(reply.json.errors[0].extensions.calls).toBeGreaterThan(MAX_SPLIT_CALLS);
    expect(reply.json.errors[0].message).toMatch(/Use fewer or shorter in \/ or values/);
    expect(calls).toHaveLength(0);
  });

  it('a page ending beyond the rows one call reads (page-too-deep), without calling Profit', async () => {
    const ids = (await reference([{ field: 'employeeId' }])).slice(0, 300).map((r) => r.employeeId);
    const first = await page({ where: { employeeId: { in: ids } }, first: 1 });
    expect(first.reply.json.errors).toBeUndefined();
    expect(first.calls.length).toBeGreaterThan(1);
    const maxRows = pageRowsFor(bindingOf(Employee));
    // A cursor of the same list, further down than a split can reach (the offset is the cursor's only other part).
    const cursor: string = first.reply.json.data.employees.pageInfo.endCursor;
    const fingerprint = Buffer.from(cursor, 'base64url').toString().split(':')[1] as string;
    // A page ending exactly at the last row one call reads is served (its rows lie beyond these 300: none)…
    const deepest = await page({
      where: { employeeId: { in: ids } },
      first: 10,
      after: encodeCursor(maxRows - 12, fingerprint),
    });
    expect(deepest.reply.json.errors).toBeUndefined();
    expect(deepest.reply.json.data.employees.edges).toEqual([]);
    expect(deepest.calls.map((c) => queryOf(c).get('take'))).toEqual(Array(first.calls.length).fill(String(maxRows)));
    // …one row deeper is not.
    const after = encodeCursor(maxRows - 11, fingerprint);
    const { reply, calls } = await page({ where: { employeeId: { in: ids } }, first: 10, after });
    expect(reply.json.data).toEqual({ employees: null });
    expect(reply.json.errors[0].extensions).toMatchObject({
      code: 'QUERY_TOO_LONG',
      reason: 'page-too-deep',
      pageEnd: maxRows + 1,
      maxRows,
    });
    expect(calls).toHaveLength(0);
  });
});

describe('the cost estimate', () => {
  let small: Service;
  beforeAll(async () => {
    small = await startTestService({ EMULATOR_SCALE: '10', MAX_QUERY_COST: '3', PERMISSIONS_TTL_SECONDS: '86400' });
  });
  afterAll(() => small?.close());

  it('counts a split list as the calls it is split into (QUERY_TOO_COMPLEX before any call)', async () => {
    const auth = demoAuthorization(small);
    const query = 'query ($ids: [ID!]) { employees(where: { employeeId: { in: $ids } }) { edges { cursor } } }';
    const ids = (n: number) => Array.from({ length: n }, (_, i) => String(100000 + i));
    const seq = lastSeq(small);
    // 65 ids fit one call: cost 1.
    const one = await graphql(small, query, { authorization: auth, variables: { ids: ids(65) } });
    expect(one.json.errors).toBeUndefined();
    expect(upstreamSince(small, seq).filter((e) => e.path.includes('/connectors/'))).toHaveLength(1);
    // 300 ids are split over 4 calls: cost 4, over the limit of 3.
    const before = lastSeq(small);
    const split = await graphql(small, query, { authorization: auth, variables: { ids: ids(300) } });
    expect(split.status).toBe(400);
    expect(split.json.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 3, actual: 4 });
    expect(upstreamSince(small, before)).toHaveLength(0);
  });
});
