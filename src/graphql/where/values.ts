/**
 * Which operators each Profit data type takes, and the conversion of a GraphQL value into a `Condition` value,
 * with the key that identifies equal conditions (for dedup and absorption). Pure.
 */
import { type FilterValue, formatPlainNumber, type Operator, toPlainDecimal } from '../../profit/index.js';
import { formatPath, showValue, WhereError, type WherePath } from './errors.js';
import type { ColumnType } from './types.js';

/** The comparison operators of a field filter (everything but `isEmpty` and `in`). */
export type ValueOperator =
  | 'eq'
  | 'ne'
  | 'gt'
  | 'gte'
  | 'lt'
  | 'lte'
  | 'contains'
  | 'notContains'
  | 'startsWith'
  | 'notStartsWith'
  | 'endsWith'
  | 'notEndsWith';

export type FilterOperator = ValueOperator | 'isEmpty' | 'in';

const ORDERING: readonly FilterOperator[] = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'isEmpty', 'in'];
const TEXT: readonly FilterOperator[] = [
  'contains',
  'notContains',
  'startsWith',
  'notStartsWith',
  'endsWith',
  'notEndsWith',
];

/**
 * The operators each data type accepts. Text operators (LIKE in Profit's SQL) only on strings: on numbers and
 * dates they would match the database's text rendering, which is not a contract. Booleans have no order. A blob
 * can only be tested for emptiness.
 */
export const OPERATORS_BY_TYPE: Readonly<Record<ColumnType, ReadonlySet<FilterOperator>>> = Object.freeze({
  string: new Set([...ORDERING, ...TEXT]),
  int: new Set(ORDERING),
  decimal: new Set(ORDERING),
  date: new Set(ORDERING),
  datetime: new Set(ORDERING),
  boolean: new Set<FilterOperator>(['eq', 'ne', 'isEmpty', 'in']),
  blob: new Set<FilterOperator>(['isEmpty']),
});

export const FILTER_OPERATORS: ReadonlySet<string> = new Set<string>([...ORDERING, ...TEXT]);

/** A converted value and the text that identifies it among values of the same field and operator. */
export interface ConvertedValue {
  readonly value: FilterValue;
  readonly key: string;
}

const INTEGER_TEXT = /^-?\d+$/;
/** JSON's number grammar: what a decimal string or a DecimalLike's `toString()` must look like. */
const DECIMAL_TEXT = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
/** Exponents beyond this would expand `1e999999999` into a gigabyte of zeros. */
const MAX_EXPONENT = 400;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?$/;
/** A day's margin inside Profit's years 1–9999, so the Amsterdam local date is inside them too. */
const MIN_DATE_MS = new Date(0).setUTCFullYear(1, 0, 2);
const MAX_DATE_MS = new Date(0).setUTCFullYear(9999, 11, 30);

const kindOf: Record<ColumnType, string> = {
  string: 'a non-empty string',
  int: 'an integer',
  decimal: 'a decimal number',
  boolean: 'a boolean',
  date: 'a day YYYY-MM-DD',
  datetime: 'a Date or an Amsterdam-local date YYYY-MM-DD[THH:mm[:ss]]',
  blob: 'nothing',
};

function invalid(path: WherePath, dataType: ColumnType, value: unknown, why = ''): never {
  throw new WhereError(
    path,
    'invalid-value',
    `\`${formatPath(path)}\` must be ${kindOf[dataType]}${why}, got ${showValue(value)}`,
  );
}

/** Whether `value` is an object standing for a decimal (`ProfitDecimal`, a big-number class…). */
function isDecimalLike(value: unknown): value is { toString(): string } {
  return typeof value === 'object' && value !== null && !(value instanceof Date) && !Array.isArray(value);
}

function objectText(value: object): string | undefined {
  try {
    const text = String(value);
    return typeof text === 'string' ? text : undefined;
  } catch {
    return undefined;
  }
}

function exponentFits(text: string): boolean {
  const e = /[eE]([+-]?\d+)$/.exec(text);
  return e === null || Math.abs(Number(e[1])) <= MAX_EXPONENT;
}

function toInt(value: unknown, path: WherePath): ConvertedValue {
  let text: string | undefined;
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) invalid(path, 'int', value);
    if (!Number.isSafeInteger(value)) invalid(path, 'int', value, ' within ±2^53 (pass a bigint for larger ones)');
    return { value: value === 0 ? 0 : value, key: String(value === 0 ? 0 : value) };
  }
  if (typeof value === 'bigint') text = value.toString();
  else if (isDecimalLike(value)) {
    text = objectText(value);
    if (text === undefined || !INTEGER_TEXT.test(text)) invalid(path, 'int', value);
  } else invalid(path, 'int', value);
  const n = Number(text);
  if (Number.isSafeInteger(n)) return { value: n === 0 ? 0 : n, key: String(n === 0 ? 0 : n) };
  const big = BigInt(text);
  return { value: big, key: big.toString() };
}

