/**
 * The example operations in schema/operations, as a frontend runs them: the typed documents codegen made
 * (schema/generated/graphql.ts), printed and POSTed to the running service over HTTP with the demo admin's
 * Authorization header. The results are read through the generated result types, so this file type-checks
 * (`npm run typecheck`) only while the operations, the generated types and the committed schema agree.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { type GraphQLFormattedError, print } from 'graphql';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import {
  DossierItemsWithAttachmentsDocument,
  EmployeeByIdDocument,
  type EmployeeByIdQuery,
  EmployeesPageDocument,
  type EmployeesPageQuery,
  type EmployeesPageQueryVariables,
  OrganisationsOverviewDocument,
} from '../../schema/generated/graphql.js';
import type { DemoStore } from '../../src/emulator/company/index.js';
import type { Service } from '../../src/server/index.js';
import { demoAuthorization, startTestService } from '../server/helpers.js';
import { callsPer } from './helpers.js';

let service: Service;
let admin: string;
beforeAll(async () => {
  service = await startTestService();
  admin = demoAuthorization(service);
});
afterAll(() => service?.close());

const data = () => (service.emulator!.company.store as DemoStore).data;
const same = (a: string | null | undefined, b: string | null | undefined) => a?.toUpperCase() === b?.toUpperCase();
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;

interface Reply<TResult> {
  status: number;
  data: TResult | null | undefined;
  errors: GraphQLFormattedError[] | undefined;
  /** Profit calls the request made, per GetConnector. */
  calls: Record<string, number>;
}

/** POSTs a typed document as a frontend would; the answer's `data` has the operation's generated result type. */
async function execute<TResult, TVariables>(
  document: TypedDocumentNode<TResult, TVariables>,
  variables: TVariables,
): Promise<Reply<TResult>> {
  const before = service.emulator!.log.entries().at(-1)?.seq ?? 0;
  const response = await fetch(service.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: admin },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const body = (await response.json()) as { data?: TResult | null; errors?: GraphQLFormattedError[] };
  const calls = callsPer(service.emulator!.log.entries().filter((e) => e.seq > before));
  return { status: response.status, data: body.data, errors: body.errors, calls };
}

describe('EmployeeById: an employee with their person and employer', () => {
  it('answers with the demo company’s employee, scalars in their documented shapes, in one call per connector', async () => {
    const record = data().employees[3]!;
    const reply = await execute(EmployeeByIdDocument, { employeeId: record.employeeId });
    expect(reply.status).toBe(200);
    expect(reply.errors).toBeUndefined();

    const employee = reply.data?.employee;
    expectTypeOf(employee).toEqualTypeOf<EmployeeByIdQuery['employee'] | undefined>();
    // Decimal, DateTime and Date arrive as strings (codegen.yml maps the scalars to string).
    expectTypeOf(employee!.hoursPerWeek).toEqualTypeOf<string | null>();
    expectTypeOf(employee!.dateInService).toEqualTypeOf<string | null>();
    expect(employee?.employeeId).toBe(record.employeeId);
    expect(employee?.hoursPerWeek).toMatch(DECIMAL);
    expect(Number(employee?.hoursPerWeek)).toBe(Number(record.hoursPerWeek));
    expect(employee?.dateInService).toBe(record.dateInService.slice(0, 10));

    const person = data().persons.find((p) => same(p.bcCo, record.personBcCo))!;
    expect(employee?.person?.personId).toBe(person.bcCo);
    expect(employee?.person?.lastName).toBe(person.lastName);
    expect(employee?.employer?.employerId).toBe(record.employerId);
    expect(employee?.employer?.organisationId).toBe(
      data().organisations.find((o) => same(o.employerId, record.employerId))?.bcCo,
    );
    expect(reply.calls).toEqual({ Profit_Employees: 1, Profit_Persons: 1, Profit_Organisations: 1 });
  });

  it('answers null for an employee id no row has', async () => {
    const reply = await execute(EmployeeByIdDocument, { employeeId: 'NO-SUCH-EMPLOYEE' });
    expect(reply.errors).toBeUndefined();
    expect(reply.data).toEqual({ employee: null });
  });
});

