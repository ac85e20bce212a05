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
  const m = PROFIT_DATETIME_PATTERN.exec(s);
  if (!m) throw new RangeError(`not a Profit datetime (expected YYYY-MM-DDTHH:mm:ssZ): ${JSON.stringify(s)}`);
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const ms = Number(`${m[7] ?? ''}000`.slice(0, 3));
  // Not Date.UTC: it maps years 0–99 to 1900–1999.
  const check = new Date(0);
  check.setUTCFullYear(year, month - 1, day);
  check.setUTCHours(hour, minute, second, ms);
  const wall = check.getTime();
  if (
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    throw new RangeError(`not a valid calendar datetime: ${JSON.stringify(s)}`);
  }
  return new Date(amsterdamWallToInstant(wall));
}

/**
 * The instant (ms since epoch) of an Amsterdam wall-clock time given as "UTC fields" ms. See the module
 * comment for the DST rules.
 */
function amsterdamWallToInstant(wall: number): number {
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

/** Per UTC day (days since the epoch), bounded: emptied when full. */
const dayOffsets = new Map<number, DayOffsets>();
const MAX_CACHED_DAYS = 50_000;

/**
 * Amsterdam's UTC offset in minutes at instant `t`, exactly as luxon's `IANAZone.offset` (Intl underneath)
 * answers, but asking Intl only a few times per UTC day ever seen: luxon formats through Intl on every call,
 * which dominated the cost of reading rows with datetimes. Assumes at most one offset change per UTC day, which
 * holds for Europe/Amsterdam's whole history (changes are months apart).
 */
function offsetMinutes(t: number): number {
  if (!Number.isFinite(t)) return zone.offset(t);
  const day = Math.floor(t / DAY_MS);
  let entry = dayOffsets.get(day);
  if (entry === undefined) {
    entry = offsetsOfDay(day);
    if (dayOffsets.size >= MAX_CACHED_DAYS) dayOffsets.clear();
    dayOffsets.set(day, entry);
  }
  return typeof entry === 'number' ? entry : t < entry.at ? entry.before : entry.after;
}

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
