/**
 * Reading Profit's JSON without losing precision. Pure.
 * Integers within ±2^53 become `number`; every other number (fractions, huge ids) a `ProfitDecimal` with its
 * exact digits; a float never sits in between.
 */
import { parse } from 'lossless-json';
import { fromProfitDateTime, isProfitDateTime } from './datetime.js';
import { ProfitDecimal } from './decimal.js';
import { isRecord } from './errors.js';
import type { ProfitDataType } from './results.js';

/** A cell of a GetConnector row after parsing. */
export type ProfitValue = string | number | boolean | null | Date | ProfitDecimal;
export type ProfitRow = Record<string, ProfitValue>;

const INTEGER = /^-?\d+$/;

/** lossless-json number parser: safe integers → number, anything else → ProfitDecimal. */
export function parseProfitNumber(text: string): number | ProfitDecimal {
  if (INTEGER.test(text)) {
    const n = Number(text);
    if (Number.isSafeInteger(n)) return n;
  }
  return new ProfitDecimal(text);
}

/** Parses Profit JSON. Throws a `SyntaxError` on malformed input. */
export function parseProfitJson(text: string): unknown {
  return parse(text, null, parseProfitNumber);
}

/**
 * What a column holds, as its reader declares it. Profit's metainfo says `date` for both days and date-times, so
 * the caller (who knows the field) says which: `date` is a day (a birth date: Profit shows `1980-05-17`, and sends
 * `1980-05-17T00:00:00Z`), `datetime` a moment (a modification time). Every other type is read as JSON parsed it.
 */
export type ColumnType = ProfitDataType | 'datetime';

/** Column id → its type; columns not named are left exactly as Profit sent them. */
export type ColumnTypes = Readonly<Record<string, ColumnType>>;

export interface RowOptions {
  /**
   * The columns to convert, by declared type: `datetime` → `Date` (Profit's Amsterdam wall-clock time, see
   * `fromProfitDateTime`), `date` → the day `YYYY-MM-DD`. Never guessed from a value's shape: a note that reads
   * `2024-01-01T00:00:00Z` is text. @default {} (nothing converted)
   */
  readonly columns?: ColumnTypes;
  /** `false`: leave `date` and `datetime` columns as Profit's text even when `columns` names them. @default true */
  readonly convertDateTimes?: boolean;
}

/**
 * Converts one parsed row: the columns `options.columns` declares as dates or date-times (see `convertCell`); all
 * other cells stay as parsed. Values that are neither primitives nor decimals (Profit's rows are flat) are kept as
 * their JSON text. Pure.
 */
export function fromRow(row: Record<string, unknown>, options: RowOptions = {}): ProfitRow {
  const columns = options.convertDateTimes === false ? undefined : options.columns;
  const out: ProfitRow = {};
  for (const [k, v] of Object.entries(row)) {
    let cell: ProfitValue;
    if (typeof v === 'string' || v === null || typeof v === 'number' || typeof v === 'boolean') cell = v;
    else if (v instanceof ProfitDecimal) cell = v;
    else cell = JSON.stringify(v);
    const type = columns !== undefined && Object.hasOwn(columns, k) ? columns[k] : undefined;
    out[k] = type === undefined ? cell : convertCell(type, cell);
  }
  return out;
}

const PROFIT_DAY = /^(\d{4})-(\d{2})-(\d{2})(?:T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z)?$/;

/**
 * One cell as its declared column type: a `datetime` string in Profit's shape becomes a `Date`, a `date` string
 * its day `YYYY-MM-DD` (the date part of Profit's wall-clock text, which is the day Profit shows). Anything else,
 * and a value of the wrong shape or an impossible calendar value, is returned unchanged: text is never
 * reinterpreted, and one odd cell must not fail a page of rows. Pure.
 */
export function convertCell(type: ColumnType, value: ProfitValue): ProfitValue {
  if (typeof value !== 'string') return value;
  if (type === 'datetime') return isProfitDateTime(value) ? safeDate(value) : value;
  if (type === 'date') return profitDay(value) ?? value;
  return value;
}

/** The day `YYYY-MM-DD` of Profit's `YYYY-MM-DDTHH:mm:ssZ` (or of a bare day); `undefined` for anything else. */
export function profitDay(text: string): string | undefined {
  const m = PROFIT_DAY.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(0);
  check.setUTCFullYear(year, month - 1, day);
  if (year < 1 || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
  return text.slice(0, 10);
}

function safeDate(v: string): Date | string {
  try {
    return fromProfitDateTime(v);
  } catch {
    return v; // right shape but impossible calendar value: keep the text rather than fail the page
  }
}

/** Whether a parsed GetConnector answer has the documented `{ skip, take, rows: [...] }` shape. */
export function isGetResponse(json: unknown): json is { rows: Record<string, unknown>[] } {
  return isRecord(json) && Array.isArray(json.rows) && json.rows.every(isRecord);
}
