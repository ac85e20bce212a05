import { describe, expect, it } from 'vitest';
import { fromProfitDateTime, isProfitDateTime, toProfitFilterDateTime } from '../../src/profit/index.js';

const iso = (s: string) => fromProfitDateTime(s).toISOString();

describe('fromProfitDateTime: the Z is Amsterdam local time', () => {
  it('reads winter times as +01:00 and summer times as +02:00', () => {
    expect(iso('2024-01-15T12:00:00Z')).toBe('2024-01-15T11:00:00.000Z');
    expect(iso('2024-07-01T12:00:00Z')).toBe('2024-07-01T10:00:00.000Z');
    expect(iso('2012-11-22T09:49:49Z')).toBe('2012-11-22T08:49:49.000Z');
  });

  it('keeps milliseconds and truncates finer fractions', () => {
    expect(iso('2024-01-15T12:00:00.1234567Z')).toBe('2024-01-15T11:00:00.123Z');
    expect(iso('2024-01-15T12:00:00.5Z')).toBe('2024-01-15T11:00:00.500Z');
  });

  describe('spring change, 31 March 2024 (02:00 CET → 03:00 CEST)', () => {
    it('reads the last minute before the change as +01:00', () => {
      expect(iso('2024-03-31T01:59:59Z')).toBe('2024-03-31T00:59:59.000Z');
    });
    it('reads 03:00 as +02:00', () => {
      expect(iso('2024-03-31T03:00:00Z')).toBe('2024-03-31T01:00:00.000Z');
    });
    it('moves a non-existent time in the gap forward by an hour (read with +01:00)', () => {
      expect(iso('2024-03-31T02:00:00Z')).toBe('2024-03-31T01:00:00.000Z');
      expect(iso('2024-03-31T02:30:00Z')).toBe('2024-03-31T01:30:00.000Z');
    });
  });

  describe('autumn change, 27 October 2024 (03:00 CEST → 02:00 CET)', () => {
    it('reads 01:59:59 as +02:00', () => {
      expect(iso('2024-10-27T01:59:59Z')).toBe('2024-10-26T23:59:59.000Z');
    });
    it('picks the earlier occurrence (+02:00) for the hour that occurs twice', () => {
      expect(iso('2024-10-27T02:00:00Z')).toBe('2024-10-27T00:00:00.000Z');
      expect(iso('2024-10-27T02:30:00Z')).toBe('2024-10-27T00:30:00.000Z');
      expect(iso('2024-10-27T02:59:59Z')).toBe('2024-10-27T00:59:59.000Z');
    });
    it('reads 03:00 as +01:00', () => {
      expect(iso('2024-10-27T03:00:00Z')).toBe('2024-10-27T02:00:00.000Z');
    });
  });

  it('accepts exactly the Profit shape', () => {
    expect(isProfitDateTime('2024-01-15T12:00:00Z')).toBe(true);
    for (const s of [
      '2024-01-15T12:00:00',
      '2024-01-15T12:00:00+01:00',
      '2024-01-15',
      ' 2024-01-15T12:00:00Z',
      '2024-1-15T12:00:00Z',
    ]) {
      expect(isProfitDateTime(s)).toBe(false);
      expect(() => fromProfitDateTime(s)).toThrow(RangeError);
    }
  });

  it('refuses impossible calendar values', () => {
    expect(() => fromProfitDateTime('2024-02-30T00:00:00Z')).toThrow(RangeError);
    expect(() => fromProfitDateTime('2024-01-01T24:00:00Z')).toThrow(RangeError);
  });

  it('handles years below 100 without mapping them to the 1900s', () => {
    expect(fromProfitDateTime('0050-06-01T12:00:00Z').getUTCFullYear()).toBe(50);
  });
});

describe('toProfitFilterDateTime', () => {
  it('renders Amsterdam local time without Z', () => {
    expect(toProfitFilterDateTime(new Date('2024-01-15T11:00:00Z'))).toBe('2024-01-15T12:00:00');
    expect(toProfitFilterDateTime(new Date('2024-07-01T10:00:00.999Z'))).toBe('2024-07-01T12:00:00');
  });

  it('follows both 2024 DST changes', () => {
    expect(toProfitFilterDateTime(new Date('2024-03-31T00:59:59Z'))).toBe('2024-03-31T01:59:59');
    expect(toProfitFilterDateTime(new Date('2024-03-31T01:00:00Z'))).toBe('2024-03-31T03:00:00');
    expect(toProfitFilterDateTime(new Date('2024-10-27T00:30:00Z'))).toBe('2024-10-27T02:30:00');
    expect(toProfitFilterDateTime(new Date('2024-10-27T01:30:00Z'))).toBe('2024-10-27T02:30:00');
    expect(toProfitFilterDateTime(new Date('2024-10-27T02:00:00Z'))).toBe('2024-10-27T03:00:00');
  });

  it('round-trips times all through 2024 except the repeated autumn hour', () => {
    const start = Date.UTC(2024, 0, 1);
    for (let t = start; t < Date.UTC(2025, 0, 1); t += 37 * 60_000) {
      const local = toProfitFilterDateTime(new Date(t));
      if (local.startsWith('2024-10-27T02:')) continue;
      expect(fromProfitDateTime(`${local}Z`).getTime()).toBe(t);
    }
  });

  it('refuses an invalid Date', () => {
    expect(() => toProfitFilterDateTime(new Date(Number.NaN))).toThrow(RangeError);
  });
});
