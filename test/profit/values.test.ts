import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { fromRow, ProfitDecimal, parseProfitJson, toPlainDecimal } from '../../src/profit/index.js';

describe('decimal parsing', () => {
  it('keeps safe integers as numbers', () => {
    expect(parseProfitJson('{"a":1,"b":-42,"c":9007199254740991}')).toEqual({ a: 1, b: -42, c: 9007199254740991 });
  });

  it('reads fractions as exact ProfitDecimals', () => {
    const v = parseProfitJson('{"a":-0.5,"b":0.1,"c":12345678901234567.891}') as Record<string, ProfitDecimal>;
    expect(v.a).toBeInstanceOf(ProfitDecimal);
    expect(v.a?.text).toBe('-0.5');
    expect(v.b?.text).toBe('0.1');
    expect(v.c?.text).toBe('12345678901234567.891');
  });

  it('reads integers beyond 2^53 as ProfitDecimals without rounding', () => {
    const v = parseProfitJson('{"id":9007199254740993}') as { id: ProfitDecimal };
    expect(v.id).toBeInstanceOf(ProfitDecimal);
    expect(String(v.id)).toBe('9007199254740993');
  });

  it('normalises exponent notation to plain digits', () => {
    expect(toPlainDecimal('1E-5')).toBe('0.00001');
    expect(toPlainDecimal('-1.25e3')).toBe('-1250');
    expect(toPlainDecimal('1.5E+20')).toBe('150000000000000000000');
    expect(toPlainDecimal('0.000')).toBe('0');
    expect(toPlainDecimal('-0.0')).toBe('0');
    expect(toPlainDecimal('007.50')).toBe('7.5');
  });

  it('serialises as its exact text and inspects readably', () => {
    const d = new ProfitDecimal('1.10');
    expect(JSON.stringify({ d })).toBe('{"d":"1.1"}');
    expect(inspect(d)).toBe('ProfitDecimal(1.1)');
    expect(d.toNumber()).toBe(1.1);
    expect(() => new ProfitDecimal('abc')).toThrow(TypeError);
  });
});

describe('rows', () => {
  const row = parseProfitJson(
    '{"Id":1,"Nm":"Jansen","Amount":-0.5,"CreateDate":"2012-11-22T09:49:49Z","Code":"2012-11-22","Empty":null,"Ok":true}',
  ) as Record<string, unknown>;

  it('turns the columns declared datetime into true instants and leaves other strings alone', () => {
    const r = fromRow(row, { columns: { CreateDate: 'datetime' } });
    expect(r.CreateDate).toEqual(new Date('2012-11-22T08:49:49Z'));
    expect(r.Code).toBe('2012-11-22');
    expect(r.Nm).toBe('Jansen');
    expect(r.Empty).toBeNull();
    expect(r.Ok).toBe(true);
    expect((r.Amount as ProfitDecimal).text).toBe('-0.5');
  });

  it('keeps datetime strings when conversion is off', () => {
    const columns = { CreateDate: 'datetime' } as const;
    expect(fromRow(row, { columns, convertDateTimes: false }).CreateDate).toBe('2012-11-22T09:49:49Z');
  });
});
