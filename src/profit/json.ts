/**
 * Reading Profit's JSON without losing precision. Pure.
 * Integers within ±2^53 become `number`; every other number (fractions, huge ids) a `ProfitDecimal` with its
 * exact digits; a float never sits in between.
 */
import { parse } from 'lossless-json';
import { fromProfitDateTime, isProfitDateTime } from './datetime.js';
import { ProfitDecimal } from './decimal.js';
import { isRecord } from './errors.js';

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

export interface RowOptions {
  /**
   * Turn strings shaped exactly like Profit datetimes (`YYYY-MM-DDTHH:mm:ss[.fff]Z`, Amsterdam local time
   * despite the `Z`) into true instants (`Date`).
   * @default true
   */
  readonly convertDateTimes?: boolean;
}

/**
 * Converts one parsed row: datetime strings to `Date` (when enabled). Values that are neither primitives nor
 * decimals (Profit's rows are flat) are kept as their JSON text. Pure.
 */
export function fromRow(row: Record<string, unknown>, options: RowOptions = {}): ProfitRow {
  const convert = options.convertDateTimes ?? true;
  const out: ProfitRow = {};
  for (const [k, v] of Object.entries(row)) {
    if (typeof v === 'string') {
      out[k] = convert && isProfitDateTime(v) ? safeDate(v) : v;
    } else if (v === null || typeof v === 'number' || typeof v === 'boolean' || v instanceof ProfitDecimal) {
      out[k] = v;
    } else {
      out[k] = JSON.stringify(v);
    }
  }
  return out;
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
