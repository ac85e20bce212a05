/**
 * Reading Profit's JSON without losing precision. Pure.
 * Integers within ±2^53 become `number`; every other number (fractions, huge ids) a `ProfitDecimal` with its
 * exact digits; a float never sits in between.
 */
import { isAscii } from 'node:buffer';
import { parse } from 'lossless-json';
import { daysInMonth, digits, tryProfitDateTime } from './datetime.js';
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

/**
 * Parses Profit JSON: the values of `parseProfitNumber` for every number, at the speed of `JSON.parse`. Throws a
 * `SyntaxError` on malformed input. One scan (`scanNumbers`) finds the numbers `JSON.parse` would round (anything
 * but a safe integer); when there are none the text is `JSON.parse`d as it is. Otherwise each such number is
 * rewritten as a marked string (`"\u0000` + its digits + `"`), which `JSON.parse` keeps exactly, and the marked
 * strings become `ProfitDecimal`s in one pass over the result. The mark cannot be confused with Profit's text: a
 * string of Profit's that begins with U+0000 (which JSON must write `\u0000`) sends the text to lossless-json.
 *
 * Unlike lossless-json, an object with a repeated key keeps the last value rather than failing (JSON allows
 * repeated keys; Profit does not send them).
 */
export function parseProfitJson(text: string): unknown {
  const found = scanNumbers(text);
  if (found === NO_NUMBERS) return JSON.parse(text);
  if (found === LOSSLESS) {
    // JSON.parse first: it refuses malformed text with a SyntaxError before lossless-json (which reads some
    // malformed numbers, `0e.5`) turns a number token of it into a decimal.
    JSON.parse(text);
    return parse(text, null, parseProfitNumber);
  }
  return reviveMarked(JSON.parse(markNumbers(text, found)), found.length / 2);
}

/**
 * `parseProfitJson` for a GetConnector answer (`{ skip, take, rows: [...] }` of flat rows) whose reader declares
 * which columns are `decimal`: `JSON.parse`, then the cells that need Profit's own digits are read from their text.
 * Those are the cells of the `decimals` columns, and of every column in which `JSON.parse` met a number other than
 * a safe integer (a fraction, an id beyond 2^53); each gets exactly what `parseProfitJson` gives it. A column of
 * neither kind holds only safe integers as `JSON.parse` read them: a number written with a fraction whose value is
 * a whole number (`38.00`) is that number there, not a `ProfitDecimal` (both are written `38` by the Decimal
 * scalar), and a fraction of 17 or more significant digits that rounds to a safe integer passes as that integer. In
 * a column declared `int` Profit sends no fraction (*unconfirmed*: no AFAS page says so).
 *
 * The cells are found by their key, the text searched about once for all of them (`readColumnsExactly`), so it is
 * never walked character by character (the scan `parseProfitJson` makes cost as much as the parse itself, issue
 * 12). Any answer of another shape, a key that is not plain printable ASCII, whitespace around a colon, a key met
 * in a string or a nested value sends the text through `parseProfitJson`. Throws a `SyntaxError` on malformed
 * input.
 */
export function parseProfitRows(text: string, decimals: readonly string[]): unknown {
  return readProfitRows(text, decimals).value;
}

/**
 * Reads deferred cells exactly: those of `column` when given (a column not deferred, or read already, is left as it
 * is), else every column still deferred. Each column is read once.
 */
export type ExactReading = (column?: string) => void;

/** `readProfitRows`' answer: the value, and when some cells were deferred, what reads them. */
export interface ProfitRowsReading {
  readonly value: unknown;
  /** Reads the deferred cells of every row exactly, as `parseProfitRows` does at once. Absent when none was. */
  readonly exact: ExactReading | undefined;
}

/**
 * `parseProfitRows`, with the exact reading of the `deferred` columns (some of `decimals`) left to the caller:
 * until it calls `exact`, their cells hold `JSON.parse`'s number. Re-reading an answer's fractions cost about a
 * tenth of an `_entities` request that selects none of them (issue 12). A column that holds a number other than a
 * safe integer without being declared is read at once all the same, and so is every column of an answer that is
 * not read by its keys (`parseProfitJson`'s cases).
 *
 * The text stays with `exact` until every deferred column is read: a caller that keeps the rows should call it or
 * let both go.
 */
