/**
 * Profit's sort order, reproduced so that the answers of several GetConnector calls (one filter split over the
 * 2049-character query-string limit) merge into the order a single call would have given. Pure.
 *
 * Profit sorts in SQL Server (`orderbyfieldids`): NULL first ascending and last descending; numbers by value; dates
 * by instant; false before true; text in the database's collation, taken to be SQL Server's default
 * SQL_Latin1_General_CP1_CI_AS — case-insensitive, accent-sensitive, trailing spaces ignored. The collation is
 * *unconfirmed*: AFAS documents none (the emulator assumes the same, src/emulator/filter.ts). Because of that, the
 * merge also checks every call's own order against this one and reports a disagreement instead of guessing.
 */
import { fromProfitDateTime, isProfitDateTime } from './datetime.js';
import { formatPlainNumber, ProfitDecimal, toPlainDecimal } from './decimal.js';
import type { SortKey } from './get-query.js';
import type { ProfitRow, ProfitValue } from './json.js';
import type { ProfitDataType } from './results.js';

type Compare<T> = (a: T, b: T) => number;

const collator = new Intl.Collator('en', { sensitivity: 'accent' });
const TRAILING_SPACES = / +$/;

/** Text as the assumed collation compares it (see the module comment). */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return collator.compare(a.replace(TRAILING_SPACES, ''), b.replace(TRAILING_SPACES, ''));
}

/** Plain decimal text of a numeric cell; `undefined` when the cell is not a number. */
function decimalText(value: ProfitValue): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? formatPlainNumber(value) : undefined;
  if (value instanceof ProfitDecimal) return value.text;
  if (typeof value === 'string') {
    try {
      return toPlainDecimal(value);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Compares two plain decimal texts (`-12.5`, `3`) exactly, digit by digit. */
export function compareDecimalText(a: string, b: string): number {
  const negA = a.startsWith('-');
  const negB = b.startsWith('-');
  if (negA !== negB) return negA ? -1 : 1;
  const r = compareAbsolute(negA ? a.slice(1) : a, negB ? b.slice(1) : b);
  return negA ? -r : r;
}

function compareAbsolute(a: string, b: string): number {
  const [ai = '', af = ''] = a.split('.');
  const [bi = '', bf = ''] = b.split('.');
  if (ai.length !== bi.length) return ai.length < bi.length ? -1 : 1;
  if (ai !== bi) return ai < bi ? -1 : 1;
  const width = Math.max(af.length, bf.length);
  const x = af.padEnd(width, '0');
  const y = bf.padEnd(width, '0');
  return x === y ? 0 : x < y ? -1 : 1;
}

function instant(value: ProfitValue): number | undefined {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'string' && isProfitDateTime(value)) return fromProfitDateTime(value).getTime();
  return undefined;
}

/** Orders two non-null cells of a field of `dataType`; cells of an unexpected kind fall back to their text. */
function cellComparator(dataType: ProfitDataType | (string & {})): Compare<NonNullable<ProfitValue>> {
  const byText: Compare<NonNullable<ProfitValue>> = (a, b) => compareText(textOf(a), textOf(b));
  switch (dataType) {
    case 'int':
    case 'decimal':
      return (a, b) => {
        const x = decimalText(a);
        const y = decimalText(b);
        return x === undefined || y === undefined ? byText(a, b) : compareDecimalText(x, y);
      };
    case 'date':
    case 'datetime':
      return (a, b) => {
        const x = instant(a);
        const y = instant(b);
        return x === undefined || y === undefined ? byText(a, b) : Math.sign(x - y);
      };
    case 'boolean':
      return (a, b) => (typeof a === 'boolean' && typeof b === 'boolean' ? Number(a) - Number(b) : byText(a, b));
    default:
      return byText;
  }
}

function textOf(value: NonNullable<ProfitValue>): string {
  return value instanceof Date ? value.toISOString() : String(value);
}

/**
 * A comparator of rows by `orderBy` (connector field ids), each field compared by its data type (`dataTypes`:
 * field id → type; a field not listed compares as text).
 */
export function rowComparator(
  orderBy: readonly SortKey[],
  dataTypes: ReadonlyMap<string, ProfitDataType | (string & {})>,
): Compare<ProfitRow> {
  const keys = orderBy.map(({ field, descending }) => {
    const cmp = cellComparator(dataTypes.get(field) ?? 'string');
    return (a: ProfitRow, b: ProfitRow) => {
      const x = a[field] ?? null;
      const y = b[field] ?? null;
      const r = x === null ? (y === null ? 0 : -1) : y === null ? 1 : cmp(x, y);
      return descending ? -r : r;
    };
  });
  return (a, b) => {
    for (const cmp of keys) {
      const r = cmp(a, b);
      if (r !== 0) return r;
    }
    return 0;
  };
}

export type MergeResult =
  | { readonly ok: true; readonly rows: ProfitRow[] }
  /** Call `list`'s rows at `at` and `at + 1` are in an order `compare` calls descending: the merge would guess. */
  | { readonly ok: false; readonly list: number; readonly at: number };

/**
 * Merges lists that are each sorted by `compare` (the answers of the calls one split filter became) into one
 * sorted list, keeping each row once by `identity` (a row matched by several calls' groups comes back from each).
 * Rows that compare equal keep the order of their lists. Stops after `limit` rows (a page's end), if given. When a
 * list is not sorted by `compare` — Profit's order differs from the one reproduced here — the result says where,
 * and nothing is merged.
 */
export function mergeSortedRows(
  lists: readonly (readonly ProfitRow[])[],
  compare: Compare<ProfitRow>,
  identity: (row: ProfitRow) => string,
  limit = Number.POSITIVE_INFINITY,
): MergeResult {
  for (const [list, rows] of lists.entries()) {
    for (let at = 0; at + 1 < rows.length; at++) {
      if (compare(rows[at] as ProfitRow, rows[at + 1] as ProfitRow) > 0) return { ok: false, list, at };
    }
  }
  // A binary heap of the lists' heads: O(rows × log lists) comparisons, ties by list index (stable).
  const heads = lists.map(() => 0);
  const head = (i: number) => lists[i]?.[heads[i] as number] as ProfitRow;
  const before = (i: number, j: number) => {
    const r = compare(head(i), head(j));
    return r < 0 || (r === 0 && i < j);
  };
  const heap = lists.flatMap((list, i) => (list.length > 0 ? [i] : []));
  const swap = (a: number, b: number) => {
    [heap[a], heap[b]] = [heap[b] as number, heap[a] as number];
  };
  const down = (at: number) => {
    for (;;) {
      const l = 2 * at + 1;
      const r = l + 1;
      let top = at;
      if (l < heap.length && before(heap[l] as number, heap[top] as number)) top = l;
      if (r < heap.length && before(heap[r] as number, heap[top] as number)) top = r;
      if (top === at) return;
      swap(at, top);
      at = top;
    }
  };
  for (let at = Math.floor(heap.length / 2) - 1; at >= 0; at--) down(at);
  const seen = new Set<string>();
  const rows: ProfitRow[] = [];
  while (heap.length > 0 && rows.length < limit) {
    const i = heap[0] as number;
    const row = head(i);
    heads[i] = (heads[i] as number) + 1;
    if ((heads[i] as number) >= (lists[i]?.length ?? 0)) {
      swap(0, heap.length - 1);
      heap.pop();
    }
    down(0);
    const id = identity(row);
    if (seen.has(id)) continue;
    seen.add(id);
    rows.push(row);
  }
  return { ok: true, rows };
}
