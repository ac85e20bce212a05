import { describe, expect, it } from 'vitest';
import {
  compileWhere,
  type FieldSpec,
  type FieldSpecs,
  WhereError,
  type WhereInput,
} from '../../../src/graphql/where/index.js';
import { ProfitDecimal } from '../../../src/profit/index.js';

const fields: FieldSpecs = new Map<string, FieldSpec>([
  ['name', { connectorField: 'Name', dataType: 'string' }],
  ['city', { connectorField: 'City', dataType: 'string' }],
  ['age', { connectorField: 'Age', dataType: 'int' }],
  ['salary', { connectorField: 'Salary', dataType: 'decimal' }],
  ['active', { connectorField: 'Active', dataType: 'boolean' }],
  ['modifiedAt', { connectorField: 'ModifiedDate', dataType: 'datetime' }],
  ['photo', { connectorField: 'Photo', dataType: 'blob' }],
  ['bsn', { connectorField: 'BSN', dataType: 'string', filterable: false }],
]);

const compile = (where: WhereInput | null | undefined, options?: { maxGroups?: number; maxDepth?: number }) =>
  compileWhere(where, fields, options);

/** The WhereError `fn` throws (fails the test when it throws nothing or something else). */
function whereError(fn: () => unknown): WhereError {
  try {
    fn();
  } catch (e) {
    if (e instanceof WhereError) return e;
    throw e;
  }
  throw new Error('expected a WhereError, but nothing was thrown');
}

const a = { field: 'Name', op: 'eq', value: 'a' } as const;
const b = { field: 'Name', op: 'eq', value: 'b' } as const;
const c = { field: 'City', op: 'eq', value: 'c' } as const;
const d = { field: 'City', op: 'eq', value: 'd' } as const;

describe('operators', () => {
  it.each([
    'eq',
    'ne',
    'gt',
    'gte',
    'lt',
    'lte',
    'contains',
    'notContains',
    'startsWith',
    'notStartsWith',
    'endsWith',
    'notEndsWith',
  ] as const)('compiles %s on a string into one condition with that operator', (op) => {
    expect(compile({ name: { [op]: 'Jan' } })).toEqual([[{ field: 'Name', op, value: 'Jan' }]]);
  });

  it('compiles isEmpty: true to isEmpty and isEmpty: false to isNotEmpty, without a value', () => {
    expect(compile({ name: { isEmpty: true } })).toEqual([[{ field: 'Name', op: 'isEmpty' }]]);
    expect(compile({ name: { isEmpty: false } })).toEqual([[{ field: 'Name', op: 'isNotEmpty' }]]);
  });

  it('allows isEmpty on a blob, the only operator a blob takes', () => {
    expect(compile({ photo: { isEmpty: false } })).toEqual([[{ field: 'Photo', op: 'isNotEmpty' }]]);
  });

  it('compiles the ordering operators on ints, decimals and dates', () => {
    const when = new Date('2024-03-31T10:00:00Z');
    expect(compile({ age: { gte: 18, lt: 65 }, salary: { lte: '4000.50' }, modifiedAt: { gt: when } })).toEqual([
      [
        { field: 'Age', op: 'gte', value: 18 },
        { field: 'Age', op: 'lt', value: 65 },
        { field: 'Salary', op: 'lte', value: '4000.5' },
        { field: 'ModifiedDate', op: 'gt', value: when },
      ],
    ]);
  });

  it('compiles eq and ne on booleans', () => {
    expect(compile({ active: { eq: true, ne: false } })).toEqual([
      [
        { field: 'Active', op: 'eq', value: true },
        { field: 'Active', op: 'ne', value: false },
      ],
    ]);
  });

  it('compiles in into an OR of eq conditions, one group per value', () => {
    expect(compile({ name: { in: ['a', 'b'] } })).toEqual([[a], [b]]);
  });

  it('distributes the other operators of the same filter over the in values', () => {
    expect(compile({ name: { in: ['a', 'b'], ne: 'x' } })).toEqual([
      [{ field: 'Name', op: 'ne', value: 'x' }, a],
      [{ field: 'Name', op: 'ne', value: 'x' }, b],
    ]);
  });
});

