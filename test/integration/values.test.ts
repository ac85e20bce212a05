/**
 * Values across the wire: Profit's datetimes (Amsterdam wall-clock time despite their `Z`) around both DST changes
 * of 2024, `Date` filter values sent as Amsterdam local time, and decimals kept exact.
 *
 * The demo company puts dossier items (ProfitSubjects.DaSe) on the clock-change days:
 *   2024-03-31 01:59:59, 02:30:00 (a time that never happened) and 03:00:00;
 *   2024-10-27 02:00:00, 02:30:00 (a time that happened twice) and 03:00:00.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type GetQuery, type ProfitClient, ProfitDecimal, type ProfitRow } from '../../src/profit/index.js';
import { type Harness, queryOf, startHarness } from './support.js';

let harness: Harness;
let admin: ProfitClient;
/** The same token on a connection that leaves datetimes as Profit's text. */
let raw: ProfitClient;

beforeAll(async () => {
  harness = await startHarness();
  admin = harness.connect().client(harness.token('admin'));
  raw = harness.connect({ convertDateTimes: false }).client(harness.token('admin'));
});
afterAll(() => harness?.close());
beforeEach(() => harness.log.clear());

/**
 * Dossier items submitted in [from, to), ordered by submission time, as `[SbId, DaSe]`; DaSe declared a datetime
 * (the raw connection leaves it as text all the same).
 */
async function submittedBetween(client: ProfitClient, from: Date, to: Date): Promise<[unknown, unknown][]> {
  const query: GetQuery = {
    filter: [
      [
        { field: 'DaSe', op: 'gte', value: from },
        { field: 'DaSe', op: 'lt', value: to },
      ],
    ],
    orderBy: [{ field: 'DaSe' }],
  };
  const { rows } = await client.get('ProfitSubjects', query, { columns: { DaSe: 'datetime' } });
  return rows.map((r: ProfitRow) => [r.SbId, r.DaSe instanceof Date ? r.DaSe.toISOString() : r.DaSe]);
}

describe('datetimes across the DST changes', () => {
  it('reads the spring-forward day (2024-03-31, CET → CEST at 02:00) as the right instants', async () => {
    // Midnight to midnight in Amsterdam: 2024-03-30T23:00Z (CET) to 2024-03-31T22:00Z (CEST).
    const day = [new Date('2024-03-30T23:00:00Z'), new Date('2024-03-31T22:00:00Z')] as const;
    expect(await submittedBetween(raw, ...day)).toEqual([
      [9910, '2024-03-31T01:59:59Z'],
      [9937, '2024-03-31T02:30:00Z'],
      [49946, '2024-03-31T03:00:00Z'],
    ]);
    expect(await submittedBetween(admin, ...day)).toEqual([
      [9910, '2024-03-31T00:59:59.000Z'], // 01:59:59 CET (+01:00)
      [9937, '2024-03-31T01:30:00.000Z'], // 02:30 never happened: read with the offset before the change
      [49946, '2024-03-31T01:00:00.000Z'], // 03:00:00 CEST (+02:00), one second after 01:59:59
    ]);
    const q = queryOf((await harness.log.entries())[0] as never);
    expect(q.get('filtervalues')).toBe('2024-03-31T00:00:00,2024-04-01T00:00:00');
  });

  it('reads the fall-back day (2024-10-27, CEST → CET at 03:00) as the right instants', async () => {
    const day = [new Date('2024-10-26T22:00:00Z'), new Date('2024-10-27T23:00:00Z')] as const;
    expect(await submittedBetween(raw, ...day)).toEqual([
      [54286, '2024-10-27T02:00:00Z'],
      [54287, '2024-10-27T02:30:00Z'],
      [54288, '2024-10-27T03:00:00Z'],
    ]);
    expect(await submittedBetween(admin, ...day)).toEqual([
      [54286, '2024-10-27T00:00:00.000Z'], // 02:00 happened twice: the first time, still CEST (+02:00)
      [54287, '2024-10-27T00:30:00.000Z'],
      [54288, '2024-10-27T02:00:00.000Z'], // 03:00 CET (+01:00)
    ]);
    const q = queryOf((await harness.log.entries())[0] as never);
    expect(q.get('filtervalues')).toBe('2024-10-27T00:00:00,2024-10-28T00:00:00');
  });

  it.each([
    ['2024-03-31T01:00:00Z', '2024-03-31T03:00:00', 49946],
    ['2024-10-27T00:30:00Z', '2024-10-27T02:30:00', 54287],
    ['2024-10-27T01:30:00Z', '2024-10-27T02:30:00', 54287], // the second 02:30: Profit's wall clock cannot tell them apart
    ['2024-10-27T02:00:00Z', '2024-10-27T03:00:00', 54288],
  ])('sends the Date %s as Amsterdam local time %s without a Z, selecting item %s', async (instant, local, sbId) => {
    const { rows } = await admin.get('ProfitSubjects', {
      filter: [[{ field: 'DaSe', op: 'eq', value: new Date(instant) }]],
    });
    expect(rows.map((r) => r.SbId)).toEqual([sbId]);
    const entries = await harness.log.entries();
    expect(entries).toHaveLength(1);
    expect(queryOf(entries[0] as never).get('filtervalues')).toBe(local);
    expect(entries[0]?.query).not.toMatch(/Z(&|$)/);
  });
});

describe('decimals', () => {
  it('keeps a revenue of 12345678901234.56 exact as ProfitDecimal text, and filters on it with every digit', async () => {
    const { rows } = await admin.get('Profit_Organisations', { orderBy: [{ field: 'BcCo' }], take: 100 });
    const big = rows.find((r) => r.BcCo === '1000032')?.Revenue;
    expect(big).toBeInstanceOf(ProfitDecimal);
    expect((big as ProfitDecimal).text).toBe('12345678901234.56');
    const negative = rows.find((r) => r.BcCo === '1000144')?.Revenue;
    expect((negative as ProfitDecimal).text).toBe('-0.5');
    harness.log.clear();
    const found = await admin.get('Profit_Organisations', {
      filter: [[{ field: 'Revenue', op: 'eq', value: big as ProfitDecimal }]],
    });
    expect(found.rows.map((r) => r.BcCo)).toEqual(['1000032']);
    expect(queryOf((await harness.log.entries())[0] as never).get('filtervalues')).toBe('12345678901234.56');
  });

  it('reads int fields as numbers and decimal fields with their scale as ProfitDecimal', async () => {
    const [employee] = (await admin.get('Profit_Employees', { orderBy: [{ field: 'EmployeeId' }], take: 1 })).rows;
    expect(typeof employee?.DvId).toBe('number');
    expect(employee?.HoursPerWeek).toBeInstanceOf(ProfitDecimal);
    expect(String(employee?.HourlyRate)).toMatch(/^\d+\.\d{1,4}$/);
  });
});
