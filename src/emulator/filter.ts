/**
 * The GetConnector filter engine: parses both request forms (the three parallel lists and `filterjson`) into one
 * model, an OR of AND-groups, and evaluates it against rows by each field's metainfo data type.
 */
import { isLosslessNumber, parse as parseLosslessJson } from 'lossless-json';
import type { DataType, GetFieldDef, Row } from './company/types.js';
import { fieldNotFound, unexpectedError } from './errors.js';
import {
  canonicalDecimal,
  cellBoolean,
  cellDecimal,
  cellText,
  compareDecimal,
  isEmptyCell,
  normalizeLocalDateTime,
  parseBooleanText,
} from './values.js';

export interface FilterCondition {
  readonly field: string;
  /** Profit's operator type, 1–15. */
  readonly operator: number;
  readonly value: string;
}

/** OR of groups; each group is an AND of conditions. Empty: no filter. */
export type Filter = readonly (readonly FilterCondition[])[];

function parseOperator(text: string): number {
  const t = text.trim();
  if (!/^\d{1,2}$/.test(t)) throw unexpectedError();
  const n = Number(t);
  if (n < 1 || n > 15) throw unexpectedError();
  return n;
}

/**
 * The list form: `filterfieldids`, `filtervalues`, `operatortypes`, already URL-decoded. Each list is split on `;`
 * into OR groups and each group on `,` into AND conditions, exactly as Profit does: there is no escape, so a value
 * that contains `,` or `;` changes the filter's structure (`Name` = `Smith, John` becomes `Name` = `Smith`).
 *
 * unconfirmed: the conditions are driven by the field ids; a value or operator missing for a field is an
 * "unexpected error" (500), surplus values or operators are ignored (so the split value above silently narrows
 * the filter rather than failing). An absent or empty `filterfieldids` means no filter.
 */
export function parseListFilter(
  fieldIds: string | undefined,
  values: string | undefined,
  operators: string | undefined,
): Filter {
  if (fieldIds === undefined || fieldIds === '') return [];
  const split = (s: string | undefined) => (s === undefined ? [] : s.split(';').map((g) => g.split(',')));
  const f = split(fieldIds);
  const v = split(values);
  const o = split(operators);
  return f.map((group, g) =>
    group.map((field, i) => {
      const value = v[g]?.[i];
      const op = o[g]?.[i];
      if (value === undefined || op === undefined) throw unexpectedError();
      return { field, operator: parseOperator(op), value };
    }),
  );
}

type JsonValue = unknown;

function asArray(x: JsonValue): JsonValue[] {
  return Array.isArray(x) ? x : [x];
}

function scalarText(x: JsonValue): string {
  if (x === undefined || x === null) return '';
  if (typeof x === 'string') return x;
  if (typeof x === 'boolean') return String(x);
  if (isLosslessNumber(x)) return x.value;
  throw unexpectedError();
}

/**
 * `filterjson`: `{"Filters":{"Filter":[{"@FilterId":…,"Field":[{"@FieldId","@OperatorType","#text"}]}]}}`.
 * `Filter` and `Field` may each be a single object instead of an array (as in the XML they mirror). Fields inside a
 * Filter are ANDed, Filters are ORed. A missing `#text` is the empty value (operators 8 and 9).
 * Numbers are read losslessly, so `"#text": 12345678901234567890` keeps every digit.
 */
export function parseJsonFilter(json: string): Filter {
  let doc: JsonValue;
  try {
    doc = parseLosslessJson(json);
  } catch {
    throw unexpectedError();
  }
  if (!isObject(doc) || !isObject(doc.Filters)) throw unexpectedError();
  const filters = doc.Filters.Filter;
  if (filters === undefined) return [];
  return asArray(filters).map((filter) => {
    if (!isObject(filter) || filter.Field === undefined) throw unexpectedError();
    return asArray(filter.Field).map((field) => {
      if (!isObject(field)) throw unexpectedError();
      const id = field['@FieldId'];
      if (typeof id !== 'string') throw unexpectedError();
      return {
        field: id,
        operator: parseOperator(scalarText(field['@OperatorType'])),
        value: scalarText(field['#text']),
      };
    });
  });
}

function isObject(x: JsonValue): x is Record<string, JsonValue> {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && !isLosslessNumber(x);
}

/**
 * Strings compare as SQL Server's default collation (SQL_Latin1_General_CP1_CI_AS) would: case-insensitive,
 * accent-sensitive, trailing spaces ignored by `=`/`<`/`>` but not by LIKE (unconfirmed: Profit's databases are
 * assumed to use that default collation).
 */
