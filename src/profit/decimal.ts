/**
 * Exact decimals. Profit writes decimal fields as JSON numbers (`-0.5` since Profit 7) and some integer fields
 * (bigint-like ids, amounts in cents) can exceed 2^53. Reading those through a JS `number` would silently round
 * them, so the client keeps their text instead.
 */

const PLAIN_DECIMAL = /^-?(?:0|[1-9]\d*)(?:\.\d+)?$/;
/** Plain notation as `toPlainDecimal` writes it: no leading or trailing zeros, no `-0`. */
const CANONICAL = /^-?(?:0|[1-9]\d*)\.\d*[1-9]$|^(?:0|-?[1-9]\d*)$/;
/** Plain notation with a fraction (`38.00`, `-0.50`). */
const PLAIN_FRACTION = /^-?(?:0|[1-9]\d*)\.\d+$/;
/** Largest exponent a number literal may have to be written out in plain notation. */
export const MAX_EXPONENT = 10_000;
const JSON_NUMBER = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/**
 * Rewrites a JSON/JS number literal in plain decimal notation (no exponent, no leading zeros), exactly:
 * `1.5E-7` → `0.00000015`, `1e21` → `1000000000000000000000`. Throws on text that is not a number literal.
 */
export function toPlainDecimal(text: string): string {
  const m = JSON_NUMBER.exec(text.trim());
  if (!m) throw new TypeError(`not a number literal (${text.length} characters)`);
  const sign = m[1] ?? '';
  const exponent = Number(m[4] ?? '0');
  // Written out, `1e999999999` is a gigabyte of zeros: refused (no Profit decimal comes near).
  if (Math.abs(exponent) > MAX_EXPONENT)
    throw new RangeError(`exponent beyond ±${MAX_EXPONENT} (${text.length} characters)`);
  let digits = (m[2] ?? '') + (m[3] ?? '');
  // Position of the decimal point counted from the left of `digits`.
  let point = (m[2] ?? '').length + exponent;
  if (point <= 0) {
    digits = '0'.repeat(1 - point) + digits;
    point = 1;
  } else if (point > digits.length) {
    digits += '0'.repeat(point - digits.length);
  }
  let int = digits.slice(0, point).replace(/^0+(?=\d)/, '');
  let frac = digits.slice(point).replace(/0+$/, '');
  if (int === '') int = '0';
  const isZero = /^0$/.test(int) && frac === '';
  if (frac !== '') frac = `.${frac}`;
  return `${isZero ? '' : sign}${int}${frac}`;
}

/** The plain-notation text of a finite JS number (never an exponent). */
export function formatPlainNumber(n: number): string {
  if (!Number.isFinite(n)) throw new TypeError(`not a finite number: ${n}`);
  return toPlainDecimal(String(n));
}

/**
 * An exact decimal number as Profit sent it (normalised to plain notation). Use `text` (or `toString()`)
 * to keep every digit; `toNumber()` only where a float is acceptable. Serialises to JSON as a string via
 * `toJSON()`; the client's own request bodies send it as an exact JSON number.
 */
export class ProfitDecimal {
  readonly text: string;

  constructor(text: string) {
    // Most of Profit's decimals are already plain and canonical (`4123.45`): kept without rewriting.
    if (CANONICAL.test(text)) {
      this.text = text;
      return;
    }
    if (PLAIN_FRACTION.test(text)) {
      // `38.00`: only the fraction's trailing zeros (and a `-` before a zero) go.
      let end = text.length;
      while (text.charCodeAt(end - 1) === 48) end--;
      if (text.charCodeAt(end - 1) === 46) end--;
      const plain = text.slice(0, end);
      this.text = plain === '-0' ? '0' : plain;
      return;
    }
    const plain = toPlainDecimal(text);
    if (!PLAIN_DECIMAL.test(plain)) throw new TypeError(`not a decimal (${text.length} characters)`);
    this.text = plain;
  }

  static from(value: string | number | bigint): ProfitDecimal {
    return new ProfitDecimal(typeof value === 'number' ? formatPlainNumber(value) : String(value));
  }

  toNumber(): number {
    return Number(this.text);
  }

  toString(): string {
    return this.text;
  }

  toJSON(): string {
    return this.text;
  }

  equals(other: ProfitDecimal): boolean {
    return this.text === other.text;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `ProfitDecimal(${this.text})`;
  }
}
