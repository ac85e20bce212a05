/**
 * The Dutch citizen service number (BSN) and its "11-test": for digits d1…d9,
 * 9·d1 + 8·d2 + … + 2·d8 − 1·d9 must be a multiple of 11 (and not 0). Profit rejects a person whose BSN fails it.
 */
import { Random } from './random.js';

export function isValidBsn(value: string): boolean {
  const text = value.length === 8 ? `0${value}` : value;
  if (!/^\d{9}$/.test(text)) return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(text[i]) * (9 - i);
  sum -= Number(text[8]);
  return sum !== 0 && sum % 11 === 0;
}

/** A random valid BSN (first digit 1–6, as issued numbers are). */
export function randomBsn(random: Random): string {
  for (;;) {
    const digits = [random.int(1, 6)];
    for (let i = 1; i < 8; i++) digits.push(random.int(0, 9));
    let sum = 0;
    for (let i = 0; i < 8; i++) sum += (digits[i] ?? 0) * (9 - i);
    const last = sum % 11;
    if (last <= 9) {
      const bsn = `${digits.join('')}${last}`;
      if (isValidBsn(bsn)) return bsn;
    }
  }
}
