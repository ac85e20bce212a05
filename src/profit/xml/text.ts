/** Writing text into XML, for the XML form of bodies (update-xml.ts) and the SOAP envelopes (../soap/). Pure. */
import { invalidArgument } from '../errors.js';

// XML 1.0 Char: everything but C0 controls other than tab/LF/CR, U+FFFE/U+FFFF and lone surrogates. Naming those
// control characters is this pattern's purpose.
const NOT_XML_CHAR =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the characters XML 1.0 cannot carry
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether `text` holds a character XML 1.0 cannot carry (so no XML form of it exists). */
export const hasNonXmlCharacter = (text: string): boolean => NOT_XML_CHAR.test(text);

/**
 * Text content: `&`, `<`, `>` escaped, and a carriage return as `&#xD;` (a parser turns a raw CR into LF, so the
 * value would change). Refuses (`invalid-argument`, naming `where`) characters XML cannot carry, rather than send a
 * value Profit would store otherwise.
 */
export function escapeText(text: string, where: string): string {
  if (NOT_XML_CHAR.test(text)) invalidArgument(`${where}: the value holds a character XML 1.0 cannot carry`);
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#xD;');
}

/** An attribute value in double quotes: also `"`, and tab / LF / CR as references (a parser normalises them). */
export function escapeAttribute(text: string, where: string): string {
  return escapeText(text, where).replace(/"/g, '&quot;').replace(/\t/g, '&#x9;').replace(/\n/g, '&#xA;');
}

/** Refuses a DOCTYPE anywhere before the root: no DTD is read, so no entity can expand or fetch a file. */
export function refuseDoctype(xml: string): void {
  if (/<!DOCTYPE/i.test(xml)) invalidArgument('XML with a DOCTYPE is refused (no DTD is read)');
}
