/**
 * Row conversion is directed by declared column types, never by the shape of a value. Pure.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convertCell, fromRow, ProfitDecimal, parseProfitJson, profitDay } from '../../src/profit/index.js';

const row = parseProfitJson(
  JSON.stringify({
    Note: '2024-01-01T00:00:00Z',
    Code: '2012-11-22',
    DateBirth: '1980-05-17T00:00:00Z',
    ModifiedDate: '2024-03-31T03:00:00Z',
    Odd: 'not a date',
    Amount: 0.1,
    Count: 7,
    Ok: false,
    Empty: null,
  }),
) as Record<string, unknown>;

describe('fromRow', () => {
  it('converts nothing without declared columns: a note shaped like a datetime stays text', () => {
    const r = fromRow(row);
    expect(r.Note).toBe('2024-01-01T00:00:00Z');
    expect(r.DateBirth).toBe('1980-05-17T00:00:00Z');
    expect(r.ModifiedDate).toBe('2024-03-31T03:00:00Z');
  });

  it('reads a declared datetime as the instant of its Amsterdam wall-clock time, and a declared date as its day', () => {
    const r = fromRow(row, { columns: { DateBirth: 'date', ModifiedDate: 'datetime', Note: 'string' } });
    expect(r.DateBirth).toBe('1980-05-17');
    expect(r.ModifiedDate).toEqual(new Date('2024-03-31T01:00:00Z'));
    expect(r.Note).toBe('2024-01-01T00:00:00Z');
    expect(r.Code).toBe('2012-11-22');
  });

  it('leaves numbers, booleans and nulls as parsed whatever the declaration', () => {
    const r = fromRow(row, { columns: { Amount: 'string', Count: 'date', Ok: 'datetime', Empty: 'date' } });
    expect(r.Amount).toEqual(new ProfitDecimal('0.1'));
    expect(r.Count).toBe(7);
    expect(r.Ok).toBe(false);
    expect(r.Empty).toBeNull();
  });

  it('keeps a declared date or datetime that is not one as its text, rather than failing the page', () => {
    const r = fromRow(row, { columns: { Odd: 'datetime', Code: 'datetime' } });
    expect(r.Odd).toBe('not a date');
    expect(r.Code).toBe('2012-11-22');
    expect(convertCell('date', 'not a date')).toBe('not a date');
    expect(convertCell('date', '2023-02-29T00:00:00Z')).toBe('2023-02-29T00:00:00Z');
    expect(convertCell('datetime', '2024-13-01T00:00:00Z')).toBe('2024-13-01T00:00:00Z');
  });

  it('takes no column from the prototype chain', () => {
    const r = fromRow({ toString: '2024-01-01T00:00:00Z' }, { columns: {} });
    expect(r.toString).toBe('2024-01-01T00:00:00Z');
  });
});

describe('profitDay', () => {
  it.each([
    ['1980-05-17T00:00:00Z', '1980-05-17'],
    ['2024-03-31T23:59:59.123Z', '2024-03-31'],
    ['2000-02-29', '2000-02-29'],
  ])('reads %s as the day %s', (text, day) => expect(profitDay(text)).toBe(day));

  it.each(['2023-02-29', '2024-03-31T00:00:00', '2024-03-31T00:00:00+01:00', '0000-01-01', '31-03-2024', ''])(
    'refuses %j',
    (text) => expect(profitDay(text)).toBeUndefined(),
  );

  it('accepts exactly the days the calendar has, in every year from 1 to 9999', () => {
    const pad = (n: number, w: number) => String(n).padStart(w, '0');
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        (y, m, d) => {
          const check = new Date(0);
          check.setUTCFullYear(y, m - 1, d);
          const real = y >= 1 && check.getUTCMonth() === m - 1 && check.getUTCDate() === d;
          const text = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
          expect(profitDay(`${text}T00:00:00Z`)).toBe(real ? text : undefined);
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('reads Profit’s 20-character datetimes and bare days in place exactly as the pattern reads them', () => {
    const pattern = /^(\d{4})-(\d{2})-(\d{2})(?:T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z)?$/;
    const byPattern = (text: string): string | undefined => {
      const m = pattern.exec(text);
      if (!m) return undefined;
      const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
      const check = new Date(0);
      check.setUTCFullYear(y, mo - 1, d);
      return y >= 1 && check.getUTCMonth() === mo - 1 && check.getUTCDate() === d ? text.slice(0, 10) : undefined;
    };
    // Mostly digits where Profit writes digits, sometimes anything at any of the 20 places.
    const place = (digit: boolean, separator: string) =>
      fc.oneof(
        { weight: 12, arbitrary: digit ? fc.constantFrom(...'0123456789') : fc.constant(separator) },
        fc.constantFrom('0', '9', '-', 'T', ':', 'Z', '/', ' ', 'a', '\u0660'),
      );
    const shape = 'DDDD-DD-DDTDD:DD:DDZ';
    fc.assert(
      fc.property(fc.tuple(...[...shape].map((c) => place(c === 'D', c))), fc.boolean(), (chars, day) => {
        // A bare day too: the first ten places (what the Date scalar is handed by the read model).
        const text = (day ? chars.slice(0, 10) : chars).join('');
        expect(profitDay(text)).toBe(byPattern(text));
      }),
      { numRuns: 8000 },
    );
  });
});
