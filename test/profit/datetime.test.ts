import fc from 'fast-check';
import { IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { fromProfitDateTime, instantText, isProfitDateTime, toProfitFilterDateTime } from '../../src/profit/index.js';

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

  it('gives each read its own Date, however often a text is read (the instants of texts are remembered)', () => {
    const first = fromProfitDateTime('2024-07-01T09:30:00Z');
    first.setTime(0);
    const again = fromProfitDateTime('2024-07-01T09:30:00Z');
    expect(again).not.toBe(first);
    expect(again.toISOString()).toBe('2024-07-01T07:30:00.000Z');
    // Refusals are not remembered as instants: the second read refuses as the first did.
    for (let i = 0; i < 2; i++) expect(() => fromProfitDateTime('2024-02-30T00:00:00Z')).toThrow(/calendar/);
    expect(() => fromProfitDateTime('2024-02-01 00:00:00')).toThrow(/not a Profit datetime/);
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

describe('fromProfitDateTime reads every datetime exactly as the rules say', () => {
  const zone = IANAZone.create('Europe/Amsterdam');

  /** The rules written out with luxon's zone on every step: the reference the fast reading must match. */
  function byTheRules(s: string): number {
    const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$/.exec(s);
    if (!m) throw new RangeError('shape');
    const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as number[] as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const check = new Date(0);
    check.setUTCFullYear(year, month - 1, day);
    check.setUTCHours(hour, minute, second, Number(`${m[7] ?? ''}000`.slice(0, 3)));
    if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
      throw new RangeError('calendar');
    }
    const wall = check.getTime();
    const before = zone.offset(wall - 3 * 3_600_000);
    const after = zone.offset(wall + 3 * 3_600_000);
    const candidates = (before === after ? [before] : [before, after])
      .map((offset) => wall - offset * 60_000)
      .filter((instant, i) => zone.offset(instant) === (before === after ? before : [before, after][i]));
    return candidates.length === 0 ? wall - before * 60_000 : Math.min(...candidates);
  }

  const read = (s: string): number | string => {
    try {
      return fromProfitDateTime(s).getTime();
    } catch (error) {
      return (error as Error).name;
    }
  };
  const reference = (s: string): number | string => {
    try {
      return byTheRules(s);
    } catch (error) {
      return (error as Error).name;
    }
  };
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const text = (y: number, mo: number, d: number, h: number, mi: number, s: number, fraction: string) =>
    `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}${fraction}Z`;
  const fraction = fc.constantFrom('', '.5', '.25', '.123', '.1234567', '.999999999');

  it('matches the rules on any wall time, valid or not, from year 0 to 9999', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        fc.integer({ min: 0, max: 24 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 60 }),
        fraction,
        (y, mo, d, h, mi, s, f) => {
          const t = text(y, mo, d, h, mi, s, f);
          expect(read(t), t).toEqual(reference(t));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('matches the rules around both changes of every year, hour by hour and minute by minute', () => {
    for (let y = 1940; y <= 2040; y++) {
      for (const month of [3, 10]) {
        // The last Sunday of the month, and the days either side of it.
        const last = new Date(Date.UTC(y, month, 0));
        const sunday = last.getUTCDate() - last.getUTCDay();
        for (const d of [sunday - 1, sunday, sunday + 1]) {
          for (let h = 0; h < 24; h++) {
            for (const mi of h >= 1 && h <= 3 ? [0, 1, 29, 30, 59] : [0]) {
              for (const f of ['', '.999']) {
                const t = text(y, month, d, h, mi, mi === 59 ? 59 : 0, f);
                expect(read(t), t).toEqual(reference(t));
              }
            }
          }
        }
      }
    }
  });
});

describe('instantText writes an instant exactly as toISOString does', () => {
  it('for any instant from before year 1 to after year 9999', () => {
    fc.assert(
      fc.property(fc.integer({ min: -62_200_000_000_000, max: 253_500_000_000_000 }), (t) => {
        const d = new Date(t);
        expect(instantText(d)).toBe(d.toISOString());
        expect(instantText(d)).toBe(d.toISOString()); // again, from what it kept
      }),
      { numRuns: 20_000 },
    );
  });

  it('at the edges of days, leap days and the four-digit years', () => {
    for (const text of [
      '0001-01-01T00:00:00.000Z',
      '0000-12-31T23:59:59.999Z',
      '9999-12-31T23:59:59.999Z',
      '+010000-01-01T00:00:00.000Z',
      '1970-01-01T00:00:00.000Z',
      '1969-12-31T23:59:59.999Z',
      '2000-02-29T12:00:00.000Z',
      '2100-02-28T23:59:59.999Z',
      '2100-03-01T00:00:00.000Z',
      '2024-10-27T01:00:00.001Z',
    ]) {
      expect(instantText(new Date(text))).toBe(text);
    }
  });
});