export function readProfitRows(
  text: string,
  decimals: readonly string[],
  deferred: ReadonlySet<string> = NOTHING_DEFERRED,
): ProfitRowsReading {
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { value: exactUnlessIntegers(value, text), exact: undefined };
  }
  const rows = (value as { rows?: unknown }).rows;
  if (!Array.isArray(rows)) return { value: exactUnlessIntegers(value, text), exact: undefined };
  const exactly = () => ({ value: parseProfitJson(text), exact: undefined });
  // Every other top-level number must be a safe integer (`skip`, `take`), and nothing but rows may be nested.
  for (const k in value) {
    if (k === 'rows') continue;
    const v = (value as Record<string, unknown>)[k];
    if (typeof v === 'object' && v !== null) return exactly();
    if (typeof v === 'number' && !Number.isSafeInteger(v)) return exactly();
  }
  const columns = new Set<string>();
  for (const k of decimals) columns.add(k);
  for (let r = 0; r < rows.length; r++) {
    const row: unknown = rows[r];
    if (typeof row !== 'object' || row === null || Array.isArray(row)) return exactly();
    for (const k in row) {
      const v = (row as Record<string, unknown>)[k];
      if (typeof v === 'number') {
        if (!Number.isSafeInteger(v)) columns.add(k);
      } else if (typeof v === 'object' && v !== null) return exactly();
    }
  }
  for (const k of columns) {
    // A top-level key of the same name would be found as well: read such a text exactly.
    if (Object.hasOwn(value, k)) return exactly();
  }
  // The declared columns the caller defers, apart from the others (read now).
  let now: Set<string> = columns;
  let later: Set<string> | undefined;
  if (deferred.size > 0 && rows.length > 0) {
    for (const k of decimals) {
      if (!deferred.has(k)) continue;
      later ??= new Set();
      later.add(k);
    }
    if (later !== undefined) {
      now = new Set(columns);
      for (const k of later) now.delete(k);
    }
  }
  if (now.size > 0 && !readColumnsExactly(text, rows as Record<string, unknown>[], now)) return exactly();
  return {
    value,
    exact: later === undefined ? undefined : exactLater(text, rows as Record<string, unknown>[], later),
  };
}

const NOTHING_DEFERRED: ReadonlySet<string> = new Set();

/**
 * What reads the `columns` of `rows` exactly from `text`, a column at a time and each once (see `readProfitRows`):
 * an operation that selects one decimal field of three reads a third of the cells (issue 12).
 */
function exactLater(text: string, rows: Record<string, unknown>[], columns: ReadonlySet<string>): ExactReading {
  // The columns not read yet, and the text until the last of them is read.
  const pending = new Set(columns);
  let source: string | undefined = text;
  return (column) => {
    if (source === undefined || (column !== undefined && !pending.has(column))) return;
    const t = source;
    const reading = column === undefined ? new Set(pending) : new Set([column]);
    for (const k of reading) pending.delete(k);
    if (pending.size === 0) source = undefined;
    if (readColumnsExactly(t, rows, reading)) return;
    // The text is not as the search expects (see `readColumnsExactly`), which may have replaced some cells
    // already: every deferred cell still unread is taken from the exact reading of the whole text, row by row (the
    // same text, so the same rows in the same order).
    for (const k of pending) reading.add(k);
    pending.clear();
    source = undefined;
    const exact = (parseProfitJson(t) as { rows: Record<string, unknown>[] }).rows;
    for (let r = 0; r < rows.length; r++) {
      const from = exact[r] as Record<string, unknown>;
      const row = rows[r] as Record<string, unknown>;
      for (const k of reading) if (Object.hasOwn(from, k)) row[k] = from[k];
    }
  };
}

/** `JSON.parse`'s value when every number in it is a safe integer, else `parseProfitJson`'s. */
function exactUnlessIntegers(value: unknown, text: string): unknown {
  return onlySafeIntegers(value) ? value : parseProfitJson(text);
}

/** Whether every number in a parsed value is a safe integer (walked without recursion: any depth). */
function onlySafeIntegers(value: unknown): boolean {
  if (typeof value === 'number') return Number.isSafeInteger(value);
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const x: unknown = v[i];
        if (typeof x === 'number') {
          if (!Number.isSafeInteger(x)) return false;
        } else if (typeof x === 'object' && x !== null) stack.push(x);
      }
    } else if (typeof v === 'object' && v !== null) {
      const o = v as Record<string, unknown>;
      for (const k in o) {
        const x = o[k];
        if (typeof x === 'number') {
          if (!Number.isSafeInteger(x)) return false;
        } else if (typeof x === 'object' && x !== null) stack.push(x);
      }
    }
  }
  return true;
}

