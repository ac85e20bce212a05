/**
 * Hostile and odd input, over real HTTP against the service and its embedded emulator.
 *
 * - Random where trees (fast-check, fixed seed), sent as GraphQL variables to `employees(where:, first: 500)`:
 *   the rows the service returns are exactly those the independent reference (test/graphql/where/evaluate.ts)
 *   selects from every row, or the request is refused with a clean coded error. Values are drawn from the rows
 *   and from `,` `;` quotes `%` `*` `_` Unicode and very long strings, none of which may change a filter's
 *   structure.
 * - Oversized and abusive operations are refused with clear codes before Profit is called.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FieldSpec, FieldSpecs, WhereInput } from '../../src/graphql/where/index.js';
import type { ColumnType } from '../../src/profit/index.js';
import type { Service } from '../../src/server/index.js';
import { evaluateWhere, type Row } from '../graphql/where/evaluate.js';
import { demoAuthorization, http, startTestService } from '../server/helpers.js';
import { expectWellFormed, graphql, lastSeq, type Reply, upstreamSince } from './support.js';

const SEED = 20261125;

/** Employee's where-able properties and their types, written out here rather than read from the code. */
const FIELDS: Record<string, ColumnType> = {
  employeeId: 'string',
  personId: 'string',
  employerId: 'string',
  name: 'string',
  mailWork: 'string',
  functionId: 'string',
  function: 'string',
  departmentId: 'string',
  department: 'string',
  employment: 'int',
  dateInService: 'date',
  dateOutService: 'date',
  hoursPerWeek: 'decimal',
  salary: 'decimal',
  hourlyRate: 'decimal',
  iban: 'string',
  blocked: 'boolean',
  active: 'boolean',
  createdAt: 'datetime',
  modifiedAt: 'datetime',
};
/** The reference only needs the data type; the connector field is never used by it. */
const SPECS: FieldSpecs = new Map(
  Object.entries(FIELDS).map(([p, dataType]) => [p, { connectorField: p, dataType } as FieldSpec]),
);

const ORDERING = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte'];
const TEXT = ['contains', 'notContains', 'startsWith', 'notStartsWith', 'endsWith', 'notEndsWith'];
/** The filter input of each property's GraphQL type: IDFilter has neither text operators nor isEmpty. */
function operatorsOf(property: string): string[] {
  const type = FIELDS[property];
  if (property === 'employeeId') return [...ORDERING, 'in'];
  if (type === 'string') return [...ORDERING, ...TEXT, 'in', 'isEmpty'];
  if (type === 'boolean') return ['eq', 'ne', 'in', 'isEmpty'];
  return [...ORDERING, 'in', 'isEmpty'];
}

const TRICKY = [
  ',',
  ';',
  '"',
  "'",
  '%',
  '*',
  '_',
  '\\',
  'x;y,z',
  '"a,b"',
  "'; DROP",
  '%_%',
  '*,*',
  'Zoë',
  'Müller',
  'ß',
  '€',
  '😀',
  'a\u0301', // a + combining acute
  '\u200b', // zero-width space
  'Jansen, J.',
  '1,1;EmployeeId',
];
const ALPHABET = [...',;"\'%*_ aAbBéÉëËçÇüÜ€😀\\/&=+#?[]{}'];
const randomString = fc.oneof(
  { arbitrary: fc.constantFrom(...TRICKY), weight: 4 },
  { arbitrary: fc.string({ unit: fc.constantFrom(...ALPHABET), minLength: 1, maxLength: 12 }), weight: 3 },
  { arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }), weight: 2 },
  // Long: well within Profit's 2049-character query string, or far beyond it.
  { arbitrary: fc.string({ unit: fc.constantFrom(...ALPHABET), minLength: 150, maxLength: 400 }), weight: 1 },
  { arbitrary: fc.string({ unit: fc.constantFrom(...ALPHABET), minLength: 2100, maxLength: 3000 }), weight: 1 },
);

const recase = (s: string, mask: number) =>
  [...s].map((ch, i) => ((mask >> (i % 30)) & 1 ? ch.toLocaleUpperCase('en') : ch.toLocaleLowerCase('en'))).join('');

