/**
 * Values stay exactly what Profit holds, over real HTTP: the service with its embedded emulator. Every scalar is
 * written and read back with values chosen to look like another type (text that reads as a datetime, a number, a
 * decimal, a boolean; a day on a DST change), and conversion follows each field's declared type, never the shape
 * of a string.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DemoStore } from '../../src/emulator/company/index.js';
import type { LogEntry } from '../../src/emulator/log.js';
import { fromProfitDateTime } from '../../src/profit/index.js';
import type { Service } from '../../src/server/index.js';
import { demoAuthorization, graphql, type Reply, startTestService } from '../server/helpers.js';

let service: Service;
let admin: string;

function emulator() {
  if (!service.emulator) throw new Error('the service runs on the embedded emulator here');
  return service.emulator;
}

beforeAll(async () => {
  service = await startTestService();
  admin = demoAuthorization(service);
});
afterAll(() => service?.close());
beforeEach(() => emulator().log.clear());

const store = () => (emulator().company.store as DemoStore).data;
const ask = (query: string, variables?: Record<string, unknown>): Promise<Reply> =>
  graphql(service, query, { authorization: admin, ...(variables ? { variables } : {}) });
/** Profit calls since the last clear, as `METHOD /connectors/X`. */
const upstream = () =>
  emulator()
    .log.entries()
    .filter((e: LogEntry) => e.path.includes('/connectors/'))
    .map((e: LogEntry) => `${e.method} ${e.path.replace(/^.*\/connectors\//, '')}`);

/** Text fields and values that read like something else: each must come back as the very same text. */
const LOOK_ALIKES = {
  note: '2024-01-01T00:00:00Z',
  lastName: '2024-01-01',
  firstName: '00123',
  callName: '1e3',
  initials: 'true',
  mailPrivate: 'null',
  phoneWork: '12345678901234567890',
  mobileWork: '1.50',
  prefix: '-0',
} as const;
const TEXT_FIELDS = Object.keys(LOOK_ALIKES).join(' ');

describe('text is never reinterpreted', () => {
  it("keeps a person's note that reads like a Profit datetime as that text, written and read over HTTP", async () => {
    const note = '2024-01-01T00:00:00Z';
    const created = await ask(
      `mutation ($input: CreatePersonInput!) { createPerson(input: $input) { personId note } }`,
      { input: { lastName: 'Notitie', note } },
    );
    expect(created.json.errors).toBeUndefined();
    const { personId } = created.json.data.createPerson;
    expect(created.json.data.createPerson.note).toBe(note);
    expect(store().persons.find((p) => p.bcCo === personId)?.note).toBe(note);

    emulator().log.clear();
    const read = await ask(`query ($id: ID!) { person(personId: $id) { note } }`, { id: personId });
    expect(read.json).toEqual({ data: { person: { note } } });
    expect(upstream()).toEqual(['GET Profit_Persons']);
  });

  it('reads back text that looks like a number, a decimal, a boolean, null or a date exactly as written', async () => {
    const created = await ask(
      `mutation ($input: CreatePersonInput!) { createPerson(input: $input) { personId ${TEXT_FIELDS} } }`,
      { input: LOOK_ALIKES },
    );
    expect(created.json.errors).toBeUndefined();
    const { personId, ...written } = created.json.data.createPerson;
    expect(written).toEqual(LOOK_ALIKES);

    const read = await ask(`query ($id: ID!) { person(personId: $id) { ${TEXT_FIELDS} } }`, { id: personId });
    expect(read.json).toEqual({ data: { person: LOOK_ALIKES } });
  });

  it('filters a text field on text that looks like a datetime, and finds it as text', async () => {
    const note = '2023-06-15T12:30:00Z';
    const created = await ask(`mutation ($input: CreatePersonInput!) { createPerson(input: $input) { personId } }`, {
      input: { lastName: 'Filter', note },
    });
    const { personId } = created.json.data.createPerson;
    const found = await ask(
      `query ($note: String!) { persons(where: { note: { eq: $note } }) { edges { node { personId note } } } }`,
      { note },
    );
    expect(found.json).toEqual({ data: { persons: { edges: [{ node: { personId, note } }] } } });
  });
});