describe('EmployeesPage: a filtered, sorted list with paging and each employee’s latest leave', () => {
  type Node = NonNullable<EmployeesPageQuery['employees']>['edges'][number]['node'];

  /** The year that splits the demo company's employees roughly in half by date in service. */
  function medianYear(): string {
    const years = data()
      .employees.map((e) => e.dateInService.slice(0, 4))
      .sort();
    return years[Math.floor(years.length / 2)]!;
  }

  it('pages through every employee the where selects, in the requested order, without gaps or repeats', async () => {
    const from = `${medianYear()}-01-01`;
    const variables: EmployeesPageQueryVariables = {
      where: { dateInService: { gte: from } },
      orderBy: [{ field: 'dateInService', direction: 'DESC' }],
      first: 7,
    };
    const nodes: Node[] = [];
    for (let after: string | null | undefined, pages = 0; pages < 100; pages++) {
      const reply = await execute(EmployeesPageDocument, { ...variables, after });
      expect(reply.errors).toBeUndefined();
      const page = reply.data!.employees!;
      expect(page.edges.length).toBeLessThanOrEqual(7);
      nodes.push(...page.edges.map((e) => e.node));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }

    const expected = data().employees.filter((e) => e.dateInService.slice(0, 10) >= from);
    expect(expected.length).toBeGreaterThan(7);
    expect(nodes.map((n) => n.employeeId).sort()).toEqual(expected.map((e) => e.employeeId).sort());
    const days = nodes.map((n) => n.dateInService!);
    for (const day of days) expect(day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(days).toEqual([...days].sort().reverse());
    expect(days.every((d) => d >= from)).toBe(true);
  });

  it('gives each employee their person and latest leave bookings, in one call per connector', async () => {
    const reply = await execute(EmployeesPageDocument, {
      orderBy: [{ field: 'employeeId' }],
      first: 10,
      leavesFirst: 2,
    });
    expect(reply.errors).toBeUndefined();
    const nodes = reply.data!.employees!.edges.map((e) => e.node);
    expect(nodes).toHaveLength(10);
    expect(reply.data!.employees!.pageInfo.hasNextPage).toBe(true);

    for (const node of nodes) {
      const record = data().employees.find((e) => e.employeeId === node.employeeId)!;
      expect(node.person?.personId).toBe(record.personBcCo);
      // Newest first; Profit sorts equal dates by the key, which the service always appends.
      const leaves = data()
        .leaves.filter((l) => same(l.employeeId, node.employeeId))
        .sort((a, b) => (a.start === b.start ? a.id - b.id : a.start < b.start ? 1 : -1));
      expect(node.leaves!.edges.map((e) => e.node.leaveId)).toEqual(leaves.slice(0, 2).map((l) => String(l.id)));
      expect(node.leaves!.pageInfo.hasNextPage).toBe(leaves.length > 2);
      for (const { node: leave } of node.leaves!.edges) {
        expectTypeOf(leave.hours).toEqualTypeOf<number | null>();
        expect(leave.startDate).toMatch(ISO_INSTANT);
      }
    }
    expect(reply.calls).toEqual({ Profit_Employees: 1, Profit_Persons: 1, Profit_Leaves: 1 });
  });

  it('refuses a where value of the wrong shape before calling Profit', async () => {
    const reply = await execute(EmployeesPageDocument, { where: { dateInService: { gte: 'tomorrow' } } });
    expect(reply.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(reply.calls).toEqual({});
  });
});

describe('OrganisationsOverview: organisations with some employees and projects', () => {
  it('lists the organisations with the first employees of each employer and their newest projects', async () => {
    const reply = await execute(OrganisationsOverviewDocument, { first: 100, employeesFirst: 3, projectsFirst: 4 });
    expect(reply.errors).toBeUndefined();
    const nodes = reply.data!.organisations!.edges.map((e) => e.node);
    expect(nodes.map((n) => n.organisationId).sort()).toEqual(
      data()
        .organisations.map((o) => o.bcCo)
        .sort(),
    );

    for (const org of nodes) {
      const employees = data().employees.filter((e) => org.employerId !== null && same(e.employerId, org.employerId));
      expect(org.isEmployer).toBe(org.employerId !== null);
      expect(org.employees!.edges).toHaveLength(Math.min(3, employees.length));
      expect(org.employees!.pageInfo.hasNextPage).toBe(employees.length > 3);
      const ids = new Set(employees.map((e) => e.employeeId));
      for (const { node } of org.employees!.edges) expect(ids.has(node.employeeId)).toBe(true);

      const projects = data().projects.filter((p) => same(p.bcCo, org.organisationId));
      const shown = org.projects!.edges.map((e) => e.node);
      expect(shown).toHaveLength(Math.min(4, projects.length));
      for (const p of shown) expect(projects.some((q) => q.projectId === p.projectId)).toBe(true);
      const starts = shown.map((p) => p.dateStart).filter((d): d is string => d !== null);
      expect(starts).toEqual([...starts].sort().reverse());
    }
    expect(nodes.some((n) => n.employees!.edges.length > 0)).toBe(true);
    expect(nodes.some((n) => n.projects!.edges.length > 0)).toBe(true);
    expect(reply.calls).toEqual({ Profit_Organisations: 1, Profit_Employees: 1, Profit_Projects: 1 });
  });

  it('filters on a boolean field', async () => {
    const reply = await execute(OrganisationsOverviewDocument, { where: { isEmployer: { eq: true } } });
    expect(reply.errors).toBeUndefined();
    const nodes = reply.data!.organisations!.edges.map((e) => e.node);
    expect(nodes.length).toBe(data().organisations.filter((o) => o.employerId !== null).length);
    expect(nodes.every((n) => n.isEmployer === true && n.employerId !== null)).toBe(true);
  });
});

describe('DossierItemsWithAttachments: the newest dossier items, whom they are about, and their files', () => {
  it('links each item to its person or organisation and lists its attachments', async () => {
    const reply = await execute(DossierItemsWithAttachmentsDocument, { first: 40 });
    expect(reply.errors).toBeUndefined();
    const items = reply.data!.dossierItems!.edges.map((e) => e.node);
    expect(items).toHaveLength(Math.min(40, data().subjects.length));
    const dates = items.map((i) => i.date!);
    expect(dates).toEqual([...dates].sort().reverse());

    for (const item of items) {
      // Keys are IDs: strings in GraphQL, whatever Profit's type.
      expectTypeOf(item.dossierItemId).toEqualTypeOf<string>();
      const record = data().subjects.find((s) => String(s.subjectId) === item.dossierItemId)!;
      expect(item.subject).toBe(record.subject);
      const about = item.person ?? item.organisation;
      if (item.relationCode === null) expect(about).toBeNull();
      else expect(same(item.person?.personId ?? item.organisation?.organisationId, item.relationCode)).toBe(true);

      const attachments = item.attachments!.edges.map((e) => e.node);
      expect(attachments.map((a) => a.attachmentId)).toEqual(
        record.attachments
          .map((a) => a.attachmentId)
          .sort((a, b) => a - b)
          .slice(0, 10)
          .map(String),
      );
      for (const a of attachments) {
        const file = record.attachments.find((r) => String(r.attachmentId) === a.attachmentId)!;
        expect(a.fileName).toBe(file.fileName);
        expect(a.size).toBe(file.fileSize);
        expectTypeOf(a.mimeType).toEqualTypeOf<string>();
        if (a.fileName?.toLowerCase().endsWith('.pdf')) expect(a.mimeType).toBe('application/pdf');
      }
    }
    expect(items.some((i) => i.attachments!.edges.length > 0)).toBe(true);
    expect(items.some((i) => i.person !== null)).toBe(true);
  });
});