/** A GraphQL variable value for `property` (date-times as ISO instants, dates as days, decimals as text). */
function valueFor(rows: readonly Row[], property: string, op: string): fc.Arbitrary<unknown> {
  const cells = rows.map((r) => r[property]).filter((v) => v !== null && v !== undefined && v !== '');
  const fromRows = <T>(otherwise: fc.Arbitrary<T>): fc.Arbitrary<unknown> =>
    cells.length > 0
      ? fc.oneof({ arbitrary: fc.constantFrom(...cells), weight: 3 }, { arbitrary: otherwise, weight: 2 })
      : otherwise;
  switch (FIELDS[property]) {
    case 'string': {
      const cell = cells.length > 0 ? fc.constantFrom(...cells.map(String)) : randomString;
      const piece = fc
        .tuple(cell, fc.nat(), fc.nat(), fc.nat())
        .map(([s, i, n, mask]) => recase(s.slice(i % s.length, (i % s.length) + 1 + (n % 6)), mask));
      return fc
        .oneof(
          { arbitrary: cell, weight: 3 },
          { arbitrary: TEXT.includes(op) ? piece : fc.tuple(cell, fc.nat()).map(([s, m]) => recase(s, m)), weight: 2 },
          { arbitrary: randomString, weight: 3 },
        )
        .filter((s) => s !== '');
    }
    case 'int':
      return fromRows(fc.integer({ min: -5, max: 5 }));
    case 'decimal':
      return fromRows(
        fc
          .tuple(fc.integer({ min: -100, max: 9999 }), fc.nat(99))
          .map(([i, f]) => `${i}.${String(f).padStart(2, '0')}`),
      );
    case 'boolean':
      return fc.boolean();
    case 'date':
      return fromRows(
        fc
          .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true })
          .map((d) => d.toISOString().slice(0, 10)),
      );
    default:
      return fromRows(
        fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true }),
      ).map((d) => {
        const date = d as Date;
        return new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString(); // Profit compares to the second
      });
  }
}

function fieldFilter(rows: readonly Row[], property: string): fc.Arbitrary<Record<string, unknown>> {
  const entry = fc.constantFrom(...operatorsOf(property)).chain((op): fc.Arbitrary<[string, unknown]> => {
    if (op === 'isEmpty') return fc.boolean().map((b) => [op, b]);
    if (op === 'in')
      return fc.array(valueFor(rows, property, 'eq'), { minLength: 1, maxLength: 4 }).map((vs) => [op, vs]);
    return valueFor(rows, property, op).map((v) => [op, v]);
  });
  return fc.array(entry, { minLength: 1, maxLength: 2 }).map((list) => Object.fromEntries(list));
}

function whereTree(rows: readonly Row[]): fc.Arbitrary<Record<string, unknown>> {
  const fieldEntry = fc
    .constantFrom(...Object.keys(FIELDS))
    .chain((p) => fieldFilter(rows, p).map((f) => [p, f] as const));
  const { where } = fc.letrec<{ where: Record<string, unknown>; node: Record<string, unknown> }>((tie) => ({
    where: fc
      .record({
        fields: fc.array(fieldEntry, { maxLength: 2 }),
        and: fc.option(fc.array(tie('node'), { maxLength: 2 }), { freq: 4, nil: undefined }),
        or: fc.option(fc.array(tie('node'), { minLength: 1, maxLength: 3 }), { freq: 2, nil: undefined }),
      })
      .map(({ fields, and, or }) => ({
        ...Object.fromEntries(fields),
        ...(and !== undefined ? { and } : {}),
        ...(or !== undefined ? { or } : {}),
      })),
    node: fc.oneof(
      { maxDepth: 2, depthIdentifier: 'where' },
      fc.array(fieldEntry, { minLength: 1, maxLength: 2 }).map((list) => Object.fromEntries(list)),
      tie('where'),
    ),
  }));
  return where;
}

/** The where as the reference reads it: date values as instants. */
function forReference(where: unknown, property?: string): unknown {
  if (Array.isArray(where)) return where.map((w) => forReference(w, property));
  if (where === null || typeof where !== 'object') {
    return property && FIELDS[property] === 'datetime' && typeof where === 'string' ? new Date(where) : where;
  }
  return Object.fromEntries(
    Object.entries(where).map(([k, v]) => [
      k,
      forReference(v, k in FIELDS ? k : k === 'and' || k === 'or' ? undefined : property),
    ]),
  );
}

const WHERE_QUERY = `query ($where: EmployeeWhere) {
  employees(where: $where, first: 500) { edges { node { employeeId } } pageInfo { hasNextPage } }
}`;

