import { describe, expect, it } from 'vitest';
import {
  compareDecimalText,
  compareText,
  mergeSortedRows,
  ProfitDecimal,
  type ProfitRow,
  rowComparator,
} from '../../src/profit/index.js';

const types = new Map([
  ['Id', 'int'],
  ['Name', 'string'],
  ['Amount', 'decimal'],
  ['Since', 'date'],
  ['Active', 'boolean'],
] as const);
const byId = (r: ProfitRow) => String(r.Id);

describe('Profit’s sort order, reproduced', () => {
  it('compares decimals exactly, digit by digit, beyond a float’s precision', () => {
    expect(compareDecimalText('12345678901234567890.5', '12345678901234567890.49')).toBe(1);
    expect(compareDecimalText('-2', '-10')).toBe(1);
    expect(compareDecimalText('-0.5', '0')).toBe(-1);
    expect(compareDecimalText('1.50', '1.5')).toBe(0);
  });

  it('compares text case-insensitively and accent-sensitively, ignoring trailing spaces', () => {
    expect(compareText('abc', 'ABC')).toBe(0);
    expect(compareText('abc ', 'abc')).toBe(0);
    expect(compareText('e', 'é')).not.toBe(0);
    expect(compareText('b', 'A')).toBeGreaterThan(0);
  });

  it('sorts nulls first ascending and last descending, numbers by value, dates by instant, false before true', () => {
    const rows: ProfitRow[] = [
      { Id: 1, Amount: new ProfitDecimal('10'), Since: new Date('2024-01-02T00:00:00Z'), Active: true },
      { Id: 2, Amount: null, Since: null, Active: null },
      { Id: 3, Amount: 9.5, Since: new Date('2023-12-31T00:00:00Z'), Active: false },
    ];
    const order = (field: string, descending = false) =>
      [...rows].sort(rowComparator([{ field, descending }], types)).map(byId);
    expect(order('Amount')).toEqual(['2', '3', '1']);
    expect(order('Amount', true)).toEqual(['1', '3', '2']);
    expect(order('Since')).toEqual(['2', '3', '1']);
    expect(order('Active')).toEqual(['2', '3', '1']);
  });
});

describe('merging the answers of a split filter', () => {
  const compare = rowComparator([{ field: 'Name' }, { field: 'Id' }], types);

  it('interleaves sorted lists in order, ties broken by the next key, and keeps a row matched twice once', () => {
    const a: ProfitRow[] = [
      { Id: 1, Name: 'anna' },
      { Id: 4, Name: 'Bert' },
      { Id: 5, Name: 'bert' },
    ];
    const b: ProfitRow[] = [
      { Id: 2, Name: 'Anna' },
      { Id: 4, Name: 'Bert' },
      { Id: 3, Name: 'Cees' },
    ];
    const merged = mergeSortedRows([a, b], compare, byId);
    expect(merged.ok && merged.rows.map(byId)).toEqual(['1', '2', '4', '5', '3']);
  });

  it('refuses to guess when a call’s own order is not the order reproduced here (another collation)', () => {
    const a: ProfitRow[] = [
      { Id: 1, Name: 'b' },
      { Id: 2, Name: 'a' },
    ];
    expect(mergeSortedRows([[{ Id: 3, Name: 'c' }], a], compare, byId)).toEqual({ ok: false, list: 1, at: 0 });
  });

  it('equals sorting the union and dropping repeats, for many overlapping lists, and stops at a limit', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const names = ['anna', 'Anna', 'bert', 'Çelik', 'cees', 'de Vries', 'Zoë', null];
    const universe: ProfitRow[] = Array.from({ length: 300 }, (_, i) => ({
      Id: i,
      Name: names[Math.floor(random() * names.length)] ?? null,
    }));
    const lists = Array.from({ length: 13 }, () => universe.filter(() => random() < 0.2).sort(compare));
    const union = [...new Map(lists.flat().map((r) => [byId(r), r])).values()].sort(compare);
    const merged = mergeSortedRows(lists, compare, byId);
    expect(merged.ok && merged.rows.map(byId)).toEqual(union.map(byId));
    const limited = mergeSortedRows(lists, compare, byId, 25);
    expect(limited.ok && limited.rows.map(byId)).toEqual(union.slice(0, 25).map(byId));
  });

  it('merges no lists into none', () => {
    expect(mergeSortedRows([], compare, byId)).toEqual({ ok: true, rows: [] });
  });
});
