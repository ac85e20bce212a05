/**
 * Property-based tests over random where trees (fast-check, fixed seeds). Against the emulator: the rows Profit
 * returns for the compiled filter equal the independent reference's verdict on every row. Without HTTP: the
 * compiler throws nothing but WhereError, and its output is minimal in the ways it promises.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compileWhere,
  type FieldSpecs,
  type OrderByInput,
  WhereError,
  type WhereInput,
} from '../../../src/graphql/where/index.js';
import { type Condition, fromProfitDateTime, ProfitDecimal, ProfitError } from '../../../src/profit/index.js';
import { type Connector, run, type Setup, setUp } from './fixture.js';

const SEED = 20261124;
const MAX_GROUPS = 16;

/** The operators each data type takes, written out here rather than imported, so the tests check the compiler. */
const ORDERING = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte'];
const TEXT = ['contains', 'notContains', 'startsWith', 'notStartsWith', 'endsWith', 'notEndsWith'];
const VALUE_OPERATORS: Record<string, readonly string[]> = {
  string: [...ORDERING, ...TEXT],
  int: ORDERING,
  decimal: ORDERING,
  date: ORDERING,
  boolean: ['eq', 'ne'],
  blob: [],
};

const TRICKY = [
  ',',
  ';',
  '"',
  "'",
  '%',
  '*',
  '_',
  '\\',
  ', ',
  '; ',
  'x;y,z',
  '"a,b"',
  "'s-",
  'ë',
  'Ç',
  'Zoë',
  '€',
  '😀',
  '%_%',
];
const ALPHABET = [...',;"\'%*_ aAbBéÉëËçÇ€😀\\/&=+#?'];

const randomString = fc.oneof(
  { arbitrary: fc.constantFrom(...TRICKY), weight: 3 },
  { arbitrary: fc.string({ unit: fc.constantFrom(...ALPHABET), minLength: 1, maxLength: 10 }), weight: 3 },
  { arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }), weight: 2 },
  { arbitrary: fc.string({ minLength: 120, maxLength: 300 }), weight: 1 },
);

/** Changes the case of some letters: Profit compares case-insensitively. */
const recase = (s: string, mask: number) =>
  [...s].map((ch, i) => ((mask >> (i % 30)) & 1 ? ch.toLocaleUpperCase('en') : ch.toLocaleLowerCase('en'))).join('');

function cellsOf(connector: Connector, property: string): unknown[] {
  return connector.rows.map((r) => r[property]).filter((v) => v !== null && v !== undefined && v !== '');
}

/** A value for `property`, drawn partly from the real rows so filters match something. */
function valueFor(connector: Connector, property: string, dataType: string, op: string): fc.Arbitrary<unknown> {
  const cells = cellsOf(connector, property);
  /** A real cell, mapped; `otherwise` for a column without values. */
  const fromRows = <T>(map: (cell: unknown) => T, otherwise: fc.Arbitrary<T>): fc.Arbitrary<T> =>
    cells.length > 0 ? fc.constantFrom(...cells).map(map) : otherwise;
  const anyDate = fc.date({
    min: new Date('1950-01-01T00:00:00Z'),
    max: new Date('2030-12-31T00:00:00Z'),
    noInvalidDate: true,
  });
  const anyDecimal = fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true });
  switch (dataType) {
    case 'string': {
      const whole = fromRows(String, randomString);
      const piece = fc
        .tuple(whole, fc.nat(), fc.nat(), fc.nat())
        .map(([s, i, n, mask]) => recase(s.slice(i % s.length, (i % s.length) + 1 + (n % 8)), mask));
      const recased = fc.tuple(whole, fc.nat()).map(([s, m]) => recase(s, m));
      return fc
        .oneof(
          { arbitrary: whole, weight: 3 },
          { arbitrary: TEXT.includes(op) ? piece : recased, weight: 3 },
          { arbitrary: randomString, weight: 2 },
        )
        .filter((s) => s !== '');
    }
    case 'int':
      return fc.oneof(
        { arbitrary: fromRows<unknown>((c) => c, fc.integer()), weight: 3 },
        { arbitrary: fc.integer({ min: -1000, max: 1000 }), weight: 2 },
        { arbitrary: fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }), weight: 1 },
      );
    case 'decimal':
      return fc.oneof(
        {
          arbitrary: fromRows<unknown>(
            (c) => (c instanceof ProfitDecimal ? c : new ProfitDecimal(String(c))),
            anyDecimal,
          ),
          weight: 3,
        },
        { arbitrary: fromRows<unknown>((c) => String(c), anyDecimal), weight: 1 },
        { arbitrary: anyDecimal, weight: 2 },
        {
          arbitrary: fc.tuple(fc.integer({ min: -9999, max: 9999 }), fc.nat(9999)).map(([i, f]) => `${i}.${f}`),
          weight: 1,
        },
      );
    case 'boolean':
      return fc.boolean();
    case 'datetime':
      // Rows hold Profit's local text (the connection does not convert): as a Date, a date, a date and time.
      return fc.oneof(
        { arbitrary: fromRows<unknown>((c) => fromProfitDateTime(String(c)), anyDate), weight: 2 },
        { arbitrary: fromRows<unknown>((c) => String(c).slice(0, 10), anyDate), weight: 2 },
        { arbitrary: fromRows<unknown>((c) => String(c).slice(0, 16), anyDate), weight: 1 },
        { arbitrary: anyDate, weight: 2 },
      );
    default:
      return fc.constant('blob');
  }
}

