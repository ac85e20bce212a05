/**
 * An independent, deliberately plain evaluation of Profit's GetConnector filters over rows the client has already
 * read: the yardstick the integration and live contract checks compare the server's answer with. Written from
 * AFAS's documented operator list (get-connector.md), not from the emulator's filter engine, so the two can only
 * agree when both follow the documentation.
 *
 * The semantics assumed are those of SQL Server behind Profit:
 * - text compares case-insensitively and accent-sensitively (the default collation), trailing spaces ignored by
 *   `=`, `<`, `>`; the "contains / starts with / ends with" family is a case-insensitive substring test;
 * - an empty cell (`null`) satisfies no comparison, not even `!=` or "does not contain" (SQL's NULL); only
 *   "is empty" selects it;
 * - datetimes compare as Amsterdam wall-clock times (how Profit stores them);
 * - quick filter (15) is taken to be "contains" on the one field (unconfirmed: AFAS does not document it).
 */
import type { Condition, FilterGroup, FilterValue, ProfitRow, ProfitValue } from '../../src/profit/index.js';

/** Field id → metainfo `dataType` (`string`, `int`, `decimal`, `boolean`, `date`…). */
export type FieldTypes = Readonly<Record<string, string>>;

const collator = new Intl.Collator('nl', { sensitivity: 'accent' });

/** Amsterdam wall-clock time of an instant as `YYYY-MM-DDTHH:mm:ss`, via Intl (not the client's own code). */
export function amsterdamWallTime(d: Date): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Amsterdam',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
}

function isEmpty(v: ProfitValue | undefined): boolean {
  return v === null || v === undefined || v === '';
}

/** The text of a cell or filter value, as a LIKE would see it. */
function textOf(v: ProfitValue | FilterValue): string {
  if (v instanceof Date) return amsterdamWallTime(v);
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (typeof v === 'object' && v !== null && 'text' in v) return v.text;
  return String(v);
}

/** Exact comparison of two decimal texts (`-12.50`, `3`), by scaling both to integers. */
function compareDecimalText(a: string, b: string): number {
  const split = (s: string) => {
    const [int = '0', frac = ''] = s.trim().replace(/^\+/, '').split('.');
    return { int, frac };
  };
  const x = split(a);
  const y = split(b);
  const scale = Math.max(x.frac.length, y.frac.length);
  const big = (p: { int: string; frac: string }) => {
    const negative = p.int.startsWith('-');
    const digits = `${negative ? p.int.slice(1) : p.int}${p.frac.padEnd(scale, '0')}`;
    return negative ? -BigInt(digits) : BigInt(digits);
  };
  const d = big(x) - big(y);
  return d === 0n ? 0 : d < 0n ? -1 : 1;
}

function wallTimeOfValue(v: FilterValue): string {
  if (v instanceof Date) return amsterdamWallTime(v);
  const s = String(v).replace(/Z$/, '');
  return /^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00` : s;
}

function booleanOf(v: ProfitValue | FilterValue): boolean {
  if (typeof v === 'boolean') return v;
  return ['1', 'true'].includes(String(v).toLowerCase());
}

/** cell ⋚ value by the field's data type. */
function compare(cell: ProfitValue, value: FilterValue, dataType: string): number {
  switch (dataType) {
    case 'int':
    case 'decimal':
      return compareDecimalText(textOf(cell), textOf(value));
    case 'date': {
      const a = cell instanceof Date ? amsterdamWallTime(cell) : String(cell).replace(/Z$/, '');
      const b = wallTimeOfValue(value);
      return a < b ? -1 : a > b ? 1 : 0;
    }
    case 'boolean':
      return Number(booleanOf(cell)) - Number(booleanOf(value));
    default:
      return collator.compare(textOf(cell).replace(/ +$/, ''), textOf(value).replace(/ +$/, ''));
  }
}

/** Whether one row satisfies one condition. */
export function satisfies(row: ProfitRow, c: Condition, types: FieldTypes): boolean {
  const cell = row[c.field];
  if (c.op === 'isEmpty') return isEmpty(cell);
  if (c.op === 'isNotEmpty') return !isEmpty(cell);
  if (cell === null || cell === undefined) return false;
  if (c.value === undefined) throw new Error(`operator ${c.op} needs a value`);
  const dataType = types[c.field];
  if (dataType === undefined) throw new Error(`unknown field ${c.field}`);
  const haystack = textOf(cell).toLowerCase();
  const needle = textOf(c.value).toLowerCase();
  switch (c.op) {
    case 'eq':
      return compare(cell, c.value, dataType) === 0;
    case 'ne':
      return compare(cell, c.value, dataType) !== 0;
    case 'gte':
      return compare(cell, c.value, dataType) >= 0;
    case 'lte':
      return compare(cell, c.value, dataType) <= 0;
    case 'gt':
      return compare(cell, c.value, dataType) > 0;
    case 'lt':
      return compare(cell, c.value, dataType) < 0;
    case 'contains':
    case 'quickFilter':
      return haystack.includes(needle);
    case 'notContains':
      return !haystack.includes(needle);
    case 'startsWith':
      return haystack.startsWith(needle);
    case 'notStartsWith':
      return !haystack.startsWith(needle);
    case 'endsWith':
      return haystack.endsWith(needle);
    case 'notEndsWith':
      return !haystack.endsWith(needle);
  }
}

/** Whether a row satisfies an OR of AND-groups (an absent or empty filter selects everything). */
export function matches(row: ProfitRow, filter: readonly FilterGroup[] | undefined, types: FieldTypes): boolean {
  if (!filter || filter.length === 0) return true;
  return filter.some((group) => group.every((c) => satisfies(row, c, types)));
}

/** A row as comparable text (dates as instants, decimals as their exact text), for multiset comparison. */
export function rowKey(row: ProfitRow): string {
  return JSON.stringify(row, (_k, v: unknown) =>
    typeof v === 'object' && v !== null && 'text' in v && !Array.isArray(v) ? `decimal:${String(v.text)}` : v,
  );
}

/** Rows as a sorted list of keys: two answers are equal as multisets when these are equal. */
export function rowKeys(rows: readonly ProfitRow[]): string[] {
  return rows.map(rowKey).sort();
}
