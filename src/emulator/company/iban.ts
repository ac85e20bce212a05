/**
 * IBANs (ISO 13616): the demo company's are valid, and KnEmployee checks one when asked (`IbCk`).
 */

/** The ISO 7064 mod 97-10 remainder of an IBAN-shaped text (country and check digits moved to the end). */
function mod97(text: string): number {
  const digits = text.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let rest = 0;
  for (let i = 0; i < digits.length; i += 7) rest = Number(`${rest}${digits.slice(i, i + 7)}`) % 97;
  return rest;
}

/** Two letters, two check digits, 11–30 letters or digits, and the number mod 97 is 1. */
export function isValidIban(value: string): boolean {
  const iban = value.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  return mod97(iban.slice(4) + iban.slice(0, 4)) === 1;
}

/** A Dutch IBAN with its check digits: `NLkk` + a 4-letter bank code + a 10-digit account number. */
export function dutchIban(bank: string, account: string): string {
  const check = 98 - mod97(`${bank}${account}NL00`);
  return `NL${String(check).padStart(2, '0')}${bank}${account}`;
}