/**
 * A key `readColumnsExactly` can find as it is written: printable ASCII with no `"`, `\\` or `/` (which a writer
 * may escape), beginning with a letter or `_` (so the quote before it cannot be the end of another string, and the
 * key is not an array index, which `Object.keys` would list before the others whatever the text's order).
 */
const PLAIN_KEY = /^[A-Za-z_][\x20\x21\x23-\x2e\x30-\x5b\x5d-\x7e]*$/;

/**
 * Replaces the cells of `columns` in `rows` (JSON.parse's, in document order) by `parseProfitNumber` of their own
 * text; `false`, leaving rows partly replaced, when the text is not as expected (the caller then reads the whole
 * text exactly). The rows are walked in order and, in each, the columns in the order of the first row's keys (the
 * text's order); each cell's key is the next `"key":` after the previous cell's (`nextKey`), so the text is searched
 * about once in all. In valid JSON an unescaped `"key"` followed at once by `:` is a complete key token (the key has
 * no quote, backslash or leading punctuation), and its number must be the one JSON.parse read there. A string value
 * equal to the key is not followed by `:` and is passed over. A row whose key is missed (written with escapes, in
 * another order than the first row's, or with space before its `:`) moves every later cell onto the next row's key,
 * so the last row's is not found; no key may follow the last cell. So a key twice in a row or `"key" :` each fail.
 * (Misread would be a text that both repeats a key in a row and writes it escaped or spaced in another, with
 * cells equal as doubles: no JSON writer escapes a plain ASCII key, and Profit sends no repeated keys.)
 */
function readColumnsExactly(text: string, rows: Record<string, unknown>[], columns: ReadonlySet<string>): boolean {
  // Each key as searched (`key":`, see `nextKey`).
  const needles = new Map<string, string>();
  for (const key of columns) {
    if (key === '__proto__' || !PLAIN_KEY.test(key)) return false;
    needles.set(key, `${key}":`);
  }
  // The columns in the order of the first row's keys (the text's order), the others after them.
  const keys: string[] = [];
  for (const key of Object.keys(rows[0] ?? {})) if (needles.has(key)) keys.push(key);
  for (const key of needles.keys()) if (!keys.includes(key)) keys.push(key);
  const quoted = keys.map((key) => needles.get(key) as string);
  let pos = 0;
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as Record<string, unknown>;
    for (let c = 0; c < keys.length; c++) {
      const key = keys[c] as string;
      const needle = quoted[c] as string;
      if (!Object.hasOwn(row, key)) continue;
      const at = nextKey(text, needle, pos);
      if (at === -1) return false;
      // After the opening quote, the key, its closing quote and the `:`.
      pos = at + 1 + needle.length;
      const v = row[key];
      if (typeof v !== 'number') continue;
      const start = pos;
      let plain = true;
      // The digits' value while the token is plain (read in place: no slice for the usual integer cell).
      let digits = 0;
      for (;;) {
        const c = text.charCodeAt(pos);
        if (c >= 48 && c <= 57) {
          digits = digits * 10 + (c - 48);
          pos++;
        }
        // - + . e E: the rest of a JSON number's characters; valid JSON follows it by `,` `}` `]` or whitespace.
        else if (c === 45 || c === 43 || c === 46 || c === 101 || c === 69) {
          if (c !== 45 || pos !== start) plain = false;
          pos++;
        } else break;
      }
      // The token must be the number JSON.parse read there (it is, unless a key was missed or space follows `:`).
      if (pos === start) return false;
      // Up to 15 characters written as an integer: JSON.parse's number is exact, and so is `digits`.
      if (plain && pos - start <= 15) {
        if ((text.charCodeAt(start) === 45 ? -digits : digits) !== v) return false;
        continue;
      }
      const token = text.slice(start, pos);
      if (Number(token) !== v) return false;
      row[key] = parseProfitNumber(token);
    }
  }
  for (const needle of needles.values()) if (nextKey(text, needle, pos) !== -1) return false;
  return true;
}

