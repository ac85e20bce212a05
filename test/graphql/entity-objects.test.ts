/**
 * Entity objects (`fromProfitRow`) read their row when a field is read: each value as its field's declared type
 * says, the same each time, and what a plain object of converted values would give to every other reader.
 */
import { describe, expect, it } from 'vitest';
import { bindingOf, fromProfitRow } from '../../src/graphql/binding.js';
import { Employee } from '../../src/model/employee.js';
import { fromProfitDateTime, type ProfitRow, parseProfitJson } from '../../src/profit/index.js';

const binding = bindingOf(Employee);

/** A row as the client hands it over (parsed, nothing converted), with a text column that reads like a date. */
function row(): ProfitRow {
  const { rows } = parseProfitJson(
    '{"rows":[{"EmployeeId":"2024-01-01","PersonId":"1000585","Name":"Allard Jansen","DvId":1,' +
      '"DateInService":"2006-06-11T00:00:00Z","DateOutService":null,"HoursPerWeek":38.00,"Salary":12345678901234567.25,' +
      '"Blocked":true,"CreateDate":"2019-01-13T13:32:54Z","ModifiedDate":"not a date","Unbound":"x"}]}',
  ) as { rows: ProfitRow[] };
  return rows[0] as ProfitRow;
}

describe('entity objects', () => {
  it('read each field as its declared type: days, instants, decimals; text stays text', () => {
    const e = fromProfitRow<Record<string, unknown>>(binding, row());
    expect(e).toBeInstanceOf(Employee);
    expect(e.employeeId).toBe('2024-01-01');
    expect(e.dateInService).toBe('2006-06-11');
    expect(e.dateOutService).toBeNull();
    expect(e.createdAt).toEqual(fromProfitDateTime('2019-01-13T13:32:54Z'));
    expect(e.modifiedAt).toBe('not a date');
    expect(String(e.hoursPerWeek)).toBe('38');
    expect(String(e.salary)).toBe('12345678901234567.25');
    expect(e.employment).toBe(1);
    expect(e.blocked).toBe(true);
  });

  it('read a column the app connector withholds as null', () => {
    const e = fromProfitRow<Record<string, unknown>>(binding, row());
    expect(e.iban).toBeNull();
    expect(e.hourlyRate).toBeNull();
    expect(e.unbound).toBeUndefined();
  });

  it('give the same Date each time a date-time field is read', () => {
    const e = fromProfitRow<Record<string, unknown>>(binding, row());
    expect(e.createdAt).toBe(e.createdAt);
  });

  it('keep a value assigned to a field', () => {
    const e = fromProfitRow<Record<string, unknown>>(binding, row());
    e.name = 'Another';
    e.createdAt = null;
    expect(e.name).toBe('Another');
    expect(e.createdAt).toBeNull();
  });

  it('serialise as the object of every bound field, converted', () => {
    const json = JSON.parse(JSON.stringify(fromProfitRow(binding, row())));
    expect(Object.keys(json)).toEqual([...binding.fields.keys()]);
    expect(json).toMatchObject({
      employeeId: '2024-01-01',
      dateInService: '2006-06-11',
      createdAt: fromProfitDateTime('2019-01-13T13:32:54Z').toISOString(),
      hoursPerWeek: '38',
      iban: null,
    });
  });
});
