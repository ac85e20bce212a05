/**
 * GetConnector filters through the client against the running emulator: every operator, AND/OR, which of the two
 * filter forms goes over the wire, values that could change a filter's structure, and the 2049-character limit.
 * Expected rows come from an independent evaluation (./evaluate.ts) over the rows read without a filter.
 */
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type Condition,
  chunkFilterGroups,
  type FilterGroup,
  type GetQuery,
  MAX_QUERY_STRING_LENGTH,
  type ProfitClient,
  ProfitDecimal,
  type ProfitRow,
  queryStringLength,
} from '../../src/profit/index.js';
import { type FieldTypes, matches } from './evaluate.js';
import { expectProfitError, type Harness, queryOf, startHarness } from './support.js';

let harness: Harness;
let admin: ProfitClient;
const all: Record<string, ProfitRow[]> = {};
const types: Record<string, FieldTypes> = {};
const KEY: Record<string, string> = {
  Profit_Persons: 'BcCo',
  Profit_Organisations: 'BcCo',
  Profit_Projects: 'ProjectId',
};

beforeAll(async () => {
  harness = await startHarness();
  admin = harness.connect().client(harness.token('admin'));
  for (const id of Object.keys(KEY)) {
    all[id] = (await admin.get(id, { skip: -1, take: -1 })).rows;
    const { fields } = await admin.getConnectorMetainfo(id);
    types[id] = Object.fromEntries(fields.map((f) => [f.id, f.dataType]));
  }
});
afterAll(() => harness?.close());
beforeEach(() => harness.log.clear());

function keysOf(connector: string, rows: readonly ProfitRow[]): string[] {
  return rows.map((r) => String(r[KEY[connector] as string])).sort();
}

/** The keys the independent evaluation selects from every row. */
function expected(connector: string, filter: readonly FilterGroup[]): string[] {
  return keysOf(
    connector,
    (all[connector] ?? []).filter((r) => matches(r, filter, types[connector] ?? {})),
  );
}

async function selected(connector: string, filter: readonly FilterGroup[], query: GetQuery = {}): Promise<string[]> {
  return keysOf(connector, (await admin.get(connector, { skip: -1, take: -1, ...query, filter })).rows);
}

async function onlyRequest() {
  const entries = await harness.log.entries();
  expect(entries).toHaveLength(1);
  return entries[0] as (typeof entries)[number];
}

describe('every operator, compared with an independent evaluation over every row', () => {
  const cases: [string, string, Condition][] = [
    ['1 equals, on text with an apostrophe', 'Profit_Persons', { field: 'City', op: 'eq', value: "'s-Hertogenbosch" }],
    ['2 at least, on an int', 'Profit_Persons', { field: 'HouseNumber', op: 'gte', value: 120 }],
    [
      '3 at most, on a date given as a Date',
      'Profit_Persons',
      { field: 'DateBirth', op: 'lte', value: new Date('1980-01-01T00:00:00+01:00') },
    ],
    [
      '4 greater than, on a decimal given as a ProfitDecimal equal to one row',
      'Profit_Organisations',
      { field: 'Revenue', op: 'gt', value: new ProfitDecimal('14412149.62') },
    ],
    ['5 less than, on a negative decimal', 'Profit_Organisations', { field: 'Revenue', op: 'lt', value: 0 }],
    ['6 contains, case-insensitively', 'Profit_Persons', { field: 'Name', op: 'contains', value: 'van' }],
    ['7 not equal (an empty cell matches no comparison)', 'Profit_Persons', { field: 'Gender', op: 'ne', value: 'M' }],
    ['8 is empty', 'Profit_Persons', { field: 'MailWork', op: 'isEmpty' }],
    ['9 is not empty', 'Profit_Persons', { field: 'Note', op: 'isNotEmpty' }],
    ['10 starts with, case-insensitively', 'Profit_Persons', { field: 'LastName', op: 'startsWith', value: 'b' }],
    ['11 does not contain', 'Profit_Persons', { field: 'Name', op: 'notContains', value: 'e' }],
    ['12 does not start with', 'Profit_Persons', { field: 'ZipCode', op: 'notStartsWith', value: '1' }],
    ['13 ends with', 'Profit_Persons', { field: 'MailPrivate', op: 'endsWith', value: '.com' }],
    ['14 does not end with', 'Profit_Persons', { field: 'Name', op: 'notEndsWith', value: 'n' }],
    [
      '15 quick filter, with a non-ASCII value',
      'Profit_Persons',
      { field: 'Name', op: 'quickFilter', value: 'müller' },
    ],
  ];

  it('covers all fifteen operators', () => {
    expect(new Set(cases.map(([, , c]) => c.op)).size).toBe(15);
  });

  it.each(cases)('operator %s selects exactly the expected rows (in one request)', async (_name, connector, c) => {
    const want = expected(connector, [[c]]);
    expect(want.length, 'the case must select some rows').toBeGreaterThan(0);
    expect(want.length, 'the case must leave some rows out').toBeLessThan(all[connector]?.length ?? 0);
    expect(await selected(connector, [[c]])).toEqual(want);
    await onlyRequest();
  });
});