describe('dates are days', () => {
  it.each([
    ['an ordinary day', '1990-05-17'],
    ['the spring DST change', '2024-03-31'],
    ['the autumn DST change', '2024-10-27'],
    ['the first day of the epoch', '1970-01-01'],
    ['a leap day', '2000-02-29'],
  ])('writes and reads a birth date on %s as that day (%s), and Profit holds that day', async (_, day) => {
    const created = await ask(
      `mutation ($input: CreatePersonInput!) { createPerson(input: $input) { personId dateOfBirth } }`,
      { input: { lastName: 'Jarig', dateOfBirth: day } },
    );
    expect(created.json.errors).toBeUndefined();
    const { personId, dateOfBirth } = created.json.data.createPerson;
    expect(dateOfBirth).toBe(day);
    expect(
      store()
        .persons.find((p) => p.bcCo === personId)
        ?.dateOfBirth?.slice(0, 10),
    ).toBe(day);

    const read = await ask(
      `query ($day: Date!) { persons(where: { dateOfBirth: { eq: $day } }, first: 100) { edges { node { personId dateOfBirth } } } }`,
      { day },
    );
    expect(read.json.errors).toBeUndefined();
    const nodes = read.json.data.persons.edges.map((e: { node: unknown }) => e.node);
    expect(nodes).toContainEqual({ personId, dateOfBirth: day });
    expect(nodes.every((n: { dateOfBirth: string }) => n.dateOfBirth === day)).toBe(true);
  });

  it("reads every seeded birth date as the day Profit shows, not the UTC instant of Amsterdam's midnight", async () => {
    const read = await ask(
      `{ persons(first: 500, orderBy: [{ field: personId }]) { edges { node { personId dateOfBirth } } } }`,
    );
    expect(read.json.errors).toBeUndefined();
    const byId = new Map(store().persons.map((p) => [p.bcCo, p.dateOfBirth]));
    const edges = read.json.data.persons.edges as { node: { personId: string; dateOfBirth: string | null } }[];
    expect(edges.length).toBeGreaterThan(10);
    for (const { node } of edges) expect(node.dateOfBirth).toBe(byId.get(node.personId)?.slice(0, 10) ?? null);
  });

  it.each([
    ['an instant', '2024-03-31T00:00:00Z'],
    ['a local date-time', '2024-03-31T00:00'],
    ['an impossible day', '2023-02-29'],
    ['a day without padding', '2024-3-1'],
  ])('refuses %s as a Date input with BAD_USER_INPUT, before calling Profit', async (_, value) => {
    const reply = await ask(`mutation ($input: CreatePersonInput!) { createPerson(input: $input) { personId } }`, {
      input: { lastName: 'Fout', dateOfBirth: value },
    });
    expect(reply.json.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(upstream()).toEqual([]);
  });

  it('refuses an instant in a Date filter, naming the format', async () => {
    const reply = await ask(
      `{ persons(where: { dateOfBirth: { lt: "1970-01-01T00:00:00Z" } }) { edges { node { personId } } } }`,
    );
    expect(reply.json.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(reply.json.errors?.[0]?.message).toContain('YYYY-MM-DD');
    expect(upstream()).toEqual([]);
  });
});

describe('other scalars keep their declared types', () => {
  it("reads date-times as the true instants of Profit's Amsterdam wall-clock text", async () => {
    const read = await ask(
      `{ persons(first: 50, orderBy: [{ field: personId }]) { edges { node { personId modifiedAt } } } }`,
    );
    expect(read.json.errors).toBeUndefined();
    const byId = new Map(store().persons.map((p) => [p.bcCo, p.modifiedDate]));
    for (const { node } of read.json.data.persons.edges as { node: { personId: string; modifiedAt: string } }[]) {
      const text = byId.get(node.personId);
      expect(node.modifiedAt).toBe(text ? fromProfitDateTime(`${text.slice(0, 19)}Z`).toISOString() : null);
    }
  });

  it('keeps decimals exact both ways: a revenue beyond a double and a negative fraction, read and filtered on', async () => {
    for (const revenue of ['12345678901234.56', '-0.5']) {
      const reply = await ask(
        `query ($r: Decimal!) { organisations(where: { revenue: { eq: $r } }) { edges { node { revenue } } } }`,
        { r: revenue },
      );
      expect(reply.json).toEqual({ data: { organisations: { edges: [{ node: { revenue } }] } } });
    }
  });

  it('reads decimals a double would round exactly when one selection of a shared Profit answer reads them', async () => {
    // The loaders leave an answer's decimal cells as JSON.parse read them until a decimal field is read (issue 12);
    // here one Profit call serves a selection without decimals and one with them, in either order.
    const employees = [...store().employees].sort((a, b) => (a.employeeId < b.employeeId ? -1 : 1)).slice(0, 3);
    const [first, second] = employees;
    if (!first || !second) throw new Error('the demo company has employees');
    const kept = employees.map((e) => ({ e, salary: e.salary, hourlyRate: e.hourlyRate, hours: e.hoursPerWeek }));
    try {
      first.salary = '12345678901234.5678';
      first.hourlyRate = '0.1000000000000000055511151231257827';
      second.hoursPerWeek = '38.00000000000000001';
      const exact = { salary: '12345678901234.5678', hourlyRate: '0.1000000000000000055511151231257827' };
      const list = await ask(`{
        plain: employees(first: 3) { edges { node { employeeId } } }
        pay: employees(first: 3) { edges { node { employeeId salary hourlyRate hoursPerWeek } } }
      }`);
      expect(list.json.errors).toBeUndefined();
      expect(upstream()).toEqual(['GET Profit_Employees']);
      const pay = list.json.data.pay.edges.map((e: { node: unknown }) => e.node);
      expect(pay[0]).toMatchObject({ employeeId: first.employeeId, ...exact });
      expect(pay[1]).toMatchObject({ employeeId: second.employeeId, hoursPerWeek: '38.00000000000000001' });

      emulator().log.clear();
      const representations = [first, second].map((e) => ({ __typename: 'Employee', employeeId: e.employeeId }));
      const entities = await ask(
        `query ($r: [_Any!]!) {
          a: _entities(representations: $r) { ... on Employee { employeeId name } }
          b: _entities(representations: $r) { ... on Employee { salary hourlyRate hoursPerWeek } }
        }`,
        { r: representations },
      );
      expect(entities.json.errors).toBeUndefined();
      expect(upstream()).toEqual(['GET Profit_Employees']);
      expect(entities.json.data.b[0]).toEqual({ ...exact, hoursPerWeek: String(Number(first.hoursPerWeek)) });
      expect(entities.json.data.b[1].hoursPerWeek).toBe('38.00000000000000001');
    } finally {
      for (const k of kept) Object.assign(k.e, { salary: k.salary, hourlyRate: k.hourlyRate, hoursPerWeek: k.hours });
    }
  });

  it('writes a decimal that looks like an integer and reads it back as the same Decimal text', async () => {
    const employer = store().organisations.find((o) => o.employerId)?.employerId;
    const functionId = store().employees[0]?.functionCode;
    const reply = await ask(
      `mutation ($input: CreateEmployeeInput!) { createEmployee(input: $input) { hoursPerWeek dateInService } }`,
      {
        input: {
          person: { lastName: 'Uren' },
          contract: { startDate: '2026-03-29', employerId: employer },
          function: { startDate: '2026-03-29', functionId },
          schedule: { startDate: '2026-03-29', hoursPerWeek: '40' },
        },
      },
    );
    expect(reply.json).toEqual({ data: { createEmployee: { hoursPerWeek: '40', dateInService: '2026-03-29' } } });
  });

  it('writes a date-time with its offset and reads back the same instant, across the spring DST change', async () => {
    const employeeId = store().employees[0]?.employeeId;
    const reply = await ask(
      `mutation ($input: CreateLeaveInput!) { createLeave(input: $input) { startDate endDate } }`,
      {
        input: {
          employeeId,
          leaveTypeId: 'V',
          partial: true,
          start: '2026-03-28T09:00:00+01:00',
          end: '2026-03-29T13:30:00+02:00',
        },
      },
    );
    expect(reply.json).toEqual({
      data: { createLeave: { startDate: '2026-03-28T08:00:00.000Z', endDate: '2026-03-29T11:30:00.000Z' } },
    });
  });

  it('writes an int and a boolean as themselves, and text next to them that reads like both stays text', async () => {
    const reply = await ask(
      `mutation ($input: CreatePersonInput!) { createPerson(input: $input) { houseNumber houseNumberAddition city isEmployee } }`,
      {
        input: {
          lastName: 'Huis',
          postalAddressIsAddress: true,
          address: {
            country: 'NL',
            street: 'Laan',
            houseNumber: 7,
            houseNumberAddition: '12',
            zipCode: '1234 AB',
            city: 'false',
          },
        },
      },
    );
    expect(reply.json).toEqual({
      data: { createPerson: { houseNumber: 7, houseNumberAddition: '12', city: 'false', isEmployee: false } },
    });
  });
});
