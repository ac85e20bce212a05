/** Writing and reading the bits of XML the SOAP transport handles itself. Pure. */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { invalidArgument } from '../errors.js';

/** Characters XML 1.0 cannot carry at all, not even as a character reference. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters refused
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

/**
 * Text content: `&`, `<`, `>` escaped, and a carriage return as `&#xD;` (a parser turns a raw CR into LF, so the
 * value would change). Refuses characters XML cannot carry, rather than send a value Profit would store otherwise.
 */
export function escapeText(text: string, what = 'a value'): string {
  if (NOT_XML.test(text)) invalidArgument(`${what} contains a control character that XML cannot carry`);
  return text.replace(/[&<>\r]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&#xD;'));
}

/** An attribute value in double quotes: also `"`, and tab / LF / CR as references (a parser normalises them). */
export function escapeAttribute(text: string, what = 'a value'): string {
  return escapeText(text, what).replace(/["\t\n]/g, (c) => (c === '"' ? '&quot;' : c === '\t' ? '&#x9;' : '&#xA;'));
}

/**
 * Reads XML as nested records: namespace prefixes dropped (`soap:Body` → `Body`), attributes as `@name`, every text
 * kept as text exactly (no number parsing, no trimming), character references decoded. A DOCTYPE is refused before
 * parsing: neither a SOAP answer nor a GetConnector result has one, and its entities could expand without bound.
 */
const PARSER = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

/** Parses well-formed XML (see `PARSER`); throws a `SyntaxError` for anything else. */
export function parseXml(text: string): unknown {
  if (/<!DOCTYPE/i.test(text)) throw new SyntaxError('XML with a DOCTYPE is refused');
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new SyntaxError(`not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  return PARSER.parse(text);
}

/** One child or several, as a list. */
export function listOf(value: unknown): unknown[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}