/**
 * Where the next key token `"key"` followed at once by `:` opens (its opening quote, at `from` or after, not escaped);
 * -1 if none. `needle` is `key":`: searched without its opening quote, since a text of keys and strings has a quote
 * every few characters and the search would stop at each (a quarter of the time, 2026-12-03); the quote before the
 * match is checked instead, which also tells `"Rate":` from `"HourlyRate":`. Inside a JSON string a quote is
 * written `\"`, so `key":` with a bare quote ends a string token: a key, since `:` follows.
 */
function nextKey(text: string, needle: string, from: number): number {
  let at = text.indexOf(needle, from + 1);
  while (at !== -1) {
    const quote = at - 1;
    if (text.charCodeAt(quote) === 34 /* " */) {
      // A quote escaped by an odd run of backslashes belongs to a string that ends with the key's text: not the key.
      let b = quote - 1;
      while (text.charCodeAt(b) === 92) b--;
      if ((quote - 1 - b) % 2 === 0) return quote;
    }
    at = text.indexOf(needle, at + 1);
  }
  return -1;
}

/**
 * The text of a UTF-8 JSON body as a one-byte string: every run of non-ASCII characters written as `\u` escapes,
 * which `JSON.parse` reads back as the same characters. Valid JSON holds such characters only inside strings (its
 * whitespace and punctuation are ASCII), so the text parses to the same value; a stray one outside a string stays
 * a syntax error. Decoding UTF-8 that is not all ASCII into a string costs V8 as much as parsing it, and a one-byte
 * string parses and scans faster (issue 12). Malformed UTF-8 reads as U+FFFD, as `toString('utf8')` reads it.
 */
export function jsonText(body: Buffer): string {
  const n = body.length;
  if (isAscii(body)) return body.toString('latin1', 0, n);
  // The body read four bytes at a time where it is aligned (bytes `lead + 4w` to `lead + 4w + 3` are `words[w]`):
  // a block that holds non-ASCII bytes is mostly ASCII, and a byte at a time cost 0.2 ms for a person's 72 KB
  // answer (issue 12).
  const lead = (4 - (body.byteOffset & 3)) & 3;
  // None for a body shorter than its lead and a word (its memory may end before the aligned offset); then no `i`
  // passes the word test below, which needs `i >= lead` and `i + 4 <= n`.
  const words = n >= lead + 4 ? new Uint32Array(body.buffer, body.byteOffset + lead, (n - lead) >> 2) : NO_WORDS;
  // The whole body as one-byte text, decoded once: its ASCII runs are sliced from it (a decode call per run costs
  // about a microsecond, a slice of a string far less).
  const bytes = body.toString('latin1', 0, n);
  let out = '';
  // Start of the ASCII bytes not yet copied.
  let from = 0;
  // Blocks that are all ASCII are skipped by `isAscii` (native); only the others are read here.
  for (let block = 0; block < n; block += ASCII_BLOCK) {
    const end = Math.min(n, block + ASCII_BLOCK);
    if (end <= from || isAscii(body.subarray(Math.max(block, from), end))) continue;
    let i = Math.max(block, from);
    while (i < end) {
      // `at`: the offset from the first aligned byte; a whole word of ASCII where it starts one.
      const at = i - lead;
      if (at >= 0 && (at & 3) === 0 && i + 4 <= end && ((words[at >> 2] as number) & HIGH_BITS) === 0) {
        i += 4;
        continue;
      }
      if ((body[i] as number) < 0x80) {
        i++;
        continue;
      }
      // A backslash before it would turn the escape written for it into an escaped backslash: a malformed `\é`
      // would read as the valid `\\u00e9`. The plain text instead, for JSON.parse to judge.
      if (i > 0 && body[i - 1] === BACKSLASH) return body.toString('utf8');
      let j = i + 1;
      while (j < n && (body[j] as number) >= 0x80) j++;
      out += bytes.slice(from, i);
      out += escapedRun(body, i, j);
      from = j;
      i = j;
    }
  }
  return out + bytes.slice(from, n);
}