const collator = new Intl.Collator('en', { sensitivity: 'accent' });
const TRAILING_SPACES = / +$/;
const withoutTrailingSpaces = (s: string) => (s.endsWith(' ') ? s.replace(TRAILING_SPACES, '') : s);
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return collator.compare(withoutTrailingSpaces(a), withoutTrailingSpaces(b));
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * `compareText(text, value) === 0`, with `value` prepared once. Between two printable-ASCII strings (no
 * ignorable characters, no contractions) the collation's equality is exactly case-insensitive equality, which is
 * far cheaper than the collator; anything else goes to the collator. Used for `=` and `!=`, which the loaders
 * send as one OR group per key value, each evaluated against every row.
 */
function textEquality(value: string): (text: string) => boolean {
  if (!PRINTABLE_ASCII.test(value)) return (text) => compareText(text, value) === 0;
  const folded = withoutTrailingSpaces(value).toLowerCase();
  return (text) =>
    PRINTABLE_ASCII.test(text) ? withoutTrailingSpaces(text).toLowerCase() === folded : compareText(text, value) === 0;
}
const fold = (s: string) => s.toLocaleLowerCase('en');

type Predicate = (row: Row) => boolean;

/** Resolves a field id against the fields the caller may see; unknown → "Connector field 'X' not found". */
export function findField(fields: readonly GetFieldDef[], id: string): GetFieldDef {
  // unconfirmed: field ids match exactly (case-sensitively). The strict reading: a client that gets the case
  // right works against Profit either way.
  const def = fields.find((f) => f.id === id);
  if (!def) throw fieldNotFound(id);
  return def;
}

/**
 * Compiles a filter into a row predicate. Throws ProfitRejection for an unknown field or a value that cannot be
 * converted to the field's type (SQL Server would fail the conversion: Profit answers "An unexpected error").
 *
 * SQL semantics: a null (or, for operator 8/9, empty) cell satisfies no comparison, not even `!=` or
 * "does not contain" (unconfirmed for 7, 11, 12, 14, which Profit presumably renders as `<>` / `NOT LIKE`).
 */
export function compileFilter(filter: Filter, fields: readonly GetFieldDef[]): Predicate {
  if (filter.length === 0) return () => true;
  const groups = filter.map((group) => group.map((c) => compileCondition(c, findField(fields, c.field))));
  const anyGroup: Predicate = (row) => groups.some((group) => group.every((p) => p(row)));
  return keyLookup(filter, fields, anyGroup) ?? anyGroup;
}

/**
 * An OR of single `=` conditions on one text field with printable-ASCII values (how the loaders look rows up by
 * key, one group per key value): one set lookup per row instead of one comparison per value. Equal to `general`
 * (see `textEquality`); a cell whose text is not printable ASCII takes `general`. `undefined` for other filters.
 */
function keyLookup(filter: Filter, fields: readonly GetFieldDef[], general: Predicate): Predicate | undefined {
  const first = filter[0]?.[0];
  if (filter.length < 2 || !first) return undefined;
  const def = findField(fields, first.field);
  if (def.dataType !== 'string' && def.dataType !== 'blob') return undefined;
  const keys = new Set<string>();
  for (const group of filter) {
    const c = group[0];
    if (group.length !== 1 || !c || c.operator !== 1 || c.field !== first.field || !PRINTABLE_ASCII.test(c.value)) {
      return undefined;
    }
    keys.add(withoutTrailingSpaces(c.value).toLowerCase());
  }
  const { id, dataType } = def;
  return (row) => {
    const cell = row[id];
    if (cell === null || cell === undefined) return false;
    const text = cellText(cell, dataType);
    return PRINTABLE_ASCII.test(text) ? keys.has(withoutTrailingSpaces(text).toLowerCase()) : general(row);
  };
}

function compileCondition(c: FilterCondition, def: GetFieldDef): Predicate {
  const id = def.id;
  if (c.operator === 8) return (row) => isEmptyCell(row[id]);
  if (c.operator === 9) return (row) => !isEmptyCell(row[id]);
  const like = likeOperator(c.operator, fold(c.value));
  if (like) {
    return (row) => {
      const cell = row[id];
      return cell !== null && cell !== undefined && like(fold(cellText(cell, def.dataType)));
    };
  }
  if ((c.operator === 1 || c.operator === 7) && (def.dataType === 'string' || def.dataType === 'blob')) {
    const equal = textEquality(c.value);
    const want = c.operator === 1;
    return (row) => {
      const cell = row[id];
      if (cell === null || cell === undefined) return false;
      return equal(cellText(cell, def.dataType)) === want;
    };
  }
  const compare = comparator(def.dataType, c.value);
  const accept = relation(c.operator);
  return (row) => {
    const cell = row[id];
    if (cell === null || cell === undefined) return false;
    const r = compare(cell);
    return r !== undefined && accept(r);
  };
}