describe('hostile and odd input', () => {
  let service: Service;
  let admin: string;
  let rows: Row[];
  const ask = (query: string, variables?: Record<string, unknown>) =>
    graphql(service, query, { authorization: admin, ...(variables ? { variables } : {}) });

  beforeAll(async () => {
    service = await startTestService({ PERMISSIONS_TTL_SECONDS: '86400' });
    admin = demoAuthorization(service);
    const all = await ask(
      `{ employees(first: 500) { edges { node { ${Object.keys(FIELDS).join(' ')} } } pageInfo { hasNextPage } } }`,
    );
    expect(all.json.errors).toBeUndefined();
    expect(all.json.data.employees.pageInfo.hasNextPage).toBe(false);
    // Cells as the reference takes them: DateTime (an instant) as a Date, the rest (a Date's day too) as answered.
    rows = all.json.data.employees.edges.map(({ node }: { node: Record<string, unknown> }) =>
      Object.fromEntries(
        Object.entries(node).map(([k, v]) => [k, FIELDS[k] === 'datetime' && typeof v === 'string' ? new Date(v) : v]),
      ),
    );
    expect(rows.length).toBeGreaterThan(20);
  });
  afterAll(() => service.close());

  describe('where, end to end', () => {
    it('returns exactly the rows the independent reference selects, for random where trees and values', async () => {
      const stats = { compared: 0, selective: 0, tooLong: 0, tooManyGroups: 0 };
      await fc.assert(
        fc.asyncProperty(whereTree(rows), async (where) => {
          const reply = await ask(WHERE_QUERY, { where });
          expect(reply.status).toBe(200);
          expectWellFormed(reply);
          if (reply.json.errors) {
            // A refusal is allowed only as one clean, coded error on `employees`, never as a wrong page.
            expect(reply.json.data).toEqual({ employees: null });
            expect(reply.json.errors).toHaveLength(1);
            const { code, rule } = reply.json.errors[0].extensions;
            if (code === 'QUERY_TOO_LONG') stats.tooLong++;
            else if (code === 'BAD_USER_INPUT' && rule === 'too-many-groups') stats.tooManyGroups++;
            else throw new Error(`unexpected refusal: ${JSON.stringify(reply.json.errors[0])}`);
            return;
          }
          const expected = rows
            .filter((row) => evaluateWhere(forReference(where) as WhereInput, row, SPECS))
            .map((r) => r.employeeId)
            .sort();
          const got = reply.json.data.employees.edges
            .map((e: { node: { employeeId: string } }) => e.node.employeeId)
            .sort();
          expect(got).toEqual(expected);
          expect(reply.json.data.employees.pageInfo.hasNextPage).toBe(false);
          stats.compared++;
          if (got.length > 0 && got.length < rows.length) stats.selective++;
        }),
        { seed: SEED, numRuns: 120, endOnFailure: true },
      );
      // The generator must mostly produce comparable, selective filters, or the property says little.
      expect(stats.compared).toBeGreaterThan(60);
      expect(stats.selective).toBeGreaterThanOrEqual(15);
      expect(stats.tooLong).toBeGreaterThan(0);
    }, 60_000);

    it.each([
      ['a value with "," and ";"', { name: { contains: 'a,b;c' } }],
      ['an attempt to open an OR group', { name: { eq: 'x;EmployeeId' } }],
      ['an attempt to add an AND condition', { departmentId: { eq: 'ICT,Active,1,1' } }],
      ['JSON punctuation aimed at filterjson', { name: { eq: '"}]},{"Field":[{"@FieldId":"Active"' } }],
      ['SQL-like wildcards, literal in Profit', { name: { contains: '%' } }],
      ['an asterisk', { name: { startsWith: '*' } }],
      ['quotes', { name: { contains: "'" } }],
      ['a combining accent', { name: { contains: 'e\u0301' } }],
      ['an emoji', { name: { notContains: '😀' } }],
    ])('treats %s as a plain value: the same rows as the reference', async (_, where) => {
      const seq = lastSeq(service);
      const reply = await ask(WHERE_QUERY, { where });
      expect(reply.json.errors).toBeUndefined();
      const expected = rows.filter((row) => evaluateWhere(where as WhereInput, row, SPECS)).map((r) => r.employeeId);
      const got = reply.json.data.employees.edges.map((e: { node: { employeeId: string } }) => e.node.employeeId);
      expect(got.sort()).toEqual(expected.sort());
      expect(upstreamSince(service, seq)).toHaveLength(1);
    });

    it('ORs an exact name with a branch whose value is only ",": the named rows, nothing more', async () => {
      const named = String(rows.find((r) => String(r.name ?? '').includes(' '))!.name);
      const where = { or: [{ name: { eq: named } }, { employeeId: { eq: ',' } }] };
      const reply = await ask(WHERE_QUERY, { where });
      expect(reply.json.errors).toBeUndefined();
      const expected = rows
        .filter((r) => String(r.name).toLowerCase() === named.toLowerCase())
        .map((r) => r.employeeId);
      expect(expected.length).toBeGreaterThan(0);
      const got = reply.json.data.employees.edges.map((e: { node: { employeeId: string } }) => e.node.employeeId);
      expect(got.sort()).toEqual(expected.sort());
    });

    it('refuses a value that makes the query string too long with QUERY_TOO_LONG, before calling Profit', async () => {
      const seq = lastSeq(service);
      const reply = await ask(WHERE_QUERY, { where: { name: { contains: 'é,;'.repeat(1000) } } });
      expect(reply.json.data).toEqual({ employees: null });
      expect(reply.json.errors[0].extensions.code).toBe('QUERY_TOO_LONG');
      expect(upstreamSince(service, seq)).toHaveLength(0);
    });
  });

  describe('abusive operations are refused with clear codes and bounded work', () => {
    /** Sends, checks the answer is coded JSON, and returns it with the Profit calls it caused. */
    async function refused(send: () => Promise<Reply>): Promise<{ reply: Reply; calls: number }> {
      const seq = lastSeq(service);
      const reply = await send();
      expectWellFormed(reply);
      expect(reply.json.errors.length).toBeGreaterThan(0);
      return { reply, calls: upstreamSince(service, seq).length };
    }
    const raw = (body: string | Buffer, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
      http(service.graphqlUrl, { method: 'POST', headers: { authorization: admin, ...headers }, body });

    it('deep nesting: QUERY_TOO_DEEP (400), Profit not called', async () => {
      let selection = 'employeeId';
      for (let i = 0; i < 10; i++)
        selection = `employeeId leaves(first: 1) { edges { node { employee { ${selection} } } } }`;
      const { reply, calls } = await refused(() => ask(`{ employees(first: 1) { edges { node { ${selection} } } } }`));
      expect(reply.status).toBe(400);
      expect(reply.json.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_DEEP', limit: 15 });
      expect(calls).toBe(0);
    });

    it('a huge `first`: BAD_USER_INPUT naming the 500 cap, Profit not called', async () => {
      const { reply, calls } = await refused(() => ask('{ employees(first: 1000000) { edges { cursor } } }'));
      expect(reply.json.errors[0]).toMatchObject({
        path: ['employees'],
        extensions: { code: 'BAD_USER_INPUT', argument: 'first' },
      });
      expect(reply.json.errors[0].message).toMatch(/at most 500/);
      expect(calls).toBe(0);
    });

    it('thousands of aliased root fields: TOO_MANY_ALIASES (400), Profit not called', async () => {
      // 1 000 fit the parser's token limit, so the alias limit is what refuses them.
      const aliases = Array.from({ length: 1000 }, (_, i) => `a${i}: employees(first: 1) { edges { cursor } }`);
      const { reply, calls } = await refused(() => ask(`{ ${aliases.join(' ')} }`));
      expect(reply.status).toBe(400);
      expect(reply.json.errors[0].extensions).toMatchObject({ code: 'TOO_MANY_ALIASES', limit: 50, actual: 1000 });
      expect(calls).toBe(0);
    });

    it('a cost beyond the limit (500 employees × 500 leaves each): QUERY_TOO_COMPLEX (400), Profit not called', async () => {
      const { reply, calls } = await refused(() =>
        ask(
          '{ employees(first: 500) { edges { node { leaves(first: 500) { edges { node { employee { employeeId } } } } } } } }',
        ),
      );
      expect(reply.status).toBe(400);
      expect(reply.json.errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
      expect(calls).toBe(0);
    });

    it('thousands of `in` values: BAD_USER_INPUT too-many-groups, Profit not called', async () => {
      const ids = Array.from({ length: 5000 }, (_, i) => `E${i}`);
      const { reply, calls } = await refused(() => ask(WHERE_QUERY, { where: { employeeId: { in: ids } } }));
      expect(reply.json.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'too-many-groups' });
      expect(calls).toBe(0);
    });

    it('a 5 MB variables object: 413 PAYLOAD_TOO_LARGE, Profit not called', async () => {
      const { reply, calls } = await refused(() =>
        ask(WHERE_QUERY, { where: { name: { eq: 'x'.repeat(5_000_000) } } }),
      );
      expect(reply.status).toBe(413);
      expect(reply.json.errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
      expect(calls).toBe(0);
    });

    it('a 5 MB body streamed without Content-Length: 413 as well', async () => {
      const { Readable } = await import('node:stream');
      const chunks = Readable.from(
        (function* () {
          for (let i = 0; i < 80; i++) yield Buffer.alloc(65_536, 0x20);
        })(),
      );
      const { request } = await import('undici');
      const res = await request(service.graphqlUrl, {
        method: 'POST',
        headers: { authorization: admin, 'content-type': 'application/json' },
        body: chunks,
      });
      expect(res.statusCode).toBe(413);
      expect(
        ((await res.body.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code,
      ).toBe('PAYLOAD_TOO_LARGE');
    });

    it.each([
      ['malformed JSON', '{"query": "{ __typename }"', /not valid JSON/],
      ['an empty body', '', /empty/],
      ['JSON that is not an operation', '[1, 2, 3]', /./],
      ['a query that is not a string', '{"query": 5}', /./],
      ['variables that are not an object', '{"query": "{ __typename }", "variables": [1]}', /./],
    ])('%s: 400 with a coded error, Profit not called', async (_, body, message) => {
      const { reply, calls } = await refused(() => raw(body));
      expect(reply.status).toBe(400);
      expect(reply.json.errors[0].extensions.code).toMatch(/^BAD_REQUEST$|^BAD_USER_INPUT$/);
      expect(reply.json.errors[0].message).toMatch(message);
      expect(calls).toBe(0);
    });

    it.each([
      ['text/plain (a "simple" cross-site request)', { 'content-type': 'text/plain' }],
      ['a form', { 'content-type': 'application/x-www-form-urlencoded' }],
      ['XML with the preflight header', { 'content-type': 'application/xml', 'apollo-require-preflight': 'true' }],
      ['text/plain with the preflight header', { 'content-type': 'text/plain', 'apollo-require-preflight': 'true' }],
    ])('a non-JSON content type, %s: 400 BAD_REQUEST, Profit not called', async (_, headers) => {
      const { reply, calls } = await refused(() => raw('{"query":"{ employees { edges { cursor } } }"}', headers));
      expect(reply.status).toBe(400);
      expect(reply.json.errors[0].extensions.code).toBe('BAD_REQUEST');
      expect(calls).toBe(0);
    });

    it('a JSON body in another charset: 415 UNSUPPORTED_MEDIA_TYPE', async () => {
      const { reply } = await refused(() =>
        raw('{"query":"{ __typename }"}', { 'content-type': 'application/json; charset=latin1' }),
      );
      expect(reply.status).toBe(415);
      expect(reply.json.errors[0].extensions.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    });

    it('a batch of operations (an array): refused, Profit not called', async () => {
      const one = { query: '{ employees(first: 1) { edges { cursor } } }' };
      const { reply, calls } = await refused(() => raw(JSON.stringify(Array.from({ length: 500 }, () => one))));
      expect(reply.status).toBe(400);
      expect(calls).toBe(0);
    });

    it('60 000 repeated fields in under 1 MiB: refused by the parser at its token limit, Profit not called', async () => {
      const fields = Array.from({ length: 60_000 }, () => 'employees { edges { cursor } }');
      const { reply, calls } = await refused(() => ask(`{ ${fields.join(' ').slice(0, 1_000_000)} }`));
      expect(reply.status).toBe(400);
      // graphql-js words it "more that 20000 tokens".
      expect(reply.json.errors[0].message).toMatch(/Document contains more th\w+ 20000 tokens/);
      expect(calls).toBe(0);
    });

    it('3 000 aliases of __typename: TOO_MANY_ALIASES like any other alias', async () => {
      const aliases = Array.from({ length: 3_000 }, (_, i) => `a${i}: __typename`);
      const { reply, calls } = await refused(() => ask(`{ ${aliases.join(' ')} }`));
      expect(reply.status).toBe(400);
      expect(reply.json.errors[0].extensions).toMatchObject({ code: 'TOO_MANY_ALIASES', actual: 3000 });
      expect(calls).toBe(0);
    });

    it('variables of the wrong shape: BAD_USER_INPUT, Profit not called', async () => {
      const { reply, calls } = await refused(() => ask(WHERE_QUERY, { where: { name: { eq: { $gt: '' } } } }));
      expect(reply.status).toBe(400);
      expect(reply.json.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(calls).toBe(0);
    });

    it('answers normally afterwards', async () => {
      const reply = await ask('{ employees(first: 1) { edges { node { employeeId } } } }');
      expect(reply.json.errors).toBeUndefined();
      expect((await http(`${service.url}/health`)).status).toBe(200);
    });
  });
});
