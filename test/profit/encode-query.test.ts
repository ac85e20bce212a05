import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  chunkFilterGroups,
  encodeGetQuery,
  type FilterGroup,
  formatFilterValue,
  type GetQuery,
  MAX_QUERY_STRING_LENGTH,
  ProfitDecimal,
  ProfitError,
  queryStringLength,
} from '../../src/profit/index.js';
import { filterGroup } from './filter-arbitraries.js';

/** Decodes a query string the way a server does. */
function decode(queryString: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(queryString.slice(1)));
}

function expectKind(fn: () => unknown, kind: string): ProfitError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ProfitError);
    expect((e as ProfitError).kind).toBe(kind);
    return e as ProfitError;
  }
  throw new Error('expected a ProfitError');
}

describe('paging', () => {
  it('always sends skip and take, defaulting to 0 and 100', () => {
    expect(encodeGetQuery({}).queryString).toBe('?skip=0&take=100');
  });

  it('allows skip=-1 with take=-1 only together', () => {
    expect(encodeGetQuery({ skip: -1, take: -1 }).queryString).toBe('?skip=-1&take=-1');
    expectKind(() => encodeGetQuery({ skip: 2, take: -1 }), 'invalid-argument');
    expectKind(() => encodeGetQuery({ skip: -1, take: 10 }), 'invalid-argument');
    expectKind(() => encodeGetQuery({ skip: 1.5 }), 'invalid-argument');
  });

  it('refuses invalid pairs without sending, so Profit never answers its unexpected-error 500', () => {
    const e = expectKind(() => encodeGetQuery({ skip: 2, take: -1 }), 'invalid-argument');
    expect(e.requestSent).toBe(false);
    expect(e.message).toContain('skip=2, take=-1');
  });
});

describe('sorting', () => {
  it('sends orderbyfieldids=A,-B with a leading - for descending', () => {
    const q = encodeGetQuery({ orderBy: [{ field: 'Account' }, { field: 'Type', descending: true }] });
    expect(decode(q.queryString).orderbyfieldids).toBe('Account,-Type');
    // `,` is Profit's own separator here: sent literally, as AFAS's filter examples write it.
    expect(q.queryString).toBe('?skip=0&take=100&orderbyfieldids=Account,-Type');
  });

  it('refuses sort field ids that would change the list', () => {
    for (const field of ['A,B', 'A;B', '-A', '', 'A B']) {
      expectKind(() => encodeGetQuery({ orderBy: [{ field }] }), 'invalid-argument');
    }
  });
});

