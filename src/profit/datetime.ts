/**
 * Profit's datetimes. GetConnectors render datetimes as `2012-11-22T09:49:49Z`, but the `Z` is false: the wall
 * clock is Amsterdam local time (AFAS: "We recommend ignoring this Z. The time is always Amsterdam GMT").
 * Filter values go the other way, as Amsterdam local time without any zone designator.
 *
 * Local times around the DST changes are resolved like Temporal's `disambiguation: 'compatible'`:
 * - autumn (last Sunday of October, 02:00–03:00 occurs twice): the EARLIER occurrence, i.e. the summer
 *   offset +02:00, is chosen. Profit stores no offset, so the second occurrence cannot be told apart;
 * - spring (last Sunday of March, 02:00–03:00 does not exist): the time is read with the offset in force
 *   before the change (+01:00), which moves it forward by the gap: `02:30` becomes 03:30 CEST (01:30 UTC).
 *   Such values can only come from hand-typed data; failing a whole page of rows over one would be worse.
 */
import { IANAZone } from 'luxon';

export const PROFIT_TIME_ZONE = 'Europe/Amsterdam';

const zone = IANAZone.create(PROFIT_TIME_ZONE);

/** Exactly Profit's datetime shape: `YYYY-MM-DDTHH:mm:ss` + optional fraction + the misleading `Z`. */
export const PROFIT_DATETIME_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$/;

const HOUR_MS = 3_600_000;

/** Whether `s` has exactly the shape of a Profit datetime (`YYYY-MM-DDTHH:mm:ss[.fff]Z`). */
export function isProfitDateTime(s: string): boolean {
  return PROFIT_DATETIME_PATTERN.test(s);
}

/**
 * Converts Profit's `YYYY-MM-DDTHH:mm:ss[.fff]Z` (Amsterdam wall-clock time) to a true instant.
 * Fractions beyond milliseconds are truncated. Throws a `RangeError` for any other shape or an impossible
 * calendar value (e.g. month 13).
 */
export function fromProfitDateTime(s: string): Date {
  const instant = profitDateTimeInstant(s);
  if (typeof instant === 'number') return new Date(instant);
  throw new RangeError(
    instant === SHAPE
      ? `not a Profit datetime (expected YYYY-MM-DDTHH:mm:ssZ): ${JSON.stringify(s)}`
      : `not a valid calendar datetime: ${JSON.stringify(s)}`,
  );
}

/**
 * `fromProfitDateTime`, or `undefined` where it would throw (another shape, an impossible calendar value): for
 * reading a cell, where one odd value must not fail a page of rows.
 */
export function tryProfitDateTime(s: string): Date | undefined {
  const instant = profitDateTimeInstant(s);
  return typeof instant === 'number' ? new Date(instant) : undefined;
}

const SHAPE = 'shape';
const CALENDAR = 'calendar';

/**
 * The instants of the datetime texts read last, ms since the epoch (or why a text is none): a page repeats its
 * dates (a leave's start and end, a day's modifications) and later requests read the same rows again. Instants are
 * kept as numbers: each read gets its own `Date` (a `Date` can be changed by whoever holds it).
 */
const profitDateTimeInstant = boundedMemo(20_000, computeInstant);

function computeInstant(s: string): number | typeof SHAPE | typeof CALENDAR {
  if (!PROFIT_DATETIME_PATTERN.test(s)) return SHAPE;
  // The pattern fixed every position: digits are read in place rather than through the match's substrings.
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const second = digits(s, 17, 2);
  // `.f`, `.ff`, `.fff…`: the first three fraction digits, right-padded with zeros.
  let ms = 0;
  if (s.charCodeAt(19) === 46 /* . */) {
    for (let i = 20; i < 23; i++) {
      const c = s.charCodeAt(i);
      ms = ms * 10 + (c >= 48 && c <= 57 ? c - 48 : 0);
    }
  }
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
    return CALENDAR;
  }
  // Not Date.UTC below year 100: it maps years 0–99 to 1900–1999.
  let wall: number;
  if (year >= 100) wall = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  else {
    const d = new Date(0);
    d.setUTCFullYear(year, month - 1, day);
    d.setUTCHours(hour, minute, second, ms);
    wall = d.getTime();
  }
  return amsterdamWallToInstant(wall);
}

/** The number written by `count` ASCII digits of `s` from `start` (the caller has checked they are digits). */
export function digits(s: string, start: number, count: number): number {
  let n = 0;
  for (let i = start; i < start + count; i++) n = n * 10 + s.charCodeAt(i) - 48;
  return n;
}

/** Days in a month of the proleptic Gregorian calendar (as `Date` counts them). */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** `compute`, remembered per key in a map emptied when it holds `max` entries (the caches below). */
function boundedMemo<K, V>(max: number, compute: (key: K) => V): (key: K) => V {
  const known = new Map<K, V>();
  return (key) => {
    let value = known.get(key);
    if (value === undefined) {
      value = compute(key);
      if (known.size >= max) known.clear();
      known.set(key, value);
    }
    return value;
  };
}

/**
 * Per wall-clock day (days since the epoch of the "UTC fields" ms): the offset in minutes when one offset is in
 * force from a day before to a day after it, else `null` (a change is near: the full rules below decide).
 * Bounded: emptied when full.
 */
const MAX_CACHED_DAYS = 50_000;
const constantOffsetOfWallDay = boundedMemo(MAX_CACHED_DAYS, constantOffsetAround);

/**
 * The instant (ms since epoch) of an Amsterdam wall-clock time given as "UTC fields" ms. See the module
 * comment for the DST rules. On a wall day whose neighbouring UTC days all have the one offset, every rule
 * below gives `wall - offset`: that answer is kept per wall day, so a page of datetimes costs a map look-up each.
 */