/** `\u` escapes of the UTF-16 units that bytes `[i, j)` decode to, as `toString('utf8')` decodes them. */
function escapedRun(body: Buffer, i: number, j: number): string {
  const b0 = body[i] as number;
  // One two-byte character (é, ø, ß: the usual run in Dutch and European names), decoded here: a decode call
  // costs about a microsecond.
  const b1 = body[i + 1] as number;
  if (j - i === 2 && b0 >= 0xc2 && b0 <= 0xdf && b1 <= 0xbf) return unitEscape(((b0 & 0x1f) << 6) | (b1 & 0x3f));
  const chars = body.toString('utf8', i, j);
  let out = '';
  for (let k = 0; k < chars.length; k++) out += unitEscape(chars.charCodeAt(k));
  return out;
}

/** A UTF-16 unit as JSON's `\uXXXX`. */
function unitEscape(unit: number): string {
  return `\\u${HEX_BYTE[unit >> 8]}${HEX_BYTE[unit & 0xff]}`;
}
const HEX_BYTE = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));
const HIGH_BITS = 0x80808080;
const NO_WORDS = new Uint32Array(0);
const ASCII_BLOCK = 512;
const BACKSLASH = 0x5c;

const NO_NUMBERS = 0;
const LOSSLESS = 1;
/** The mark's first character, in the parsed value (U+0000). */
const MARK = 0;
const MAX_DEPTH = 256;
/** Per nesting level during a scan: 1 in an array, 0 in an object. Reused (scans are synchronous). */
const inArray = new Uint8Array(MAX_DEPTH);
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * One pass over JSON text: the `[start, end)` offsets of the number tokens that need lossless reading (not a
 * safe integer) and stand where a string could stand (a value, never a key); `NO_NUMBERS` when there are none,
 * `LOSSLESS` when the fast path cannot be used (a string beginning with U+0000, nesting over `MAX_DEPTH`).
 * Malformed text is not judged here: a token that is not a JSON number is left as it is, for `JSON.parse` to refuse,
 * and a number replaced by a string in a value's place leaves valid text valid and malformed text malformed.
 */
function scanNumbers(text: string): number[] | typeof NO_NUMBERS | typeof LOSSLESS {
  const n = text.length;
  let found: number[] | undefined;
  let depth = 0;
  // The last character that was not whitespace, or -1 at the start.
  let prev = -1;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      // A string: jump to its closing quote (one not escaped by an odd run of backslashes).
      if (text.charCodeAt(i + 1) === 92 /* \ */ && text.startsWith('u0000', i + 2)) return LOSSLESS;
      let j = i + 1;
      for (;;) {
        j = text.indexOf('"', j);
        if (j === -1) return NO_NUMBERS; // unterminated: JSON.parse refuses it
        let k = j - 1;
        while (text.charCodeAt(k) === 92) k--;
        if ((j - 1 - k) % 2 === 0) break;
        j++;
      }
      i = j + 1;
      prev = 34;
      continue;
    }
    if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      const start = i;
      let plain = true; // digits only, after an optional minus
      i++;
      for (; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d >= 48 && d <= 57) continue;
        if (d === 46 /* . */ || d === 101 /* e */ || d === 69 /* E */ || d === 43 /* + */ || d === 45 /* - */) {
          plain = false;
          continue;
        }
        break;
      }
      const digits = c === 45 ? i - start - 1 : i - start;
      const key = prev === 123 /* { */ || (prev === 44 /* , */ && depth > 0 && inArray[depth - 1] === 0);
      prev = 48;
      // Safe integers (up to 15 digits always, 16 when within 2^53) are exact as JSON.parse reads them.
      if (plain && (digits <= 15 || (digits > 0 && Number.isSafeInteger(Number(text.slice(start, i)))))) continue;
      if (key || digits === 0 || !JSON_NUMBER.test(text.slice(start, i))) continue;
      if (found === undefined) found = [];
      found.push(start, i);
      continue;
    }
    if (c === 123 /* { */ || c === 91 /* [ */) {
      if (depth === MAX_DEPTH) return LOSSLESS;
      inArray[depth++] = c === 91 ? 1 : 0;
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      if (depth > 0) depth--;
    } else if (c === 32 || c === 10 || c === 13 || c === 9) {
      i++;
      continue;
    }
    prev = c;
    i++;
  }
  return found ?? NO_NUMBERS;
}

/** The text with each found number token written as a marked string. */
function markNumbers(text: string, found: readonly number[]): string {
  let out = '';
  let at = 0;
  for (let t = 0; t < found.length; t += 2) {
    const start = found[t] as number;
    const end = found[t + 1] as number;
    out += `${text.slice(at, start)}"\\u0000${text.slice(start, end)}"`;
    at = end;
  }
  return out + text.slice(at);
}