describe('AND and OR', () => {
  const filter: FilterGroup[] = [
    [
      { field: 'City', op: 'eq', value: 'Zwolle' },
      { field: 'HouseNumber', op: 'gte', value: 100 },
    ],
    [
      { field: 'Gender', op: 'eq', value: 'V' },
      { field: 'HouseNumber', op: 'lt', value: 40 },
    ],
  ];

  it('ANDs the conditions of a group and ORs the groups, sent as the three lists when every value is plain', async () => {
    const want = expected('Profit_Persons', filter);
    expect(want.length).toBeGreaterThan(expected('Profit_Persons', [filter[0] as FilterGroup]).length);
    expect(await selected('Profit_Persons', filter)).toEqual(want);
    const q = queryOf(await onlyRequest());
    expect(q.get('filterfieldids')).toBe('City,HouseNumber;Gender,HouseNumber');
    expect(q.get('filtervalues')).toBe('Zwolle,100;V,40');
    expect(q.get('operatortypes')).toBe('1,2;1,5');
    expect(q.has('filterjson')).toBe(false);
  });

  it('sends the whole filter as filterjson (Filters ORed, Fields ANDed) as soon as one value needs it', async () => {
    const withQuote: FilterGroup[] = [...filter, [{ field: 'LastName', op: 'eq', value: "O'Neill" }]];
    const want = expected('Profit_Persons', withQuote);
    expect(await selected('Profit_Persons', withQuote)).toEqual(want);
    const q = queryOf(await onlyRequest());
    expect(q.has('filterfieldids')).toBe(false);
    const json = JSON.parse(q.get('filterjson') ?? '');
    expect(json.Filters.Filter).toHaveLength(3);
    expect(json.Filters.Filter[0].Field).toEqual([
      { '@FieldId': 'City', '@OperatorType': '1', '#text': 'Zwolle' },
      { '@FieldId': 'HouseNumber', '@OperatorType': '2', '#text': '100' },
    ]);
    expect(json.Filters.Filter[2].Field[0]['#text']).toBe("O'Neill");
  });
});

describe('values that could change a filter’s structure', () => {
  const cases: [string, string, string, string][] = [
    ['","', 'Profit_Organisations', 'Name', 'Jansen, Smit & Partners'],
    ['";"', 'Profit_Organisations', 'Name', 'Installatiebedrijf De Vries; Noord'],
    ['both "," and "\'"', 'Profit_Projects', 'Description', "Onderhoud 's-Hertogenbosch, Noord"],
    ['both "," and ";"', 'Profit_Persons', 'Note', 'Post naar Jansen, J.; niet naar kantoor'],
    ['double quotes', 'Profit_Organisations', 'Name', 'De "Gouden" Leeuw B.V.'],
    ['an apostrophe', 'Profit_Persons', 'Prefix', "'t"],
    ['non-ASCII letters', 'Profit_Persons', 'LastName', 'Müller'],
    ['a dotless ı', 'Profit_Persons', 'LastName', 'Yılmaz'],
  ];

  it.each(cases)(
    'matches a value containing %s whole, sent as filterjson in plain ASCII',
    async (_what, connector, field, value) => {
      const filter = [[{ field, op: 'eq', value } as Condition]];
      const want = expected(connector, filter);
      expect(want.length).toBeGreaterThan(0);
      const rows = (await admin.get(connector, { skip: -1, take: -1, filter })).rows;
      expect(keysOf(connector, rows)).toEqual(want);
      for (const r of rows) expect(r[field]).toBe(value);
      const entry = await onlyRequest();
      expect(entry.query).toMatch(/^[\x21-\x7e]*$/);
      expect(entry.query).toContain('filterjson=');
      expect(entry.query).not.toContain('filterfieldids=');
      expect(JSON.parse(queryOf(entry).get('filterjson') ?? '').Filters.Filter[0].Field[0]['#text']).toBe(value);
    },
  );

  it('keeps a ";" inside a value from opening an OR group of its own', async () => {
    const filter: FilterGroup[] = [
      [{ field: 'Name', op: 'eq', value: 'Installatiebedrijf De Vries; Noord' }],
      [{ field: 'Name', op: 'eq', value: 'Çelik Bouw' }],
    ];
    const want = expected('Profit_Organisations', filter);
    expect(want).toHaveLength(2);
    expect(await selected('Profit_Organisations', filter)).toEqual(want);
  });

  it('would have gone wrong in the list form: sent raw that way, "Jansen, Smit & Partners" selects no row', async () => {
    const raw = `?skip=-1&take=-1&filterfieldids=Name&filtervalues=${encodeURIComponent('Jansen, Smit & Partners')}&operatortypes=1`;
    const res = await request(`${harness.emulator.baseUrl}/connectors/Profit_Organisations${raw}`, {
      headers: { authorization: harness.token('admin').authorization(), accept: 'application/json' },
    });
    expect(res.statusCode).toBe(200);
    expect((await res.body.json()) as unknown).toMatchObject({ rows: [] });
    expect(expected('Profit_Organisations', [[{ field: 'Name', op: 'eq', value: 'Jansen, Smit & Partners' }]])).toEqual(
      ['1000144'],
    );
  });
});

