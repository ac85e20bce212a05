/**
 * Calendar arithmetic for stored values. Profit stores datetimes as Amsterdam wall-clock time without a zone, so
 * the company never converts: it counts days and seconds on a plain calendar (UTC arithmetic used only as a
 * calendar) and writes `YYYY-MM-DDTHH:mm:ss`.
 */
import { Random } from './random.js';

const DAY_MS = 86_400_000;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** `YYYY-MM-DD` → days since 1970-01-01 on the plain calendar. */
export function dayNumber(date: string): number {
  const [y, m, d] = date.slice(0, 10).split('-').map(Number);
  return Math.round(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1) / DAY_MS);
}

/** Days since 1970-01-01 → `YYYY-MM-DD`. */
export function dateOf(day: number): string {
  const d = new Date(day * DAY_MS);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** A date stored as Profit renders it: midnight of that day. */
export function dateCell(day: number): string {
  return `${dateOf(day)}T00:00:00`;
}

export function datetimeCell(day: number, secondOfDay: number): string {
  const h = Math.floor(secondOfDay / 3600);
  const m = Math.floor((secondOfDay % 3600) / 60);
  const s = secondOfDay % 60;
  return `${dateOf(day)}T${pad(h)}:${pad(m)}:${pad(s)}`;
}

/** ISO weekday, 1 = Monday … 7 = Sunday. */
export function weekday(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

/** A random office-hours datetime between two dates (inclusive). */
export function randomDatetime(random: Random, from: string, to: string): string {
  const day = random.int(dayNumber(from), dayNumber(to));
  return datetimeCell(day, random.int(7 * 3600, 18 * 3600));
}

/**
 * Wall-clock times on the days Amsterdam changes clocks. 02:30 on 2024-03-31 never happened and 02:30 on
 * 2024-10-27 happened twice; Profit stores such values as typed, so a client converting them must cope.
 */
export const DST_EDGE_DATETIMES: readonly string[] = [
  '2024-03-31T01:59:59',
  '2024-03-31T02:30:00',
  '2024-03-31T03:00:00',
  '2024-10-27T02:00:00',
  '2024-10-27T02:30:00',
  '2024-10-27T03:00:00',
  '2025-03-30T02:15:00',
  '2025-10-26T02:45:00',
];

/** Accepts `YYYY-MM-DD`, `YYYY-MM-DDTHH:mm[:ss[.fff]]` with or without `Z`; returns the stored form or undefined. */
export function normaliseDatetime(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?Z?$/.exec(value.trim());
  if (!match) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00'] = match;
  const month = Number(mo);
  const dayOfMonth = Number(d);
  if (month < 1 || month > 12 || dayOfMonth < 1 || dayOfMonth > 31 || Number(h) > 23 || Number(mi) > 59) {
    return undefined;
  }
  const date = `${y}-${mo}-${d}`;
  if (dateOf(dayNumber(date)) !== date) return undefined;
  return `${date}T${h}:${mi}:${s}`;
}

/** The calendar date part as a stored date (midnight). */
export function normaliseDate(value: unknown): string | undefined {
  const datetime = normaliseDatetime(value);
  return datetime === undefined ? undefined : `${datetime.slice(0, 10)}T00:00:00`;
}
