/**
 * The loaders on their own, against the emulator over HTTP: the DataLoader contract (order, length, an Error in
 * the slots a failed call carried), the request memo, and case-insensitive grouping.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DemoStore } from '../../src/emulator/company/index.js';
import { bindingOf, numbersOf } from '../../src/graphql/binding.js';
import { Loaders } from '../../src/graphql/index.js';
import { Employee, Leave } from '../../src/model/index.js';
import { chunkFilterGroups, ProfitDecimal, ProfitError } from '../../src/profit/index.js';
import { callsPer, type Harness, startHarness } from './helpers.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ scale: 3 });
});
afterAll(() => h?.close());
// A one-shot fault a failing test did not consume must not fail a later test's call.
afterEach(() => h.emulator.faults.clear());

const since = () => {
  const before = h.emulator.log.entries().at(-1)?.seq ?? 0;
  return () => h.emulator.log.entries().filter((e) => e.seq > before);
};

describe('the key loader', () => {
  it('answers in the keys’ order and number, duplicates and unknown keys included', async () => {
    const loaders = new Loaders(h.client());
    const ids = h.data.employees.slice(0, 5).map((e) => e.employeeId);
    const keys = [ids[3], 'NOPE', ids[0], ids[3]?.toLowerCase(), ids[1]].map((id) => [id]);
    const calls = since();
    const results = (await loaders.entity<Employee>(bindingOf(Employee)).loadMany(keys)) as (Employee | null)[];
    expect(results.map((e) => e?.employeeId ?? null)).toEqual([ids[3], null, ids[0], ids[3], ids[1]]);
    expect(calls()).toHaveLength(1);
  });

  it('answers the keys of rows a page has read with those entities, and calls Profit only for the others', async () => {
    const loaders = new Loaders(h.client());
    const binding = bindingOf(Employee);
    const page = await loaders.page<Employee>(binding, { orderBy: [{ field: 'EmployeeId' }], take: 3 });
    const other = h.data.employees.map((e) => e.employeeId).find((id) => !page.some((e) => e.employeeId === id));
    const calls = since();
    const read = await loaders.entity<Employee>(binding).loadMany([[page[1]?.employeeId], [page[0]?.employeeId]]);
    expect(read).toEqual([page[1], page[0]]);
    expect(read[0]).toBe(page[1]);
    expect(calls()).toHaveLength(0);
    const mixed = (await loaders.entity<Employee>(binding).loadMany([[page[2]?.employeeId], [other]])) as Employee[];
    expect(mixed[0]).toBe(page[2]);
    expect(mixed[1]?.employeeId).toBe(other);
    expect(calls()).toHaveLength(1);
    expect(calls()[0]?.query).not.toContain(encodeURIComponent(page[2]?.employeeId as string));
  });

  it('puts a failed call’s ProfitError in exactly the slots of the keys that call carried', async () => {
    const loaders = new Loaders(h.client());
    const ids = h.data.employees.map((e) => e.employeeId);
    const groups = ids.map((value) => [{ field: 'EmployeeId', op: 'eq' as const, value }]);
    const chunks = chunkFilterGroups({ orderBy: [{ field: 'EmployeeId' }], take: ids.length }, groups);
    expect(chunks.length).toBeGreaterThan(1);
    // The emulator fails the first of the calls to arrive; the loader sends them together, so find which it was.
    h.emulator.faults.once({ kind: '500', path: 'Profit_Employees' });
    const calls = since();
    const results = await loaders.entity<Employee>(bindingOf(Employee)).loadMany(ids.map((id) => [id]));
    expect(results).toHaveLength(ids.length);
    const failedCall = calls().find((c) => c.status === 500)!;
    const failedIds = new Set(
      decodeURIComponent(/filtervalues=([^&]*)/.exec(failedCall.query)?.[1] ?? '')
        .split(';')
        .filter(Boolean),
    );
    results.forEach((r, i) => {
      if (failedIds.has(ids[i] as string)) {
        expect(r).toBeInstanceOf(ProfitError);
        expect((r as ProfitError).kind).toBe('rejected');
      } else {
        expect((r as Employee).employeeId).toBe(ids[i]);
      }
    });
    expect(failedIds.size).toBeGreaterThan(0);
    expect(calls()).toHaveLength(chunks.length);
    expect(h.emulator.faults.get().once).toEqual([]); // the fault went to exactly one of those calls
  });
});

describe('the relation loader', () => {
  it('groups rows back to parents whatever the case of the parent’s value', async () => {
    const loaders = new Loaders(h.client());
    const leave = h.data.leaves[0]!;
    const binding = bindingOf(Leave);
    const loader = loaders.matching<Leave>(binding, {
      properties: ['employeeId'],
      filter: [],
      orderBy: [{ field: 'LeaveId' }],
      fingerprint: 'test',
    });
    const [upper, lower] = await Promise.all([
      loader.load([leave.employeeId.toUpperCase()]),
      loader.load([leave.employeeId.toLowerCase()]),
    ]);
    const expected = h.data.leaves.filter((l) => l.employeeId === leave.employeeId).map((l) => l.id);
    expect(upper.map((l) => l.leaveId)).toEqual(expected);
    expect(lower).toBe(upper);
  });

  it('reads every page of a large relation, in pages sized from Profit’s cells-per-call guideline', async () => {
    const loaders = new Loaders(h.client());
    const binding = bindingOf(Leave);
    const calls = since();
    const all = await loaders
      .matching<Leave>(binding, {
        properties: ['employment'],
        filter: [],
        orderBy: [{ field: 'LeaveId' }],
        fingerprint: 'all',
      })
      .load([1]);
    expect(all).toHaveLength(h.data.leaves.filter((l) => l.employment === 1).length);
    expect(callsPer(calls())).toEqual({ Profit_Leaves: 1 });
    expect(calls()[0]?.query).toMatch(/take=\d{4,}/);
  });
});

describe('how an answer is parsed', () => {
  it('names the columns an entity reads as decimals (an employee’s hours per week; none of a leave’s)', () => {
    expect(bindingOf(Employee).connector).toBe('Profit_Employees');
    expect(numbersOf('Profit_Employees').numbers.decimals).toContain('HoursPerWeek');
    expect(numbersOf('profit_leaves').numbers.decimals).toEqual([]);
  });

  it('reads a column not bound as decimal exactly all the same once a number in it is not an integer', async () => {
    const store = h.emulator.company.store as DemoStore;
    const leaves = store.data.leaves;
    const leave = leaves[0];
    if (leave === undefined) throw new Error('the demo company has leaves');
    const hours = leave.hours;
    try {
      (leave as { hours: number }).hours = 7.25;
      store.changed();
      const query = { filter: [[{ field: 'LeaveId', op: 'eq' as const, value: leave.id }]], take: 1 };
      const { rows } = await new Loaders(h.client()).get('Profit_Leaves', query);
      expect(rows[0]?.Hours).toEqual(new ProfitDecimal('7.25'));
      expect(rows[0]?.Hours).toBeInstanceOf(ProfitDecimal);
    } finally {
      (leave as { hours: number }).hours = hours;
      store.changed();
    }
  });
});

describe('the request memo', () => {
  it('sends an identical GetConnector call once and counts it', async () => {
    const loaders = new Loaders(h.client());
    const calls = since();
    const query = { orderBy: [{ field: 'EmployeeId' }], take: 3 };
    const [a, b] = await Promise.all([loaders.get('Profit_Employees', query), loaders.get('Profit_Employees', query)]);
    expect(a).toBe(b);
    expect(calls()).toHaveLength(1);
    expect(loaders.stats).toEqual({ calls: 1, memoized: 1 });
  });
});
