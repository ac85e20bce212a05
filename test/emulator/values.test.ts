import { describe, expect, it } from 'vitest';
import { Decimal } from '../../src/emulator/company/types.js';
import { canonicalDecimal, compareDecimal, normalizeLocalDateTime, renderCell } from '../../src/emulator/values.js';

describe('decimals', () => {
  it.each([
    ['1', '1'],
    ['-0.50', '-0.5'],
    ['+007.100', '7.1'],
    ['-0', '0'],
    ['.5', '0.5'],
    ['1e3', '1000'],
    ['1.5E-3', '0.0015'],
    ['12345678901234567890.123456789', '12345678901234567890.123456789'],
  ])('reads %s as %s without passing through a float', (text, canonical) => {
    expect(canonicalDecimal(text)).toBe(canonical);
  });

  it.each(['', '-', '1,5', 'abc', '1.2.3', 'NaN'])('does not read %j as a number', (text) => {
    expect(canonicalDecimal(text)).toBeUndefined();
  });

  it('compares exactly where doubles cannot', () => {
    expect(compareDecimal('0.30000000000000000001', '0.3')).toBe(1);
    expect(compareDecimal('-2', '-10')).toBe(1);
    expect(compareDecimal('10.5', '10.50')).toBe(0);
    expect(compareDecimal('-0.1', '0')).toBe(-1);
  });

  it('renders a Decimal cell from its text, as Profit 7 writes -0.5', () => {
    expect(renderCell(new Decimal('-0.5'), 'decimal')).toBe('-0.5');
    expect(renderCell(new Decimal('10.50'), 'decimal')).toBe('10.50');
    expect(renderCell(1e21, 'decimal')).toBe('1000000000000000000000');
  });
});

describe('datetimes', () => {
  it('normalises dates and datetimes to local YYYY-MM-DDTHH:mm:ss, ignoring a trailing Z', () => {
    expect(normalizeLocalDateTime('2024-03-31')).toBe('2024-03-31T00:00:00');
    expect(normalizeLocalDateTime('2024-03-31T02:30')).toBe('2024-03-31T02:30:00');
    expect(normalizeLocalDateTime('2024-03-31T02:30:15.123Z')).toBe('2024-03-31T02:30:15');
    expect(normalizeLocalDateTime('2024-02-30')).toBeUndefined();
    expect(normalizeLocalDateTime('2024-03-31T24:00:00')).toBeUndefined();
  });

  it('renders a stored datetime with the misleading Z and no conversion', () => {
    expect(renderCell('2024-03-31T02:30:00', 'date')).toBe('"2024-03-31T02:30:00Z"');
    expect(renderCell('', 'date')).toBe('null');
  });
});