/** Values and operators the compiler must refuse with a WhereError. */
const invalidEntry = fc.constantFrom<[string, unknown]>(
  ['eq', null],
  ['in', []],
  ['gt', new Date('nope')],
  ['like', 'x'],
  ['eq', ''],
  ['eq', { nested: true }],
  ['lt', Number.NaN],
  ['contains', 12],
);

interface TreeOptions {
  /** Mix in operators and values the compiler must refuse. */
  readonly invalid: boolean;
  /** The most items in one object, `and` or `or`. */
  readonly width: number;
}

function fieldFilter(
  connector: Connector,
  property: string,
  dataType: string,
  options: TreeOptions,
): fc.Arbitrary<Record<string, unknown>> {
  const operators = VALUE_OPERATORS[dataType] ?? [];
  const entries: fc.WeightedArbitrary<[string, unknown]>[] = [
    { arbitrary: fc.boolean().map((b): [string, unknown] => ['isEmpty', b]), weight: 1 },
  ];
  if (operators.length > 0) {
    entries.push(
      {
        arbitrary: fc
          .constantFrom(...operators)
          .chain((op) => valueFor(connector, property, dataType, op).map((v): [string, unknown] => [op, v])),
        weight: 5,
      },
      {
        arbitrary: fc
          .array(valueFor(connector, property, dataType, 'eq'), { minLength: 1, maxLength: 3 })
          .map((vs): [string, unknown] => ['in', vs]),
        weight: 2,
      },
    );
  }
  const entry = options.invalid
    ? fc.oneof({ arbitrary: fc.oneof(...entries), weight: 30 }, { arbitrary: invalidEntry, weight: 1 })
    : fc.oneof(...entries);
  // Mostly one operator, sometimes two (ANDed), rarely none (no condition).
  return fc
    .oneof(
      { arbitrary: fc.array(entry, { minLength: 1, maxLength: 1 }), weight: 6 },
      { arbitrary: fc.array(entry, { minLength: 2, maxLength: 2 }), weight: 2 },
      { arbitrary: fc.constant([]), weight: 1 },
    )
    .map((list) => Object.fromEntries(list));
}

/** `arbitrary` in one case out of `1 + absentWeight`, else absent. */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>, absentWeight = 3) =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: absentWeight }, { arbitrary, weight: 1 });

function whereTree(connector: Connector, options: TreeOptions): fc.Arbitrary<WhereInput> {
  const width = options.width;
  const properties = [...connector.fields].map(([p, spec]) => [p, spec.dataType] as const);
  const fieldEntry = fc
    .constantFrom(...properties)
    .chain(([p, type]) => fieldFilter(connector, p, type, options).map((f) => [p, f] as const));
  const { where } = fc.letrec<{ where: WhereInput; node: WhereInput }>((tie) => ({
    where: fc
      .record({
        fields: fc.array(fieldEntry, { maxLength: width }),
        and: sometimes(fc.array(tie('node'), { maxLength: width })),
        or: sometimes(fc.array(tie('node'), { minLength: 1, maxLength: width }), 2),
      })
      .map(({ fields, and, or }) => {
        const out: Record<string, unknown> = Object.fromEntries(fields);
        if (and !== undefined) out.and = and;
        if (or !== undefined) out.or = or;
        return out as WhereInput;
      }),
    node: fc.oneof(
      { maxDepth: 3, depthIdentifier: 'where' },
      fc.array(fieldEntry, { minLength: 1, maxLength: 2 }).map((list) => Object.fromEntries(list) as WhereInput),
      tie('where'),
    ),
  }));
  return where;
}

function orderByFor(connector: Connector): fc.Arbitrary<OrderByInput[]> {
  const sortable = [...connector.fields].filter(([, s]) => s.dataType !== 'blob').map(([p]) => p);
  return fc.uniqueArray(
    fc.record({ field: fc.constantFrom(...sortable), direction: fc.constantFrom<'ASC' | 'DESC'>('ASC', 'DESC') }),
    { maxLength: 2, selector: (o) => o.field },
  );
}