describe(`the ${MAX_QUERY_STRING_LENGTH}-character limit`, () => {
  /** A query whose string grows by one character per `x`: in both forms an `x` is one character as sent. */
  const padded = (value: string, n: number): GetQuery => ({
    filter: [[{ field: 'LastName', op: 'eq', value: `${value}${'x'.repeat(n)}` }]],
    take: 10,
  });
  const exactly = (value: string) => padded(value, MAX_QUERY_STRING_LENGTH - queryStringLength(padded(value, 0)));

  it.each([
    ['the list form', 'Plain'],
    ['filterjson with non-ASCII', 'Müller'],
  ])(
    `sends a query of exactly ${MAX_QUERY_STRING_LENGTH} characters in %s, and the emulator measures the same length`,
    async (_f, value) => {
      const query = exactly(value);
      expect(queryStringLength(query)).toBe(MAX_QUERY_STRING_LENGTH);
      expect((await admin.get('Profit_Persons', query)).rows).toEqual([]);
      const entry = await onlyRequest();
      expect(entry.query.length).toBe(MAX_QUERY_STRING_LENGTH);
      expect(entry.status).toBe(200);
    },
  );

  it.each([
    ['the list form', 'Plain'],
    ['filterjson with non-ASCII', 'Müller'],
  ])('refuses one character more in %s with query-too-long, and sends nothing', async (_f, value) => {
    const query = padded(value, MAX_QUERY_STRING_LENGTH - queryStringLength(padded(value, 0)) + 1);
    const error = await expectProfitError(admin.get('Profit_Persons', query), 'query-too-long');
    expect(error.requestSent).toBe(false);
    expect(await harness.log.entries()).toEqual([]);
  });

  it('agrees with the emulator: a raw query of 2049 characters is answered, one of 2050 is a bare 404', async () => {
    const raw = (length: number) => {
      const head = '?skip=0&take=1&filterfieldids=LastName&operatortypes=1&filtervalues=';
      return head + 'x'.repeat(length - head.length);
    };
    const status = async (query: string) => {
      const res = await request(`${harness.emulator.baseUrl}/connectors/Profit_Persons${query}`, {
        headers: { authorization: harness.token('admin').authorization() },
      });
      const text = await res.body.text();
      return [res.statusCode, text === '' ? '' : 'body'];
    };
    expect(raw(2049)).toHaveLength(2049);
    expect(await status(raw(2049))).toEqual([200, 'body']);
    expect(await status(raw(2050))).toEqual([404, '']);
    expect((await harness.log.entries()).map((e) => [e.query.length, e.status])).toEqual([
      [2049, 200],
      [2050, 404],
    ]);
  });

  it('packs 400 key lookups with chunkFilterGroups into calls that each fit, together returning exactly the rows', async () => {
    const wanted = Array.from({ length: 400 }, (_, i) => String(1000000 + i * 2));
    const groups = wanted.map((code) => [{ field: 'BcCo', op: 'eq', value: code } as Condition]);
    const queries = chunkFilterGroups({ skip: -1, take: -1 }, groups);
    expect(queries.length).toBeGreaterThan(1);
    const rows = (await Promise.all(queries.map((q) => admin.get('Profit_Persons', q)))).flatMap((r) => r.rows);
    const want = expected('Profit_Persons', groups);
    expect(want.length).toBeGreaterThan(20);
    expect(keysOf('Profit_Persons', rows)).toEqual(want);
    const entries = await harness.log.entries();
    expect(entries).toHaveLength(queries.length);
    for (const e of entries) {
      expect(e.status).toBe(200);
      expect(e.query.length).toBeLessThanOrEqual(MAX_QUERY_STRING_LENGTH);
    }
  });
});