/** Operators 6 and 10–15 work on the text of the value, as SQL LIKE does; `%` and `_` are literal (unconfirmed). */
function likeOperator(op: number, v: string): ((text: string) => boolean) | undefined {
  switch (op) {
    case 6:
    case 15: // quick filter: taken as "contains" on this one field (unconfirmed)
      return (t) => t.includes(v);
    case 10:
      return (t) => t.startsWith(v);
    case 11:
      return (t) => !t.includes(v);
    case 12:
      return (t) => !t.startsWith(v);
    case 13:
      return (t) => t.endsWith(v);
    case 14:
      return (t) => !t.endsWith(v);
    default:
      return undefined;
  }
}

function relation(op: number): (r: number) => boolean {
  switch (op) {
    case 1:
      return (r) => r === 0;
    case 2:
      return (r) => r >= 0;
    case 3:
      return (r) => r <= 0;
    case 4:
      return (r) => r > 0;
    case 5:
      return (r) => r < 0;
    case 7:
      return (r) => r !== 0;
    default:
      throw unexpectedError();
  }
}

/** Returns cell ⋚ value for the field's type, parsing the filter value once. */
function comparator(dataType: DataType, value: string): (cell: NonNullable<Row[string]>) => number | undefined {
  switch (dataType) {
    case 'int':
    case 'decimal': {
      const v = canonicalDecimal(value);
      if (v === undefined) throw unexpectedError();
      return (cell) => {
        const d = cellDecimal(cell);
        return d === undefined ? undefined : compareDecimal(d, v);
      };
    }
    case 'boolean': {
      const v = parseBooleanText(value);
      if (v === undefined) throw unexpectedError();
      return (cell) => {
        const b = cellBoolean(cell);
        return b === undefined ? undefined : Number(b) - Number(v);
      };
    }
    case 'date': {
      const v = normalizeLocalDateTime(value);
      if (v === undefined) throw unexpectedError();
      return (cell) => {
        if (typeof cell !== 'string' || cell === '') return undefined;
        const d = normalizeLocalDateTime(cell);
        return d === undefined ? undefined : d < v ? -1 : d > v ? 1 : 0;
      };
    }
    default:
      return (cell) => compareText(cellText(cell, dataType), value);
  }
}

export interface SortKey {
  readonly field: GetFieldDef;
  readonly descending: boolean;
}

/**
 * `orderbyfieldids=A,-B`: a leading `-` sorts descending. Empty entries are skipped.
 */
export function parseOrderBy(text: string | undefined, fields: readonly GetFieldDef[]): SortKey[] {
  if (!text) return [];
  return text
    .split(',')
    .filter((s) => s !== '')
    .map((s) => {
      const descending = s.startsWith('-');
      return { field: findField(fields, descending ? s.slice(1) : s), descending };
    });
}

/**
 * Sorts stably (rows that compare equal keep their storage order). Nulls sort first ascending and last
 * descending, as SQL Server does; the empty string sorts with the strings.
 */
export function sortRows(rows: readonly Row[], keys: readonly SortKey[]): Row[] {
  const copy = [...rows];
  if (keys.length === 0) return copy;
  const cmps = keys.map(({ field, descending }) => {
    const cmp = cellComparator(field.dataType);
    return (a: Row, b: Row) => {
      const x = a[field.id] ?? null;
      const y = b[field.id] ?? null;
      const r = x === null ? (y === null ? 0 : -1) : y === null ? 1 : cmp(x, y);
      return descending ? -r : r;
    };
  });
  return copy.sort((a, b) => {
    for (const cmp of cmps) {
      const r = cmp(a, b);
      if (r !== 0) return r;
    }
    return 0;
  });
}

function cellComparator(dataType: DataType): (a: NonNullable<Row[string]>, b: NonNullable<Row[string]>) => number {
  switch (dataType) {
    case 'int':
    case 'decimal':
      return (a, b) => compareDecimal(cellDecimal(a) ?? '0', cellDecimal(b) ?? '0');
    case 'boolean':
      return (a, b) => Number(cellBoolean(a) ?? false) - Number(cellBoolean(b) ?? false);
    case 'date':
      return (a, b) => {
        const x = cellText(a, 'date');
        const y = cellText(b, 'date');
        return x < y ? -1 : x > y ? 1 : 0;
      };
    default:
      return (a, b) => compareText(cellText(a, dataType), cellText(b, dataType));
  }
}