describe('against the emulator', () => {
  let setup: Setup;
  let connectors: Connector[];

  beforeAll(async () => {
    setup = await setUp();
    connectors = [
      await setup.connector('Profit_Employees', 'EmployeeId'),
      await setup.connector('Profit_Persons', 'BcCo'),
    ];
  });

  afterAll(async () => {
    await setup?.close();
  });

  const at = (i: number): Connector => {
    const connector = connectors[i];
    if (!connector) throw new Error(`no connector ${i}`);
    return connector;
  };

  it('returns exactly the rows the reference accepts, for random where trees and orderings', async () => {
    const stats = { compared: 0, selective: 0, refused: 0, tooLong: 0 };
    // By index, so a counterexample prints the where, not every row of the connector.
    const input = fc
      .constantFrom(0, 1)
      .chain((i) => fc.tuple(fc.constant(i), whereTree(at(i), { invalid: false, width: 2 }), orderByFor(at(i))));
    await fc.assert(
      fc.asyncProperty(input, async ([index, where, orderBy]) => {
        const connector = at(index);
        try {
          compileWhere(where, connector.fields, { maxGroups: MAX_GROUPS });
        } catch (e) {
          expect(e).toBeInstanceOf(WhereError);
          stats.refused++;
          return;
        }
        let outcome: Awaited<ReturnType<typeof run>>;
        try {
          outcome = await run(setup.client, connector, where, orderBy, { maxGroups: MAX_GROUPS });
        } catch (e) {
          // The client refuses, before any request, a query string beyond Profit's 2049 characters.
          if (e instanceof ProfitError && e.kind === 'query-too-long') {
            stats.tooLong++;
            return;
          }
          throw e;
        }
        expect(outcome.actual).toEqual(outcome.expected);
        stats.compared++;
        if (outcome.expected.length > 0 && outcome.expected.length < connector.rows.length) stats.selective++;
      }),
      { numRuns: 60, seed: SEED },
    );
    // The generators must mostly produce wheres that reach the emulator and select some, not all, rows.
    expect(stats.compared).toBeGreaterThanOrEqual(30);
    expect(stats.selective).toBeGreaterThanOrEqual(10);
  });
});

describe('without HTTP', () => {
  /** A fixture connector with made-up rows: enough for the generators, no emulator needed. */
  const fields: FieldSpecs = new Map([
    ['name', { connectorField: 'Name', dataType: 'string' }],
    ['city', { connectorField: 'City', dataType: 'string' }],
    ['age', { connectorField: 'Age', dataType: 'int' }],
    ['salary', { connectorField: 'Salary', dataType: 'decimal' }],
    ['active', { connectorField: 'Active', dataType: 'boolean' }],
    ['born', { connectorField: 'Born', dataType: 'datetime' }],
    ['photo', { connectorField: 'Photo', dataType: 'blob' }],
  ]);
  const connector: Connector = {
    id: 'Fixture',
    key: 'name',
    fields,
    rows: [
      {
        name: 'Zoë',
        city: "'s-Gravenhage",
        age: 30,
        salary: new ProfitDecimal('1.5'),
        active: true,
        born: '1990-01-01T00:00:00Z',
      },
      {
        name: 'Jansen, J.',
        city: 'a;b',
        age: 41,
        salary: new ProfitDecimal('-2'),
        active: false,
        born: '1983-10-30T02:30:00Z',
      },
    ],
  };

  const conditionId = (c: Condition) =>
    `${c.field}|${c.op}|${c.value instanceof Date ? c.value.getTime() : String(c.value)}|${typeof c.value}`;

  it('throws nothing but WhereError, and returns at most maxGroups distinct, non-empty, unabsorbed groups', () => {
    fc.assert(
      fc.property(
        whereTree(connector, { invalid: true, width: 3 }),
        fc.integer({ min: 1, max: 64 }),
        (where, maxGroups) => {
          let groups: ReturnType<typeof compileWhere>;
          try {
            groups = compileWhere(where, fields, { maxGroups });
          } catch (e) {
            expect(e).toBeInstanceOf(WhereError);
            return;
          }
          expect(groups.length).toBeLessThanOrEqual(maxGroups);
          const sets = groups.map((g) => new Set(g.map(conditionId)));
          sets.forEach((set, i) => {
            expect(set.size).toBeGreaterThan(0);
            expect(set.size).toBe(groups[i]?.length);
            sets.forEach((other, j) => {
              if (i !== j) expect([...other].every((id) => set.has(id))).toBe(false);
            });
          });
        },
      ),
      { numRuns: 400, seed: SEED },
    );
  });

  it('throws nothing but WhereError for any value at all', () => {
    fc.assert(
      fc.property(fc.anything({ maxDepth: 4, withDate: true, withBigInt: true, withNullPrototype: true }), (junk) => {
        for (const where of [junk, { name: junk }, { name: { eq: junk } }, { or: junk }, { age: { in: junk } }]) {
          try {
            compileWhere(where as WhereInput, fields);
          } catch (e) {
            expect(e).toBeInstanceOf(WhereError);
          }
        }
      }),
      { numRuns: 300, seed: SEED },
    );
  });
});
