/** The custom scalars: exact decimals and true instants. */
import { Kind } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DateTimeScalar, DecimalScalar } from '../../src/graphql/index.js';
import { ProfitDecimal } from '../../src/profit/index.js';

describe('Decimal', () => {
  it('serializes Profit decimals as their exact text, never through a float', () => {
    expect(DecimalScalar.serialize(new ProfitDecimal('12345678901234567890.123456789'))).toBe(
      '12345678901234567890.123456789',
    );
    expect(DecimalScalar.serialize(4000)).toBe('4000');
    expect(DecimalScalar.serialize(-0.5)).toBe('-0.5');
  });

  it('reads a numeric literal by its text, so 0.10 stays exact', () => {
    const parsed = DecimalScalar.parseLiteral({ kind: Kind.FLOAT, value: '12345678901234567.10' }, {});
    expect(parsed).toBeInstanceOf(ProfitDecimal);
    expect((parsed as ProfitDecimal).text).toBe('12345678901234567.1');
    expect((DecimalScalar.parseValue('-1234.50') as ProfitDecimal).text).toBe('-1234.5');
  });

  it('refuses text that is not a plain decimal', () => {
    expect(() => DecimalScalar.parseValue('1e5')).toThrow(/plain decimal/);
    expect(() => DecimalScalar.parseValue('12,5')).toThrow(/plain decimal/);
  });
});

describe('DateTime', () => {
  it('serializes instants in ISO 8601 UTC', () => {
    expect(DateTimeScalar.serialize(new Date('2024-03-31T07:30:00Z'))).toBe('2024-03-31T07:30:00.000Z');
  });

  it('reads Profit’s own text as Amsterdam time when a connection left it unconverted', () => {
    expect(DateTimeScalar.serialize('2024-07-01T09:00:00Z')).toBe('2024-07-01T07:00:00.000Z');
  });

  it('takes an instant with an offset, or a bare date as midnight in Amsterdam', () => {
    expect((DateTimeScalar.parseValue('2024-03-31T11:30:00+02:00') as Date).toISOString()).toBe(
      '2024-03-31T09:30:00.000Z',
    );
    expect((DateTimeScalar.parseValue('2024-01-15') as Date).toISOString()).toBe('2024-01-14T23:00:00.000Z');
    expect((DateTimeScalar.parseValue('2024-07-15') as Date).toISOString()).toBe('2024-07-14T22:00:00.000Z');
  });

  it('refuses a date-time without an offset, which would mean different instants on different servers', () => {
    expect(() => DateTimeScalar.parseValue('2024-03-31T11:30:00')).toThrow(/offset/);
    expect(() => DateTimeScalar.parseValue('tomorrow')).toThrow(/ISO 8601/);
  });
});
