/**
 * Value handling shared by the filter engine, the row renderer and the UpdateConnector validation: exact decimals,
 * Amsterdam-local datetimes and the JSON text Profit 7 writes for each metainfo data type.
 */
import { type Cell, type DataType, Decimal } from './company/types.js';

const DECIMAL_RE = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * Canonical plain decimal text (`-12.5`, `0`, `1000`) of a number written in JSON or query-string notation, exponent
 * included; `undefined` when the text is no number. Works on digits only, so nothing passes through a float.
 */
export function canonicalDecimal(text: string): string | undefined {
  const m = DECIMAL_RE.exec(text.trim());
  if (!m) return undefined;
  const [, sign = '', intPart = '', fracPart = '', exp] = m;
  if (intPart === '' && fracPart === '') return undefined;
  let digits = intPart + fracPart;
  let point = intPart.length + (exp === undefined ? 0 : Number(exp));
  if (!Number.isSafeInteger(point) || Math.abs(point) > 1000) return undefined;
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  }
  if (point > digits.length) digits += '0'.repeat(point - digits.length);
  const whole = digits.slice(0, point).replace(/^0+/, '') || '0';
  const frac = digits.slice(point).replace(/0+$/, '');
  const body = frac ? `${whole}.${frac}` : whole;
  return body === '0' || sign !== '-' ? body : `-${body}`;
}

/** Compares two canonical decimals (as produced by `canonicalDecimal`) exactly. */
export function compareDecimal(a: string, b: string): number {
  const na = a.startsWith('-');
  const nb = b.startsWith('-');
  if (na !== nb) return na ? -1 : 1;
  const abs = compareAbs(na ? a.slice(1) : a, nb ? b.slice(1) : b);
  return na ? -abs : abs;
}

function compareAbs(a: string, b: string): number {
  const [ai = '', af = ''] = a.split('.');
  const [bi = '', bf = ''] = b.split('.');
  if (ai.length !== bi.length) return ai.length < bi.length ? -1 : 1;
  if (ai !== bi) return ai < bi ? -1 : 1;
  const len = Math.max(af.length, bf.length);
  const pa = af.padEnd(len, '0');
  const pb = bf.padEnd(len, '0');
  return pa === pb ? 0 : pa < pb ? -1 : 1;
}

/** Number of digits after the point of a canonical decimal. */
export function decimalPlaces(canonical: string): number {
  const i = canonical.indexOf('.');
  return i < 0 ? 0 : canonical.length - i - 1;
}

/** Plain text of a JS number without exponent notation (for cells stored as numbers). */
export function numberText(n: number): string {
  return canonicalDecimal(String(n)) ?? String(n);
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,7})?)?)?Z?$/;

/**
 * Normalises a date or datetime to Amsterdam local `YYYY-MM-DDTHH:mm:ss`. Profit reads filter values and
 * UpdateConnector dates as local time without zone; a trailing `Z` (which Profit itself writes, misleadingly) is
 * ignored rather than treated as UTC. Fractions of seconds are dropped. `undefined` when not a valid calendar date.
 */
export function normalizeLocalDateTime(text: string): string | undefined {
  const m = DATE_RE.exec(text.trim());
  if (!m) return undefined;
  const [, y = '', mo = '', d = '', h = '00', mi = '00', s = '00'] = m;
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (date.getUTCFullYear() !== Number(y) || date.getUTCMonth() !== Number(mo) - 1 || date.getUTCDate() !== Number(d)) {
    return undefined;
  }
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  return `${y}-${mo}-${d}T${h}:${mi}:${s}`;
}

/** A stored cell counts as empty (`null` in output, matched by operator 8) when null or the empty string. */
export function isEmptyCell(cell: Cell | undefined): cell is null | undefined | '' {
  return cell === null || cell === undefined || cell === '';
}

/** The canonical decimal text of a numeric cell, or undefined when the cell holds no number. */
export function cellDecimal(cell: Cell): string | undefined {
  if (cell instanceof Decimal) return canonicalDecimal(cell.text);
  if (typeof cell === 'number') return Number.isFinite(cell) ? numberText(cell) : undefined;
  if (typeof cell === 'string') return canonicalDecimal(cell);
  if (typeof cell === 'boolean') return cell ? '1' : '0';
  return undefined;
}

export function cellBoolean(cell: Cell): boolean | undefined {
  if (typeof cell === 'boolean') return cell;
  if (typeof cell === 'number') return cell !== 0;
  if (typeof cell === 'string') return parseBooleanText(cell);
  return undefined;
}

/** `true`/`false`/`1`/`0`, case-insensitively. */
export function parseBooleanText(text: string): boolean | undefined {
  const t = text.trim().toLowerCase();
  if (t === 'true' || t === '1') return true;
  if (t === 'false' || t === '0') return false;
  return undefined;
}

/** Text form of a cell as SQL Server would convert it for LIKE-style operators. */
export function cellText(cell: Cell, dataType: DataType): string {
  if (cell === null) return '';
  switch (dataType) {
    case 'int':
    case 'decimal':
      return cellDecimal(cell) ?? String(cell);
    case 'boolean': {
      const b = cellBoolean(cell);
      return b === undefined ? String(cell) : b ? '1' : '0';
    }
    case 'date':
      return typeof cell === 'string' ? (normalizeLocalDateTime(cell) ?? cell) : String(cell);
    default:
      return cell instanceof Decimal ? cell.text : String(cell);
  }
}

/**
 * The JSON text of one cell in a GetConnector row. Empty values are `null`; datetimes are written as Profit writes
 * them, Amsterdam local time followed by a `Z` that does not mean UTC; decimals are written from their exact text
 * (`-0.5`, as Profit 7 does) so no float rounding can creep in.
 */
export function renderCell(cell: Cell | undefined, dataType: DataType): string {
  if (isEmptyCell(cell)) return 'null';
  switch (dataType) {
    case 'int':
    case 'decimal': {
      if (cell instanceof Decimal) return cell.text;
      const d = cellDecimal(cell);
      return d ?? JSON.stringify(String(cell));
    }
    case 'boolean': {
      const b = cellBoolean(cell);
      return b === undefined ? JSON.stringify(String(cell)) : String(b);
    }
    case 'date': {
      const local = typeof cell === 'string' ? normalizeLocalDateTime(cell) : undefined;
      return JSON.stringify(local ? `${local}Z` : String(cell));
    }
    default:
      return JSON.stringify(cell instanceof Decimal ? cell.text : String(cell));
  }
}