function toDecimal(value: unknown, path: WherePath): ConvertedValue {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) invalid(path, 'decimal', value);
    text = formatPlainNumber(value);
  } else if (typeof value === 'bigint') {
    text = value.toString();
  } else if (typeof value === 'string' || isDecimalLike(value)) {
    const raw = typeof value === 'string' ? value : objectText(value);
    if (raw === undefined || !DECIMAL_TEXT.test(raw) || !exponentFits(raw)) invalid(path, 'decimal', value);
    // Digits only: `0.1` stays `0.1`, `1.50` becomes `1.5`, `2e3` becomes `2000`; no float in between.
    text = toPlainDecimal(raw);
  } else {
    invalid(path, 'decimal', value);
  }
  return { value: text, key: text };
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A day (`YYYY-MM-DD`) for a date-only field, sent as its Amsterdam midnight `YYYY-MM-DDT00:00:00`, the form of
 * AFAS's own filter examples on day fields (howto-medewerker-ad.md, `EmploymentStartDate`). Such fields hold
 * midnight, so `gt: "2024-01-01"` means "after that day". A time of day would be meaningless here and is refused.
 */
function toDay(value: unknown, path: WherePath): ConvertedValue {
  if (typeof value !== 'string') invalid(path, 'date', value);
  const m = DAY.exec(value);
  if (!m) invalid(path, 'date', value);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(0);
  check.setUTCFullYear(y, mo - 1, d);
  if (y < 1 || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) {
    invalid(path, 'date', value, ' (a real calendar date)');
  }
  return { value: `${value}T00:00:00`, key: value };
}

function toDate(value: unknown, path: WherePath): ConvertedValue {
  if (value instanceof Date) {
    const t = value.getTime();
    if (Number.isNaN(t)) invalid(path, 'datetime', value);
    if (t < MIN_DATE_MS || t > MAX_DATE_MS) invalid(path, 'datetime', value, ' in the years 1–9999');
    // A copy: the caller's Date is mutable.
    return { value: new Date(t), key: `@${t}` };
  }
  if (typeof value !== 'string') invalid(path, 'datetime', value);
  const m = LOCAL_DATE.exec(value);
  if (!m) invalid(path, 'datetime', value);
  const [, y = '', mo = '', d = '', h = '00', mi = '00', s = '00'] = m;
  const check = new Date(0);
  check.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  if (
    Number(y) < 1 ||
    check.getUTCFullYear() !== Number(y) ||
    check.getUTCMonth() !== Number(mo) - 1 ||
    check.getUTCDate() !== Number(d) ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(s) > 59
  ) {
    invalid(path, 'datetime', value, ' (a real calendar date)');
  }
  // Sent as written: Profit reads filter values as Amsterdam local time, which is what the caller wrote.
  return { value, key: `${y}-${mo}-${d}T${h}:${mi}:${s}` };
}

/**
 * Converts a value for `op` on a field of `dataType`: int → number (bigint beyond ±2^53), decimal → its exact
 * plain text, boolean → boolean, date (a day) → `YYYY-MM-DDT00:00:00`, datetime → a `Date` copy or the local
 * date string as written, string → as is
 * (not trimmed). Strings must not be empty: Profit stores no empty strings (they are null), and how it treats
 * an empty filter value is not documented; `isEmpty` says what is meant.
 */
export function convertValue(dataType: ColumnType, value: unknown, path: WherePath): ConvertedValue {
  switch (dataType) {
    case 'string':
      if (typeof value !== 'string' || value === '') {
        invalid(path, 'string', value, value === '' ? ' (use isEmpty: true for empty values)' : '');
      }
      return { value, key: value };
    case 'int':
      return toInt(value, path);
    case 'decimal':
      return toDecimal(value, path);
    case 'boolean':
      if (typeof value !== 'boolean') invalid(path, 'boolean', value);
      return { value, key: String(value) };
    case 'date':
      return toDay(value, path);
    case 'datetime':
      return toDate(value, path);
    default:
      return invalid(path, dataType, value);
  }
}

/** The identity of a condition: same field, operator and value. */
export function conditionKey(field: string, op: Operator, valueKey: string): string {
  return `${field}\u0000${op}\u0000${valueKey}`;
}