function isMarked(v: unknown): v is string {
  return typeof v === 'string' && v.charCodeAt(0) === MARK;
}

/** Replaces the `count` marked strings in a parsed value by their `ProfitDecimal`s, in place. */
function reviveMarked(value: unknown, count: number): unknown {
  if (isMarked(value)) return new ProfitDecimal(value.slice(1));
  const stack: unknown[] = [value];
  let left = count;
  while (left > 0 && stack.length > 0) {
    const v = stack.pop();
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const x: unknown = v[i];
        if (isMarked(x)) {
          v[i] = new ProfitDecimal(x.slice(1));
          left--;
        } else if (typeof x === 'object' && x !== null) stack.push(x);
      }
    } else if (typeof v === 'object' && v !== null) {
      const o = v as Record<string, unknown>;
      for (const k in o) {
        const x = o[k];
        if (isMarked(x)) {
          // `__proto__` is an own key in JSON.parse's result: define it rather than set the prototype.
          if (k === '__proto__')
            Object.defineProperty(o, k, {
              value: new ProfitDecimal(x.slice(1)),
              writable: true,
              enumerable: true,
              configurable: true,
            });
          else o[k] = new ProfitDecimal(x.slice(1));
          left--;
        } else if (typeof x === 'object' && x !== null) stack.push(x);
      }
    }
  }
  return value;
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
  return convertRow({ ...row }, options);
}

/**
 * `fromRow` in place, for a row the caller owns (just parsed): no copy, and nothing written when every cell is
 * already a `ProfitValue` and no column is declared. Returns the same object.
 */
export function convertRow(row: Record<string, unknown>, options: RowOptions = {}): ProfitRow {
  const columns = options.convertDateTimes === false ? undefined : options.columns;
  for (const k in row) {
    const v = row[k];
    if (typeof v === 'object' && v !== null && !(v instanceof ProfitDecimal)) row[k] = JSON.stringify(v);
    if (columns !== undefined && Object.hasOwn(columns, k)) {
      row[k] = convertCell(columns[k] as ColumnType, row[k] as ProfitValue);
    }
  }
  return row as ProfitRow;
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
  // Right shape but an impossible calendar value: the text is kept rather than failing the page.
  if (type === 'datetime') return tryProfitDateTime(value) ?? value;
  if (type === 'date') return profitDay(value) ?? value;
  return value;
}

/** The day `YYYY-MM-DD` of Profit's `YYYY-MM-DDTHH:mm:ssZ` (or of a bare day); `undefined` for anything else. */
export function profitDay(text: string): string | undefined {
  let year: number;
  let month: number;
  let day: number;
  // Profit's own shape, `YYYY-MM-DDT00:00:00Z`, and a bare day (what the Date scalar is handed back) read in
  // place; any other text by the pattern.
  if ((text.length === 20 || text.length === 10) && hasProfitDateTimeShape(text, text.length)) {
    year = digits(text, 0, 4);
    month = digits(text, 5, 2);
    day = digits(text, 8, 2);
  } else {
    const m = PROFIT_DAY.exec(text);
    if (!m) return undefined;
    year = Number(m[1]);
    month = Number(m[2]);
    day = Number(m[3]);
  }
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return text.slice(0, 10);
}

/** The first `n` characters of `YYYY-MM-DDTHH:mm:ssZ` (digits where digits stand): 20 for the whole, 10 a day. */
function hasProfitDateTimeShape(s: string, n: number): boolean {
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    const expected = DATETIME_SEPARATORS[i];
    if (expected === 0 ? c < 48 || c > 57 : c !== expected) return false;
  }
  return true;
}
/** Per position of `YYYY-MM-DDTHH:mm:ssZ`: the separator's code, or 0 for a digit. */
const DATETIME_SEPARATORS = [0, 0, 0, 0, 45, 0, 0, 45, 0, 0, 84, 0, 0, 58, 0, 0, 58, 0, 0, 90];

/** Whether a parsed GetConnector answer has the documented `{ skip, take, rows: [...] }` shape. */
export function isGetResponse(json: unknown): json is { rows: Record<string, unknown>[] } {
  return isRecord(json) && Array.isArray(json.rows) && json.rows.every(isRecord);
}