describe('values', () => {
  it('sends an int as a number, and a bigint beyond ±2^53 as a bigint', () => {
    expect(compile({ age: { eq: 42n } })).toEqual([[{ field: 'Age', op: 'eq', value: 42 }]]);
    expect(compile({ age: { eq: 12345678901234567890n } })).toEqual([
      [{ field: 'Age', op: 'eq', value: 12345678901234567890n }],
    ]);
  });

  it('accepts an exact integer object such as a ProfitDecimal for an int', () => {
    expect(compile({ age: { eq: new ProfitDecimal('98765432109876543210') } })).toEqual([
      [{ field: 'Age', op: 'eq', value: 98765432109876543210n }],
    ]);
  });

  it('sends a decimal as its exact plain text, never through a float', () => {
    expect(compile({ salary: { eq: '12345678901234567890.123456789' } })).toEqual([
      [{ field: 'Salary', op: 'eq', value: '12345678901234567890.123456789' }],
    ]);
    expect(compile({ salary: { eq: new ProfitDecimal('-0.5') } })).toEqual([
      [{ field: 'Salary', op: 'eq', value: '-0.5' }],
    ]);
    expect(compile({ salary: { eq: 0.1 } })).toEqual([[{ field: 'Salary', op: 'eq', value: '0.1' }]]);
    expect(compile({ salary: { eq: 1e-7 } })).toEqual([[{ field: 'Salary', op: 'eq', value: '0.0000001' }]]);
    expect(compile({ salary: { eq: 10n } })).toEqual([[{ field: 'Salary', op: 'eq', value: '10' }]]);
  });

  it('writes decimal strings in plain notation: trailing zeros and exponents go', () => {
    expect(compile({ salary: { eq: '1.50' } })).toEqual([[{ field: 'Salary', op: 'eq', value: '1.5' }]]);
    expect(compile({ salary: { eq: '2e3' } })).toEqual([[{ field: 'Salary', op: 'eq', value: '2000' }]]);
  });

  it('keeps strings exactly as given, spaces and separators included', () => {
    const text = '  Jansen, J.; "niet" naar kantoor %_* ';
    expect(compile({ name: { contains: text } })).toEqual([[{ field: 'Name', op: 'contains', value: text }]]);
  });

  it('sends a copy of a Date, so later changes to the caller’s Date do not leak into the filter', () => {
    const when = new Date('2024-01-01T12:00:00Z');
    const value = compile({ modifiedAt: { eq: when } })[0]?.[0]?.value;
    expect(value).toEqual(when);
    expect(value).not.toBe(when);
  });

  it('keeps an Amsterdam-local date string as written, since Profit reads filter dates as local time', () => {
    expect(compile({ modifiedAt: { lt: '1970-01-01' } })).toEqual([
      [{ field: 'ModifiedDate', op: 'lt', value: '1970-01-01' }],
    ]);
    expect(compile({ modifiedAt: { gte: '2024-10-27T02:30' } })).toEqual([
      [{ field: 'ModifiedDate', op: 'gte', value: '2024-10-27T02:30' }],
    ]);
  });
});

describe('and / or', () => {
  it('compiles no where, null, {} and and: [] to no filter at all', () => {
    expect(compile(undefined)).toEqual([]);
    expect(compile(null)).toEqual([]);
    expect(compile({})).toEqual([]);
    expect(compile({ and: [] })).toEqual([]);
    expect(compile({ name: {} })).toEqual([]);
    expect(compile({ name: { eq: undefined }, and: undefined })).toEqual([]);
  });

  it('ANDs the properties of one object, in their order', () => {
    expect(compile({ name: { eq: 'a' }, city: { eq: 'c' } })).toEqual([[a, c]]);
  });

  it('ANDs the items of and', () => {
    expect(compile({ and: [{ name: { eq: 'a' } }, { city: { eq: 'c' } }] })).toEqual([[a, c]]);
  });

  it('ORs the items of or, one group each', () => {
    expect(compile({ or: [{ name: { eq: 'a' } }, { city: { eq: 'c' } }] })).toEqual([[a], [c]]);
  });

  it('distributes an AND of ORs into every combination (the cartesian product)', () => {
    const where = {
      and: [
        { or: [{ name: { eq: 'a' } }, { name: { eq: 'b' } }] },
        { or: [{ city: { eq: 'c' } }, { city: { eq: 'd' } }] },
      ],
    };
    expect(compile(where)).toEqual([
      [a, c],
      [a, d],
      [b, c],
      [b, d],
    ]);
  });

  it('distributes a condition next to an or into each of its alternatives', () => {
    expect(compile({ name: { eq: 'a' }, or: [{ city: { eq: 'c' } }, { city: { eq: 'd' } }] })).toEqual([
      [a, c],
      [a, d],
    ]);
  });

  it('flattens an or nested in an or', () => {
    expect(compile({ or: [{ name: { eq: 'a' } }, { or: [{ name: { eq: 'b' } }, { city: { eq: 'c' } }] }] })).toEqual([
      [a],
      [b],
      [c],
    ]);
  });

  it('compiles an or with an empty alternative to no filter, since that alternative matches every row', () => {
    expect(compile({ or: [{ name: { eq: 'a' } }, {}] })).toEqual([]);
  });
});

