/** Reading the XML the SOAP transport receives; its text is written by ../xml/text.ts. Pure. */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

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
