/**
 * Compiled filters against the emulator over real HTTP: for each realistic where, the rows Profit returns equal
 * the rows the independent reference (evaluate.ts) accepts out of every row of the connector.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderByInput, WhereInput } from '../../../src/graphql/where/index.js';
import { ProfitDecimal } from '../../../src/profit/index.js';
import { type Connector, run, type Setup, setUp } from './fixture.js';

let setup: Setup;
let employees: Connector;
let persons: Connector;

beforeAll(async () => {
  setup = await setUp();
  employees = await setup.connector('Profit_Employees', 'EmployeeId');
  persons = await setup.connector('Profit_Persons', 'BcCo');
});

afterAll(async () => {
  await setup?.close();
});

/** [what it asks, where, whether the demo data has matching rows, orderBy] */
type Case = [string, WhereInput, 'some' | 'none' | 'any', OrderByInput[]?];

const employeeCases: Case[] = [
  ['a department whose name holds a comma', { department: { eq: 'Verkoop, binnendienst' } }, 'some'],
  [
    'a comma-holding or non-ASCII department among others',
    { department: { in: ['Verkoop, binnendienst', 'Financiën'] } },
    'some',
  ],
  ['a quote inside contains, in any case', { name: { contains: "o'neill" } }, 'some'],
  ['non-ASCII names through in', { name: { in: ['Zoë Müller', 'Frits Çelik'] } }, 'some'],
  ['an accent-sensitive prefix', { name: { startsWith: 'zoe' } }, 'none'],
  [
    'a department, or unblocked team leads and project managers',
    { or: [{ department: { eq: 'ICT' } }, { functionId: { in: ['TL', 'PM'] }, blocked: { eq: false } }] },
    'some',
    [{ field: 'name', direction: 'DESC' }],
  ],
  ['exact decimals on salary and hours', { salary: { gte: '5000' }, hoursPerWeek: { lt: 38 } }, 'some'],
  ['an exact four-decimal rate', { hourlyRate: { eq: new ProfitDecimal('44.9166') } }, 'some'],
  ['a rate above a float', { hourlyRate: { gt: 44.9166 } }, 'some', [{ field: 'hourlyRate' }]],
  [
    'still employed, or leaving this year',
    { or: [{ dateOutService: { isEmpty: true } }, { dateOutService: { gte: new Date('2026-01-01T00:00:00+01:00') } }] },
    'some',
  ],
  ['in service since 2020 and active', { dateInService: { gte: '2020-01-01' }, active: { eq: true } }, 'some'],
  [
    'work mail at the domain, not a Jansen',
    { mailWork: { endsWith: '@EXAMPLE.NL' }, name: { notContains: 'jansen' } },
    'some',
  ],
  ['an employment other than the first', { dvId: { ne: 1 } }, 'any'],
  ['a comma and a space inside contains', { department: { contains: ', b' } }, 'some'],
  [
    'a value with ";" that must not open an OR group',
    { or: [{ name: { contains: 'x;y' } }, { department: { eq: 'ICT' } }] },
    'some',
  ],
  [
    'an AND of two ORs, distributed',
    {
      and: [
        { or: [{ departmentId: { eq: 'ICT' } }, { departmentId: { eq: 'HR' } }] },
        { or: [{ blocked: { eq: true } }, { hoursPerWeek: { gte: 36 } }] },
      ],
    },
    'some',
  ],
  [
    'a name that is not the one with a quote, IBAN present',
    { name: { ne: "André O'Neill" }, iban: { isEmpty: false } },
    'some',
  ],
  [
    'created in a window, ordered by creation descending',
    { createDate: { gte: new Date('2020-01-01T00:00:00Z'), lt: '2024-06-30T12:00' } },
    'some',
    [{ field: 'createDate', direction: 'DESC' }],
  ],
];

const personCases: Case[] = [
  ['a city starting with a quote', { city: { eq: "'s-Gravenhage" } }, 'some'],
  ['a street with a quote, any case', { street: { startsWith: "van 't" } }, 'some'],
  ['a note with a comma and a semicolon, exactly', { note: { eq: 'Post naar Jansen, J.; niet naar kantoor' } }, 'some'],
  ['a note with double quotes', { note: { contains: '"liever"' } }, 'some'],
  ['a note with non-ASCII, in another case', { note: { contains: 'ZOË' } }, 'some'],
  ['notes without a semicolon', { note: { isEmpty: false, notContains: ';' } }, 'some'],
  ['women born before 1970', { dateBirth: { lt: '1970-01-01' }, gender: { eq: 'V' } }, 'any'],
  [
    'a high house number or an addition',
    { or: [{ houseNumber: { gte: 100 } }, { houseNumberAdd: { isEmpty: false } }] },
    'some',
  ],
  ['no BSN', { bsn: { isEmpty: true } }, 'some'],
  ['a prefix other than van: empty prefixes fail ne, as SQL nulls do', { prefix: { ne: 'van' } }, 'some'],
  [
    'a private address outside example: empty ones fail notContains',
    { mailPrivate: { notContains: 'example.com' } },
    'any',
  ],
  ['a first name in another case', { firstName: { eq: 'andré' } }, 'some'],
  ['a last name other than a quoted one (empty names fail ne too)', { lastName: { ne: "O'Neill" } }, 'some'],
  ['employees with a private .com address', { isEmployee: { eq: true }, mailPrivate: { endsWith: '.com' } }, 'any'],
  [
    'common prefixes and the second half of the alphabet',
    { prefix: { in: ['van', 'de', 'van der'] }, lastName: { gte: 'M' } },
    'any',
    [{ field: 'lastName' }, { field: 'firstName', direction: 'DESC' }],
  ],
  [
    'created since 2022, changed before 2026 noon',
    { createDate: { gte: new Date('2022-01-01T00:00:00Z') }, modifiedDate: { lt: '2026-01-01T12:00' } },
    'some',
  ],
  [
    'nested or inside and inside or',
    {
      or: [
        { city: { eq: 'Haarlem' } },
        {
          and: [
            { country: { eq: 'NL' } },
            { or: [{ zipCode: { startsWith: '10' } }, { zipCode: { startsWith: '35' } }] },
          ],
        },
      ],
    },
    'some',
  ],
];

describe.each([
  ['Profit_Employees', () => employees, employeeCases],
  ['Profit_Persons', () => persons, personCases],
] as const)('%s', (_, connector, cases) => {
  it.each(cases)('returns exactly the reference rows for %s', async (_what, where, matches, orderBy) => {
    const { actual, expected } = await run(setup.client, connector(), where, orderBy);
    expect(actual).toEqual(expected);
    if (matches === 'some') expect(expected.length).toBeGreaterThan(0);
    if (matches === 'none') expect(expected).toEqual([]);
    if (matches !== 'none') expect(expected.length).toBeLessThan(connector().rows.length + (matches === 'any' ? 1 : 0));
  });
});

describe('the reference itself', () => {
  it('sees every row when there is no filter', async () => {
    const { actual, expected } = await run(setup.client, employees, {});
    expect(actual).toHaveLength(employees.rows.length);
    expect(expected).toEqual(actual);
  });
});
