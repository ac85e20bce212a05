/**
 * An UpdateConnector's XSD over SOAP: `AppConnectorData.asmx` `Execute(token, dataID, parametersXml)` with
 * `dataID` `GetXmlSchema` and `<DataConnector><UpdateConnectorId>X</UpdateConnectorId><EncodeBase64>false
 * </EncodeBase64></DataConnector>` (PracticalAfas src/Connection.php; AppConnectorTestTool Functions.cs sends
 * `true` and decodes the base64). The result is `<AfasDataConnector><ConnectorData><Schema>…</Schema>…` with the
 * XSD inside `Schema`, as text or as elements; a base64 result is read too. Pure.
 */

import { escapeText } from '../xml/text.js';
import type { SoapCall } from './envelope.js';

export function xmlSchemaCall(updateConnectorId: string): SoapCall {
  return {
    service: 'AppConnectorData',
    operation: 'Execute',
    params: [
      ['dataID', 'GetXmlSchema'],
      [
        'parametersXml',
        `<DataConnector><UpdateConnectorId>${escapeText(updateConnectorId, 'the UpdateConnector id')}</UpdateConnectorId><EncodeBase64>false</EncodeBase64></DataConnector>`,
      ],
    ],
  };
}

const SCHEMA = /<Schema(?:\s[^>]*)?>([\s\S]*)<\/Schema>/;

/** The XSD text of a `GetXmlSchema` result; `undefined` when it holds none. */
export function readXmlSchema(result: string): string | undefined {
  let text = result.trim();
  // Base64 (EncodeBase64 true): no `<` at all.
  if (text !== '' && !text.startsWith('<') && /^[A-Za-z0-9+/=\s]+$/.test(text)) {
    text = Buffer.from(text, 'base64').toString('utf8').trim();
  }
  const inner = SCHEMA.exec(text)?.[1]?.trim();
  if (inner === undefined || inner === '') return undefined;
  // The XSD as escaped text inside `Schema`, or as its elements.
  return inner.startsWith('&lt;') ? unescapeXml(inner) : inner;
}

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#x([0-9A-Fa-f]+);/g, (_, h: string) => String.fromCodePoint(Number.parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, '&');
}