describe('simplification', () => {
  it('drops a condition repeated in one group', () => {
    expect(compile({ name: { eq: 'a' }, and: [{ name: { eq: 'a' } }] })).toEqual([[a]]);
  });

  it('drops a repeated group', () => {
    expect(compile({ or: [{ name: { eq: 'a' } }, { name: { eq: 'a' } }] })).toEqual([[a]]);
    expect(compile({ name: { in: ['a', 'a', 'b'] } })).toEqual([[a], [b]]);
  });

  it('treats groups with the same conditions in another order as the same group', () => {
    expect(
      compile({
        or: [
          { name: { eq: 'a' }, city: { eq: 'c' } },
          { city: { eq: 'c' }, name: { eq: 'a' } },
        ],
      }),
    ).toEqual([[a, c]]);
  });

  it('absorbs a group that contains another group: A OR (A AND B) = A', () => {
    expect(compile({ or: [{ name: { eq: 'a' }, city: { eq: 'c' } }, { name: { eq: 'a' } }] })).toEqual([[a]]);
  });

  it('absorbs in a product: (A OR B) AND (A OR C) = A OR (B AND C)', () => {
    const where = {
      and: [
        { or: [{ name: { eq: 'a' } }, { name: { eq: 'b' } }] },
        { or: [{ name: { eq: 'a' } }, { city: { eq: 'c' } }] },
      ],
    };
    expect(compile(where)).toEqual([[a], [b, c]]);
  });

  it('recognises equal values written differently as one condition', () => {
    expect(compile({ or: [{ salary: { eq: '1.5' } }, { salary: { eq: 1.5 } }, { salary: { eq: '15e-1' } }] })).toEqual([
      [{ field: 'Salary', op: 'eq', value: '1.5' }],
    ]);
    const when = '2024-01-01T00:00:00Z';
    expect(compile({ modifiedAt: { in: [new Date(when), new Date(when)] } })).toHaveLength(1);
  });

  it('keeps conditions on different operators or values apart', () => {
    expect(compile({ or: [{ name: { eq: 'a' } }, { name: { ne: 'a' } }, { name: { eq: 'A' } }] })).toHaveLength(3);
  });
});

