/**
 * Keys that differ only in case are one key: Profit compares text case-insensitively, so `annav` and `ANNAV` are
 * the same employee. They are sent to Profit as one filter value in one call, never as two, whether they arrive
 * as `_entities` representations, through the key loader or through a relation loader; and each answers the row.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LogEntry } from '../../src/emulator/log.js';
import { bindingOf } from '../../src/graphql/binding.js';
import { Loaders } from '../../src/graphql/index.js';
import { Employee, Leave } from '../../src/model/index.js';
import { type Harness, startHarness } from './helpers.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ scale: 1 });
});
afterAll(() => h?.close());
beforeEach(() => h.emulator.faults.clear());

const since = () => {
  const before = h.emulator.log.entries().at(-1)?.seq ?? 0;
  return () => h.emulator.log.entries().filter((e) => e.seq > before);
};

/** A GetConnector call as its connector and the filter it carried: `[field, operator, value]` per condition. */
function filterOf(call: LogEntry): { connector: string; conditions: string[][] } {
  const params = new URLSearchParams(call.query);
  const split = (name: string) => (params.get(name) ?? '').split(/[;,]/);
  const fields = split('filterfieldids');
  const values = split('filtervalues');
  const operators = split('operatortypes');
  return {
    connector: decodeURIComponent(call.path.replace(/^.*\/connectors\//i, '')),
    conditions: fields.map((f, i) => [f, operators[i] ?? '', values[i] ?? '']),
  };
}

/** `text` in any case: which of the spellings is sent is not specified, only that one is. */
const anyCase = (text: string) =>
  expect.stringMatching(new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'i'));

/** An employee whose id has letters, so its lower-case form differs. */
function employeeWithLetters(): Employee & { employeeId: string } {
  const employee = h.data.employees.find((e) => e.employeeId.toLowerCase() !== e.employeeId);
  if (!employee) throw new Error('the demo company has no employee id with letters');
  return employee as unknown as Employee & { employeeId: string };
}

describe('keys differing only in case', () => {
  it('are one _entities key: one Profit_Employees call with one filter value, both resolved to the row', async () => {
    const { employeeId } = employeeWithLetters();
    const representations = [employeeId.toLowerCase(), employeeId, employeeId.toLowerCase()].map((id) => ({
      __typename: 'Employee',
      employeeId: id,
    }));
    const { result, calls } = await h.run(
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Employee { employeeId } } }',
      { r: representations },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toEqual([{ employeeId }, { employeeId }, { employeeId }]);
    expect(calls.map(filterOf)).toEqual([
      { connector: 'Profit_Employees', conditions: [['EmployeeId', '1', anyCase(employeeId)]] },
    ]);
  });

  it('are one key of the key loader: one call with one filter value', async () => {
    const { employeeId } = employeeWithLetters();
    const loaders = new Loaders(h.client());
    const calls = since();
    const results = await loaders
      .entity<Employee>(bindingOf(Employee))
      .loadMany([[employeeId.toLowerCase()], [employeeId], [`${employeeId.toLowerCase()} `]]);
    expect(results.map((e) => (e as Employee | null)?.employeeId)).toEqual([employeeId, employeeId, employeeId]);
    expect(calls().map(filterOf)).toEqual([
      {
        connector: 'Profit_Employees',
        conditions: [['EmployeeId', '1', anyCase(employeeId)]],
      },
    ]);
  });

  it('are one parent value of a relation loader: one call with one filter value', async () => {
    const leave = h.data.leaves.find((l) => l.employeeId.toLowerCase() !== l.employeeId)!;
    const loaders = new Loaders(h.client());
    const loader = loaders.matching<Leave>(bindingOf(Leave), {
      properties: ['employeeId'],
      filter: [],
      orderBy: [{ field: 'LeaveId' }],
      fingerprint: 'key-case',
    });
    const calls = since();
    const [lower, upper] = await Promise.all([
      loader.load([leave.employeeId.toLowerCase()]),
      loader.load([leave.employeeId.toUpperCase()]),
    ]);
    const expected = h.data.leaves.filter((l) => l.employeeId === leave.employeeId).map((l) => l.id);
    expect(upper.map((l) => l.leaveId)).toEqual(expected);
    expect(lower.map((l) => l.leaveId)).toEqual(expected);
    expect(calls().map(filterOf)).toEqual([
      {
        connector: 'Profit_Leaves',
        conditions: [['EmployeeId', '1', anyCase(leave.employeeId)]],
      },
    ]);
  });

  it('are one key across ticks: a later load in another case is answered from the request’s loader, no call', async () => {
    const { employeeId } = employeeWithLetters();
    const loaders = new Loaders(h.client());
    const loader = loaders.entity<Employee>(bindingOf(Employee));
    const calls = since();
    const first = await loader.load([employeeId.toLowerCase()]);
    const again = await loader.load([employeeId]);
    expect(again).toBe(first);
    expect(calls().map(filterOf)).toEqual([
      { connector: 'Profit_Employees', conditions: [['EmployeeId', '1', anyCase(employeeId)]] },
    ]);
  });

  it('are one parent value across ticks: a later relation load in another case makes no call', async () => {
    const leave = h.data.leaves.find((l) => l.employeeId.toLowerCase() !== l.employeeId)!;
    const loader = new Loaders(h.client()).matching<Leave>(bindingOf(Leave), {
      properties: ['employeeId'],
      filter: [],
      orderBy: [{ field: 'LeaveId' }],
      fingerprint: 'key-case',
    });
    const calls = since();
    const first = await loader.load([leave.employeeId.toLowerCase()]);
    const again = await loader.load([leave.employeeId.toUpperCase()]);
    expect(again).toBe(first);
    expect(calls()).toHaveLength(1);
  });
});
