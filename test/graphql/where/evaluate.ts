/**
 * An independent reference for `where`: evaluates the tree directly against one row, with no normal form, no
 * Profit conditions and no code shared with the compiler. It mirrors Profit's semantics as the emulator
 * implements them (src/emulator/filter.ts), which are SQL Server's:
 *
 * - an empty value (null, or the empty string) satisfies no operator but `isEmpty: true`; so `ne`, `notContains`
 *   and the other negations are false on it too;
 * - strings compare case-insensitively and accent-sensitively, ignoring trailing spaces (`=`, `<`, `>`);
 *   the text operators (LIKE) compare lower-cased text, trailing spaces included, with `%` and `_` literal;
 * - numbers compare exactly as decimals; datetimes as Amsterdam local wall-clock time, to the second;
 * - `in` is any of its values; `and: []` is true and `or: []` false.
 *
 * A row maps GraphQL property names to cells as the Profit client returns them (`Date`s, `ProfitDecimal`s, or
 * Profit's datetime text when the connection does not convert datetimes).
 */
import type { FieldFilter, FieldSpecs, WhereInput } from '../../../src/graphql/where/index.js';

export type Row = Readonly<Record<string, unknown>>;

export function evaluateWhere(where: WhereInput | null | undefined, row: Row, fields: FieldSpecs): boolean {
  if (where === null || where === undefined) return true;
  return Object.entries(where).every(([property, value]) => {
    if (value === undefined) return true;
    if (property === 'and') return (value as readonly WhereInput[]).every((w) => evaluateWhere(w, row, fields));
    if (property === 'or') return (value as readonly WhereInput[]).some((w) => evaluateWhere(w, row, fields));
    const spec = fields.get(property);
    if (!spec) throw new Error(`evaluateWhere: unknown property ${property}`);
    return matchesFilter(value as FieldFilter, row[property], spec.dataType);
  });
}

function matchesFilter(filter: FieldFilter, cell: unknown, dataType: string): boolean {
  return Object.entries(filter).every(([op, value]) => {
    if (value === undefined) return true;
    if (op === 'isEmpty') return isEmpty(cell) === value;
    if (isEmpty(cell)) return false;
    if (op === 'in') return (value as readonly unknown[]).some((v) => compare(cell, v, dataType) === 0);
    if (TEXT_OPERATORS.has(op)) return like(op, lower(String(cell)), lower(String(value)));
    const r = compare(cell, value, dataType);
    switch (op) {
      case 'eq':
        return r === 0;
      case 'ne':
        return r !== 0;
      case 'gt':
        return r > 0;
      case 'gte':
        return r >= 0;
      case 'lt':
        return r < 0;
      case 'lte':
        return r <= 0;
      default:
        throw new Error(`evaluateWhere: unknown operator ${op}`);
    }
  });
}

const TEXT_OPERATORS = new Set(['contains', 'notContains', 'startsWith', 'notStartsWith', 'endsWith', 'notEndsWith']);

function isEmpty(cell: unknown): boolean {
  return cell === null || cell === undefined || cell === '';
}

const lower = (s: string) => s.toLocaleLowerCase('en');

function like(op: string, text: string, pattern: string): boolean {
  switch (op) {
    case 'contains':
      return text.includes(pattern);
    case 'notContains':
      return !text.includes(pattern);
    case 'startsWith':
      return text.startsWith(pattern);
    case 'notStartsWith':
      return !text.startsWith(pattern);
    case 'endsWith':
      return text.endsWith(pattern);
    default:
      return !text.endsWith(pattern);
  }
}

/** cell ⋚ value by the field's data type. */
function compare(cell: unknown, value: unknown, dataType: string): number {
  switch (dataType) {
    case 'int':
    case 'decimal':
      return compareExact(toScaled(String(cell)), toScaled(String(value)));
    case 'boolean':
      return Number(cell) - Number(value);
    case 'date':
    case 'datetime': {
      const a = localDateTime(cell);
      const b = localDateTime(value);
      return a < b ? -1 : a > b ? 1 : 0;
    }
    default:
      return collator.compare(String(cell).replace(/ +$/, ''), String(value).replace(/ +$/, ''));
  }
}

/** SQL_Latin1_General_CP1_CI_AS, as the emulator assumes Profit's databases use. */
const collator = new Intl.Collator('en', { sensitivity: 'accent' });

/** A decimal literal as an integer and a power-of-ten scale: `-1.25e1` → [-125n, 1]. */
function toScaled(text: string): [bigint, number] {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!m) throw new Error(`evaluateWhere: not a number: ${text}`);
  const [, sign = '', whole = '', frac = '', exp = '0'] = m;
  let digits = BigInt(`${whole}${frac}` || '0');
  let scale = frac.length - Number(exp);
  if (scale < 0) {
    digits *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return [sign === '-' ? -digits : digits, scale];
}

function compareExact([a, sa]: [bigint, number], [b, sb]: [bigint, number]): number {
  const scale = Math.max(sa, sb);
  const x = a * 10n ** BigInt(scale - sa);
  const y = b * 10n ** BigInt(scale - sb);
  return x < y ? -1 : x > y ? 1 : 0;
}

const amsterdam = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Amsterdam',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** `YYYY-MM-DDTHH:mm:ss` on Amsterdam's wall clock: of an instant, or of a local text (Profit's misleading `Z` ignored). */
export function localDateTime(value: unknown): string {
  if (value instanceof Date) {
    const part = (type: string) => amsterdam.formatToParts(value).find((p) => p.type === type)?.value ?? '';
    return `${part('year').padStart(4, '0')}-${part('month')}-${part('day')}T${part('hour')}:${part('minute')}:${part('second')}`;
  }
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2})(:\d{2})?(?:\.\d+)?)?Z?$/.exec(String(value));
  if (!m) throw new Error(`evaluateWhere: not a date: ${String(value)}`);
  return `${m[1]}T${m[2] ?? '00:00'}${m[3] ?? ':00'}`;
}