describe('the bound on groups', () => {
  const alternatives = (n: number, property = 'name', tag = '') => ({
    or: Array.from({ length: n }, (_, i) => ({ [property]: { eq: `v${tag}${i}` } })),
  });

  it('allows exactly maxGroups groups (1000 by default: an in of hundreds of ids is split over calls, not refused)', () => {
    const where = {
      and: Array.from({ length: 3 }, (_, i) => ({ name: { in: Array.from({ length: 10 }, (_, j) => `v${i}-${j}`) } })),
    };
    expect(compile(where)).toHaveLength(1000);
    expect(compile({ age: { in: Array.from({ length: 300 }, (_, i) => i) } })).toHaveLength(300);
  });

  it('refuses a where that expands beyond maxGroups, naming the count and the limit', () => {
    const error = whereError(() =>
      compile(
        {
          name: { in: ['a', 'b', 'c'] },
          and: [1, 2, 3].map((i) => ({ or: [{ city: { eq: `c${i}` } }, { age: { eq: i } }, { salary: { gt: i } }] })),
        },
        { maxGroups: 64 },
      ),
    );
    expect(error.rule).toBe('too-many-groups');
    expect(error.path).toEqual(['where']);
    expect(error.message).toBe(
      'where expands to 81 Profit filter groups; at most 64 are allowed — use fewer or/in alternatives',
    );
  });

  it('refuses a long top-level or as well', () => {
    expect(whereError(() => compile(alternatives(1001))).message).toMatch(
      /^where expands to 1001 Profit filter groups; at most 1000 are allowed/,
    );
  });

  it('takes the limit from maxGroups', () => {
    expect(compile(alternatives(3), { maxGroups: 3 })).toHaveLength(3);
    expect(whereError(() => compile(alternatives(4), { maxGroups: 3 })).message).toContain('at most 3 are allowed');
  });

  it('counts groups after simplification, so repeated alternatives do not count against the limit', () => {
    const where = { or: Array.from({ length: 200 }, () => ({ name: { eq: 'a' } })) };
    expect(compile(where)).toEqual([[a]]);
  });

  it('fails fast on a hostile AND of twenty ors of ten alternatives (10^20 groups)', () => {
    const where = { and: Array.from({ length: 20 }, (_, i) => alternatives(10, 'name', `${i}-`)) };
    // Building 10^20 groups could never finish: returning at all shows the size is checked while multiplying.
    const error = whereError(() => compile(where));
    expect(error.message).toBe(
      'where expands to 100000000000000000000 Profit filter groups; at most 1000 are allowed — use fewer or/in alternatives',
    );
  });

  it('fails fast on twenty levels of ors nested in ands', () => {
    let where: WhereInput = { name: { in: Array.from({ length: 10 }, (_, i) => `x${i}`) } };
    for (let level = 0; level < 20; level++) {
      where = {
        city: { in: Array.from({ length: 10 }, (_, i) => `c${level}-${i}`) },
        or: [where, { age: { eq: level } }],
      };
    }
    // 10^21 groups in full: returning at all shows the expansion is bounded (no timing: STYLE.md).
    expect(whereError(() => compile(where)).rule).toBe('too-many-groups');
  });

  it('refuses nesting deeper than maxDepth with a WhereError rather than a stack overflow', () => {
    let where: WhereInput = { name: { eq: 'a' } };
    for (let level = 0; level < 10_000; level++) where = { or: [where] };
    const error = whereError(() => compile(where));
    expect(error.rule).toBe('too-deep');
    expect(error.message).toContain('deeper than 32');
    expect(compile({ or: [{ or: [{ name: { eq: 'a' } }] }] }, { maxDepth: 2 })).toEqual([[a]]);
  });

  it('refuses options that are not positive integers with a TypeError', () => {
    expect(() => compile({}, { maxGroups: 0 })).toThrow(TypeError);
    expect(() => compile({}, { maxDepth: 1.5 })).toThrow(TypeError);
  });
});