describe('filter: list form', () => {
  it('joins AND with "," and OR groups with ";" when every value is safe', () => {
    const q = encodeGetQuery({
      filter: [
        [
          { field: 'AdminId', op: 'eq', value: 1 },
          { field: 'AdminNm', op: 'contains', value: 'Internet' },
        ],
        [{ field: 'AdminId', op: 'eq', value: 3 }],
      ],
    });
    expect(q.filterForm).toBe('lists');
    expect(decode(q.queryString)).toMatchObject({
      filterfieldids: 'AdminId,AdminNm;AdminId',
      filtervalues: '1,Internet;3',
      operatortypes: '1,6;1',
    });
  });

  it('keeps URL-syntax characters (% + & # = ? space inside) in the list form, percent-encoded', () => {
    const value = '50% a+b & c #1 =?/';
    const q = encodeGetQuery({ filter: [[{ field: 'Ds', op: 'eq', value }]] });
    expect(q.filterForm).toBe('lists');
    expect(q.queryString).not.toMatch(/[ +#]/);
    expect(decode(q.queryString).filtervalues).toBe(value);
  });
});

describe('filter: filterjson', () => {
  const cases: [string, string][] = [
    ['a comma', 'Jansen, Piet'],
    ['a semicolon', 'a;b'],
    ['a double quote', 'say "hi"'],
    ['a single quote', "O'Brien"],
    ['a backslash', 'C:\\temp'],
    ['non-ASCII', 'Zoë Ørsted 東京'],
    ['a leading space', ' lead'],
    ['a trailing space', 'trail '],
    ['an empty string', ''],
    ['a newline', 'a\nb'],
  ];
  for (const [what, value] of cases) {
    it(`sends a value with ${what} as filterjson, so it cannot change the filter's structure`, () => {
      const q = encodeGetQuery({
        filter: [[{ field: 'Nm', op: 'eq', value }], [{ field: 'Id', op: 'eq', value: 1 }]],
      });
      expect(q.filterForm).toBe('json');
      const params = decode(q.queryString);
      expect(params.filterfieldids).toBeUndefined();
      expect(JSON.parse(params.filterjson ?? '')).toEqual({
        Filters: {
          Filter: [
            { '@FilterId': 'Filter 1', Field: [{ '@FieldId': 'Nm', '@OperatorType': '1', '#text': value }] },
            { '@FilterId': 'Filter 2', Field: [{ '@FieldId': 'Id', '@OperatorType': '1', '#text': '1' }] },
          ],
        },
      });
    });
  }

  it('keeps the URL pure ASCII by sending non-ASCII as JSON \\u escapes', () => {
    const q = encodeGetQuery({ filter: [[{ field: 'Nm', op: 'eq', value: 'Zoë' }]] });
    expect(decode(q.queryString).filterjson).toContain('Zo\\u00eb');
    expect(q.queryString).toMatch(/^[\x21-\x7e]*$/);
  });

  it('sends isEmpty/isNotEmpty with an empty value (Profit requires one)', () => {
    const q = encodeGetQuery({
      filter: [
        [
          { field: 'Nm', op: 'isEmpty' },
          { field: 'Ds', op: 'isNotEmpty', value: 'ignored' },
        ],
      ],
    });
    const json = JSON.parse(decode(q.queryString).filterjson ?? '');
    expect(json.Filters.Filter[0].Field).toEqual([
      { '@FieldId': 'Nm', '@OperatorType': '8', '#text': '' },
      { '@FieldId': 'Ds', '@OperatorType': '9', '#text': '' },
    ]);
  });

  it('uses filterjson for a field id the list form cannot carry', () => {
    const q = encodeGetQuery({ filter: [[{ field: 'Odd id', op: 'eq', value: 1 }]] });
    expect(q.filterForm).toBe('json');
  });

  it('never lets a value alter the structure, whatever its characters', () => {
    const nasty = [',', ';', ',;,', '";"', "'", '%2C', '%3B', '&filtervalues=x', '#', '+', ' ', 'é,', '\u2028'];
    for (const value of nasty) {
      const q = encodeGetQuery({
        filter: [
          [
            { field: 'A', op: 'eq', value },
            { field: 'B', op: 'ne', value: 'x' },
          ],
          [{ field: 'C', op: 'gt', value: 2 }],
        ],
      });
      const params = decode(q.queryString);
      if (q.filterForm === 'lists') {
        expect(params.filtervalues?.split(';').map((g) => g.split(','))).toEqual([[value, 'x'], ['2']]);
      } else {
        const json = JSON.parse(params.filterjson ?? '');
        expect(json.Filters.Filter).toHaveLength(2);
        expect(json.Filters.Filter[0].Field[0]['#text']).toBe(value);
      }
      expect(Object.keys(params).sort()).toEqual(
        q.filterForm === 'lists'
          ? ['filterfieldids', 'filtervalues', 'operatortypes', 'skip', 'take']
          : ['filterjson', 'skip', 'take'],
      );
    }
  });
});

describe('filter validation', () => {
  it('refuses a comparison without a value', () => {
    expectKind(() => encodeGetQuery({ filter: [[{ field: 'A', op: 'eq' }]] }), 'invalid-argument');
  });

  it('refuses an empty group, which would match every row', () => {
    expectKind(() => encodeGetQuery({ filter: [[]] }), 'invalid-argument');
  });

  it('refuses an unknown operator', () => {
    // biome-ignore lint/suspicious/noExplicitAny: deliberately invalid input
    expectKind(() => encodeGetQuery({ filter: [[{ field: 'A', op: 'like' as any, value: 1 }]] }), 'invalid-argument');
  });
});

describe('values', () => {
  it('renders a Date as Amsterdam local time without Z', () => {
    expect(formatFilterValue(new Date('2024-07-01T10:00:00Z'))).toBe('2024-07-01T12:00:00');
    expect(formatFilterValue(new Date('2024-01-15T10:00:00Z'))).toBe('2024-01-15T11:00:00');
  });

  it('renders numbers in plain notation, never with an exponent', () => {
    expect(formatFilterValue(1e21)).toBe('1000000000000000000000');
    expect(formatFilterValue(1e-7)).toBe('0.0000001');
    expect(formatFilterValue(-0.5)).toBe('-0.5');
    expect(formatFilterValue(123456789012345680000)).toBe('123456789012345680000');
    expect(formatFilterValue(12345678901234567890n)).toBe('12345678901234567890');
    expect(formatFilterValue(new ProfitDecimal('12345678901234567.89'))).toBe('12345678901234567.89');
  });

  it('renders booleans as true/false', () => {
    expect(formatFilterValue(true)).toBe('true');
    expect(formatFilterValue(false)).toBe('false');
  });

  it('refuses NaN, Infinity and invalid dates', () => {
    expectKind(() => formatFilterValue(Number.NaN), 'invalid-argument');
    expectKind(() => formatFilterValue(Number.POSITIVE_INFINITY), 'invalid-argument');
    expectKind(() => formatFilterValue(new Date('nope')), 'invalid-argument');
  });
});

describe('query string length', () => {
  it('measures from ? inclusive, as sent, as AFAS counts it', () => {
    const q = { skip: 0, take: 500, orderBy: [{ field: 'Account' }, { field: 'Type' }] };
    // AFAS's example sends `Account%2CType`; the client sends the separator literally, two characters shorter.
    expect(queryStringLength(q)).toBe('?skip=0&take=500&orderbyfieldids=Account,Type'.length);
  });

  it('exposes the limit of 2049 characters', () => {
    expect(MAX_QUERY_STRING_LENGTH).toBe(2049);
  });
});

describe('chunkFilterGroups', () => {
  const idGroups = (n: number): FilterGroup[] =>
    Array.from({ length: n }, (_, i) => [{ field: 'EmployeeId', op: 'eq', value: `E${100000 + i}` }]);

  it('returns no queries for no groups', () => {
    expect(chunkFilterGroups({}, [])).toEqual([]);
  });

  it('packs groups into chunks that each fit, keeping every group exactly once', () => {
    const groups = idGroups(600);
    const query = { take: 1000, orderBy: [{ field: 'EmployeeId' }] };
    const chunks = chunkFilterGroups(query, groups);
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) {
      expect(queryStringLength(c)).toBeLessThanOrEqual(MAX_QUERY_STRING_LENGTH);
      expect(c.take).toBe(1000);
      expect(c.orderBy).toEqual(query.orderBy);
    }
    expect(chunks.flatMap((c) => c.filter ?? [])).toEqual(groups);
  });

  it('uses as few chunks as possible: no chunk could take the next chunk’s first group', () => {
    const chunks = chunkFilterGroups({}, idGroups(600));
    for (let i = 0; i + 1 < chunks.length; i++) {
      const next = chunks[i + 1]?.filter?.[0];
      const grown = { filter: [...(chunks[i]?.filter ?? []), ...(next ? [next] : [])] };
      expect(queryStringLength(grown)).toBeGreaterThan(MAX_QUERY_STRING_LENGTH);
    }
  });

  it('ANDs a base filter into every group', () => {
    const base = { filter: [[{ field: 'Blocked', op: 'eq' as const, value: false }]] };
    const chunks = chunkFilterGroups(base, idGroups(2));
    expect(chunks).toHaveLength(1);
    expect(chunks[0]?.filter).toEqual([
      [
        { field: 'Blocked', op: 'eq', value: false },
        { field: 'EmployeeId', op: 'eq', value: 'E100000' },
      ],
      [
        { field: 'Blocked', op: 'eq', value: false },
        { field: 'EmployeeId', op: 'eq', value: 'E100001' },
      ],
    ]);
  });

  it('packs groups needing filterjson apart, so they do not force list-safe groups into JSON', () => {
    const groups: FilterGroup[] = [
      [{ field: 'Nm', op: 'eq', value: 'a,b' }],
      [{ field: 'Nm', op: 'eq', value: 'plain' }],
      [{ field: 'Nm', op: 'eq', value: 'c;d' }],
    ];
    const chunks = chunkFilterGroups({}, groups);
    expect(chunks.map((c) => encodeGetQuery(c).filterForm)).toEqual(['lists', 'json']);
    expect(chunks[1]?.filter).toEqual([groups[0], groups[2]]);
  });

  it('fails clearly when one group alone cannot fit', () => {
    const huge: FilterGroup = [{ field: 'Ds', op: 'contains', value: 'x'.repeat(3000) }];
    const e = expectKind(() => chunkFilterGroups({}, [huge]), 'query-too-long');
    expect(e.message).toContain('one filter group alone');
  });

  /** The packing by definition: each chunk is the longest run of the next groups whose query string fits. */
  function packByEncoding(query: GetQuery, groups: readonly FilterGroup[], max: number): GetQuery[] {
    const base = query.filter ?? [];
    const withFilter = (chunk: readonly FilterGroup[]): GetQuery => ({
      ...query,
      filter: base.length === 0 ? [...chunk] : base.flatMap((b) => chunk.map((g) => [...b, ...g])),
    });
    const safe = (g: FilterGroup) => encodeGetQuery({ filter: [g] }).filterForm === 'lists';
    const chunks: FilterGroup[][] = [];
    for (const partition of [groups.filter(safe), groups.filter((g) => !safe(g))]) {
      let current: FilterGroup[] = [];
      for (const group of partition) {
        if (queryStringLength(withFilter([...current, group])) <= max) current.push(group);
        else {
          chunks.push(current);
          current = [group];
        }
      }
      if (current.length > 0) chunks.push(current);
    }
    return chunks.map(withFilter);
  }

  it('packs exactly as encoding every candidate chunk would, in any form, under any base filter', () => {
    const group = filterGroup;
    fc.assert(
      fc.property(
        fc.array(group, { maxLength: 2 }),
        fc.array(group, { maxLength: 40 }),
        fc.boolean(),
        fc.nat(),
        fc.integer({ min: -1, max: 1 }),
        (base, groups, paging, cut, delta) => {
          const query: GetQuery = {
            ...(base.length > 0 ? { filter: base } : {}),
            ...(paging ? { skip: 20, take: 1000, orderBy: [{ field: 'EmployeeId' }] } : {}),
          };
          // A limit at, just under or just over the length of some run of groups, where an error would show.
          let max: number;
          try {
            const run = groups.slice(0, 1 + (cut % Math.max(1, groups.length)));
            max = queryStringLength(packByEncoding(query, run, Number.MAX_SAFE_INTEGER)[0] ?? query) + delta;
          } catch {
            return; // a group that cannot be encoded is covered by the validation tests
          }
          let expected: GetQuery[] | 'too long';
          try {
            expected = packByEncoding(query, groups, max);
          } catch {
            return; // a group that cannot be encoded is covered by the validation tests
          }
          const tooLong = expected.some((q) => queryStringLength(q) > max);
          if (tooLong) expected = 'too long';
          let actual: GetQuery[] | 'too long';
          try {
            actual = chunkFilterGroups(query, groups, { maxLength: max });
          } catch (error) {
            expect((error as ProfitError).kind).toBe('query-too-long');
            actual = 'too long';
          }
          expect(actual).toEqual(expected);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('honours a smaller maxLength', () => {
    const chunks = chunkFilterGroups({}, idGroups(50), { maxLength: 300 });
    for (const c of chunks) expect(queryStringLength(c)).toBeLessThanOrEqual(300);
  });
});