function amsterdamWallToInstant(wall: number): number {
  const constant = constantOffsetOfWallDay(Math.floor(wall / DAY_MS));
  return constant === null ? amsterdamWallToInstantNearChange(wall) : wall - constant * 60_000;
}

/**
 * The offset in force on UTC days `day - 1` to `day + 1` when it is one, else `null`. Amsterdam's offsets are
 * well under a day, so every instant the rules look at for a wall time on `day` (±3 h, wall − offset) lies there.
 */
function constantOffsetAround(day: number): number | null {
  if (!Number.isFinite(day)) return null;
  const first = offsetsOfCachedDay(day - 1);
  if (typeof first !== 'number') return null;
  return offsetsOfCachedDay(day) === first && offsetsOfCachedDay(day + 1) === first ? first : null;
}

/** `amsterdamWallToInstant` by the rules themselves, for wall times near an offset change. */
function amsterdamWallToInstantNearChange(wall: number): number {
  // Offsets in force a little before and a little after this wall time; they differ only near a change.
  const before = offsetMinutes(wall - 3 * HOUR_MS);
  const after = offsetMinutes(wall + 3 * HOUR_MS);
  const candidates: number[] = [];
  for (const offsetMin of before === after ? [before] : [before, after]) {
    const instant = wall - offsetMin * 60_000;
    if (offsetMinutes(instant) === offsetMin) candidates.push(instant);
  }
  if (candidates.length === 0) {
    // Spring gap: read with the offset before the change, which moves the time forward by the gap.
    return wall - before * 60_000;
  }
  // One candidate, or two in the autumn overlap: the earlier instant is the first occurrence (+02:00).
  return Math.min(...candidates);
}

const DAY_MS = 24 * HOUR_MS;

/** A UTC day's offsets: one number when constant all day, else the instant of its change and both offsets. */
type DayOffsets = number | { readonly at: number; readonly before: number; readonly after: number };

/**
 * Amsterdam's UTC offset in minutes at instant `t`, exactly as luxon's `IANAZone.offset` (Intl underneath)
 * answers, but asking Intl only a few times per UTC day ever seen: luxon formats through Intl on every call,
 * which dominated the cost of reading rows with datetimes. Assumes at most one offset change per UTC day, which
 * holds for Europe/Amsterdam's whole history (changes are months apart).
 */
function offsetMinutes(t: number): number {
  if (!Number.isFinite(t)) return zone.offset(t);
  const entry = offsetsOfCachedDay(Math.floor(t / DAY_MS));
  return typeof entry === 'number' ? entry : t < entry.at ? entry.before : entry.after;
}

/** Per UTC day (days since the epoch), bounded: emptied when full. */
const offsetsOfCachedDay = boundedMemo(MAX_CACHED_DAYS, offsetsOfDay);

function offsetsOfDay(day: number): DayOffsets {
  const start = day * DAY_MS;
  const last = start + DAY_MS - 1;
  const before = zone.offset(start);
  const after = zone.offset(last);
  if (before === after) return before;
  // Binary search for the first millisecond with the new offset: offset(lo) = before, offset(hi) ≠ before.
  let lo = start;
  let hi = last;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (zone.offset(mid) === before) lo = mid;
    else hi = mid;
  }
  return { at: hi, before, after };
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/**
 * Renders an instant as Amsterdam local time `YYYY-MM-DDTHH:mm:ss` without any zone designator: how Profit
 * reads filter values and UpdateConnector datetimes. Milliseconds are dropped (Profit keeps whole seconds).
 */
export function toProfitFilterDateTime(d: Date): string {
  const t = d.getTime();
  if (Number.isNaN(t)) throw new RangeError('invalid Date');
  const local = new Date(t + offsetMinutes(t) * 60_000);
  const year = local.getUTCFullYear();
  if (year < 1 || year > 9999) throw new RangeError(`year ${year} is outside what Profit can store`);
  return (
    `${pad(year, 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
    `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`
  );
}

const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
/** 0001-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z: the years written with exactly four digits. */
const FOUR_DIGIT_YEARS = [-62_135_596_800_000, 253_402_300_799_999] as const;

/** Texts of instants already written, bounded: a page's datetimes repeat (days at midnight, shared times). */
const textOfInstant = boundedMemo(50_000, (t: number) =>
  t >= FOUR_DIGIT_YEARS[0] && t <= FOUR_DIGIT_YEARS[1] ? formatInstant(t) : new Date(t).toISOString(),
);

/**
 * Exactly `d.toISOString()` (`YYYY-MM-DDTHH:mm:ss.sssZ`), for a valid Date. V8's own takes ~0.8 µs, a large part
 * of writing a page of datetimes; this computes the calendar fields by integer arithmetic (days to civil date,
 * H. Hinnant's algorithm) and keeps the texts of instants it has written.
 */
export function instantText(d: Date): string {
  return textOfInstant(d.getTime());
}

function formatInstant(t: number): string {
  const days = Math.floor(t / DAY_MS);
  let ms = t - days * DAY_MS;
  const z = days + 719_468; // days since 0000-03-01
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153); // March = 0
  const day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const hour = Math.floor(ms / HOUR_MS);
  ms -= hour * HOUR_MS;
  const minute = Math.floor(ms / 60_000);
  ms -= minute * 60_000;
  const second = Math.floor(ms / 1000);
  ms -= second * 1000;
  const two = TWO_DIGITS;
  return `${two[Math.floor(year / 100)]}${two[year % 100]}-${two[month]}-${two[day]}T${two[hour]}:${two[minute]}:${two[second]}.${THREE_DIGITS[ms]}Z`;
}