describe('validation', () => {
  const cases: [string, unknown, (string | number)[], WhereError['rule'], string][] = [
    ['an unknown property', { nme: { eq: 'a' } }, ['where', 'nme'], 'unknown-field', "'nme' is not a field here"],
    [
      'a property that is not filterable',
      { bsn: { eq: '1' } },
      ['where', 'bsn'],
      'not-filterable',
      'cannot be filtered',
    ],
    [
      'an unknown operator',
      { name: { like: 'a%' } },
      ['where', 'name', 'like'],
      'unknown-operator',
      "'like' is no operator",
    ],
    ['contains on an int', { age: { contains: '1' } }, ['where', 'age', 'contains'], 'operator-not-allowed', 'int'],
    ['gt on a boolean', { active: { gt: true } }, ['where', 'active', 'gt'], 'operator-not-allowed', 'boolean'],
    [
      'startsWith on a datetime',
      { modifiedAt: { startsWith: '19' } },
      ['where', 'modifiedAt', 'startsWith'],
      'operator-not-allowed',
      'datetime',
    ],
    ['eq on a blob', { photo: { eq: 'x' } }, ['where', 'photo', 'eq'], 'operator-not-allowed', 'use one of isEmpty'],
    [
      'a string for an int',
      { age: { eq: '12' } },
      ['where', 'age', 'eq'],
      'invalid-value',
      "must be an integer, got '12'",
    ],
    ['a fraction for an int', { age: { eq: 1.5 } }, ['where', 'age', 'eq'], 'invalid-value', 'got 1.5'],
    ['an unsafe integer number', { age: { eq: 2 ** 60 } }, ['where', 'age', 'eq'], 'invalid-value', 'pass a bigint'],
    [
      'a non-decimal string',
      { salary: { eq: '1,5' } },
      ['where', 'salary', 'eq'],
      'invalid-value',
      "a decimal number, got '1,5'",
    ],
    ['NaN for a decimal', { salary: { eq: Number.NaN } }, ['where', 'salary', 'eq'], 'invalid-value', 'got NaN'],
    [
      'a huge exponent',
      { salary: { eq: '1e999999999' } },
      ['where', 'salary', 'eq'],
      'invalid-value',
      "got '1e999999999'",
    ],
    [
      'a plain object for a decimal',
      { salary: { eq: {} } },
      ['where', 'salary', 'eq'],
      'invalid-value',
      'got an object',
    ],
    [
      'an invalid Date',
      { modifiedAt: { eq: new Date('x') } },
      ['where', 'modifiedAt', 'eq'],
      'invalid-value',
      'an invalid Date',
    ],
    [
      'an impossible calendar date',
      { modifiedAt: { eq: '2023-02-29' } },
      ['where', 'modifiedAt', 'eq'],
      'invalid-value',
      "got '2023-02-29'",
    ],
    [
      'a date with a zone',
      { modifiedAt: { eq: '2024-01-01T00:00:00Z' } },
      ['where', 'modifiedAt', 'eq'],
      'invalid-value',
      'Amsterdam-local',
    ],
    [
      'a Date beyond year 9999',
      { modifiedAt: { eq: new Date(8.64e15) } },
      ['where', 'modifiedAt', 'eq'],
      'invalid-value',
      'years 1–9999',
    ],
    [
      'a number for a string',
      { name: { eq: 12 } },
      ['where', 'name', 'eq'],
      'invalid-value',
      'a non-empty string, got 12',
    ],
    [
      'an empty string',
      { name: { contains: '' } },
      ['where', 'name', 'contains'],
      'invalid-value',
      'use isEmpty: true',
    ],
    [
      'a string for a boolean',
      { active: { eq: 'true' } },
      ['where', 'active', 'eq'],
      'invalid-value',
      "a boolean, got 'true'",
    ],
    ['a string for isEmpty', { name: { isEmpty: 'yes' } }, ['where', 'name', 'isEmpty'], 'invalid-value', "got 'yes'"],
    ['null as a value', { name: { eq: null } }, ['where', 'name', 'eq'], 'null-value', 'use isEmpty: true'],
    ['null as a field filter', { name: null }, ['where', 'name'], 'null-value', 'null is never a filter'],
    ['null as and', { and: null }, ['where', 'and'], 'null-value', 'got null'],
    ['a string as a field filter', { name: 'a' }, ['where', 'name'], 'invalid-filter', "a field filter, got 'a'"],
    ['an empty in', { name: { in: [] } }, ['where', 'name', 'in'], 'empty-in', 'matches nothing'],
    ['an in that is no list', { name: { in: 'a' } }, ['where', 'name', 'in'], 'not-a-list', "got 'a'"],
    ['a bad value inside in', { age: { in: [1, 'two'] } }, ['where', 'age', 'in', 1], 'invalid-value', "got 'two'"],
    ['an empty or', { or: [] }, ['where', 'or'], 'empty-or', 'matches nothing'],
    ['an and that is no list', { and: { name: { eq: 'a' } } }, ['where', 'and'], 'not-a-list', 'got an object'],
    ['null inside or', { or: [{ name: { eq: 'a' } }, null] }, ['where', 'or', 1], 'null-value', 'a where object'],
    ['a where that is a list', [{ name: { eq: 'a' } }], ['where'], 'invalid-filter', 'got a list of 1'],
  ];

  it.each(cases)('refuses %s, with its path and rule', (_, where, path, rule, message) => {
    const error = whereError(() => compile(where as WhereInput));
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('WhereError');
    expect(error.path).toEqual(path);
    expect(error.rule).toBe(rule);
    expect(error.message).toContain(message);
    expect(error.message).toContain(`\`${path.join('.')}\``);
  });

  it('names the full path of a nested bad value and shows the value', () => {
    const error = whereError(() => compile({ or: [{ name: { eq: 'a' } }, { modifiedAt: { gt: 'tomorrow' } }] }));
    expect(error.path).toEqual(['where', 'or', 1, 'modifiedAt', 'gt']);
    expect(error.message).toBe(
      "`where.or.1.modifiedAt.gt` must be a Date or an Amsterdam-local date YYYY-MM-DD[THH:mm[:ss]], got 'tomorrow'",
    );
  });

  it('shortens a long bad value in the message', () => {
    const error = whereError(() => compile({ age: { eq: 'x'.repeat(500) } }));
    expect(error.message).toContain(`'${'x'.repeat(60)}…' (500 characters)`);
  });

  it('reports the first error in the order of the input, before any expansion', () => {
    const where = { and: Array.from({ length: 20 }, () => ({ name: { in: ['a', 'b', 'c'] } })), age: { eq: 'x' } };
    expect(whereError(() => compile(where)).rule).toBe('invalid-value');
  });
});
