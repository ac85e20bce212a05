/**
 * SOAP 1.1 envelopes as Profit's ASMX services read and write them.
 *
 * Sources of the shapes:
 * - requests: document/literal, the operation element in the namespace `urn:Afas.Profit.Services` with one child
 *   element per parameter, holding text (XML parameters such as `filtersXml` and `dataXml` are escaped text, not
 *   markup); `SOAPAction: "urn:Afas.Profit.Services/{operation}"` (integrationid.md's SOAP example; the request
 *   builders of rmuit/PracticalAfas `src/Client/SoapAppClient.php` and MegaChriz/afasprofit);
 * - responses: `<{operation}Response xmlns="urn:Afas.Profit.Services"><{operation}Result>` holding the result as
 *   escaped text, `<ExecuteResult />` when empty (MegaChriz/afasprofit `tests/resources/*Response*.xml`, recorded
 *   Profit answers);
 * - faults: HTTP 500 with `soap:Fault` (`faultcode`, `faultstring`, `detail`); the detail holds a
 *   `ProfitApplicationException` with `ErrorNumber`, `Message` (the faultstring) and `Detail`, a text with a
 *   `Description…:` and a `Log reference…:` line (the fault readers of rmuit/PracticalAfas
 *   `src/Client/NusoapNtlmClient.php` and of the public AFAS client that parses `Log reference\.+:`).
 *   unconfirmed: the namespace of `ProfitApplicationException` (none here: the readers match it by name), the exact
 *   padding of the Detail lines, and `soap:Client` for a request the service cannot read.
 */
import { ParseOption, XmlDocument, type XmlElement, type XmlTreeNode } from 'libxml2-wasm';

export const SOAP_ENV_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const SOAP12_ENV_NS = 'http://www.w3.org/2003/05/soap-envelope';
export const PROFIT_NS = 'urn:Afas.Profit.Services';
export const SOAP_CONTENT_TYPE = 'text/xml; charset=utf-8';

export const DOCTYPE = /<!DOCTYPE/i;

/**
 * Parses request XML. XML_PARSE_HUGE lifts libxml2's 10 MB limit on one text node: an attachment's base64 in
 * `dataXml` may be up to the 75 MB request limit. (Without a DTD there is nothing to expand.)
 */
export function parseRequestXml(text: string): XmlDocument {
  return XmlDocument.fromString(text, { option: ParseOption.XML_PARSE_HUGE });
}

/** A request the SOAP layer cannot read (no envelope, no operation): answered with a `soap:Client` fault. */
export class SoapRequestError extends Error {}

export interface SoapRequest {
  /** The operation element's local name, e.g. `GetDataWithOptions`. */
  readonly operation: string;
  /** The operation element's namespace (`urn:Afas.Profit.Services` when well formed). */
  readonly namespace: string;
  /** Parameter texts by name as sent (case-sensitive, as ASMX binds them). */
  readonly params: ReadonlyMap<string, string>;
}

/** The element children of `el`. */
export function childElements(el: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  for (let n: XmlTreeNode | null = el.firstChild; n !== null; n = n.next) {
    if (isElement(n)) out.push(n);
  }
  return out;
}

function isElement(n: XmlTreeNode): n is XmlElement {
  return 'attrs' in n;
}

/** Reads a SOAP 1.1 request envelope. Throws SoapRequestError when it is not one. */
export function parseSoapRequest(text: string): SoapRequest {
  // SOAP 1.1 §3: a message must not contain a document type declaration (nor, then, entities to expand).
  if (DOCTYPE.test(text)) throw new SoapRequestError('A SOAP message must not contain a document type declaration.');
  let doc: XmlDocument;
  try {
    doc = parseRequestXml(text);
  } catch {
    throw new SoapRequestError('The request is not well-formed XML.');
  }
  try {
    const env = doc.root;
    if (env.name !== 'Envelope' || (env.namespaceUri !== SOAP_ENV_NS && env.namespaceUri !== SOAP12_ENV_NS)) {
      throw new SoapRequestError('The request is not a SOAP envelope.');
    }
    // unconfirmed: ASMX also speaks SOAP 1.2; the emulator serves SOAP 1.1, the version every public AFAS client uses.
    if (env.namespaceUri === SOAP12_ENV_NS) throw new SoapRequestError('Only SOAP 1.1 envelopes are served.');
    const body = childElements(env).find((e) => e.name === 'Body' && e.namespaceUri === SOAP_ENV_NS);
    const op = body && childElements(body)[0];
    if (!op) throw new SoapRequestError('The SOAP body holds no operation.');
    const params = new Map<string, string>();
    for (const p of childElements(op)) if (!params.has(p.name)) params.set(p.name, p.content);
    return { operation: op.name, namespace: op.namespaceUri, params };
  } finally {
    doc.dispose();
  }
}

/** Escapes text for element content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function envelope(body: string): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    `<soap:Envelope xmlns:soap="${SOAP_ENV_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ` +
    `xmlns:xsd="http://www.w3.org/2001/XMLSchema"><soap:Body>${body}</soap:Body></soap:Envelope>`
  );
}

/** `<{op}Response><{op}Result>…</{op}Result></{op}Response>`; an empty result is `<{op}Result />`. */
export function soapResponse(operation: string, result: string): string {
  const inner =
    result === '' ? `<${operation}Result />` : `<${operation}Result>${escapeXml(result)}</${operation}Result>`;
  return envelope(`<${operation}Response xmlns="${PROFIT_NS}">${inner}</${operation}Response>`);
}

export interface SoapFault {
  readonly code: 'soap:Client' | 'soap:Server';
  readonly message: string;
  readonly errorNumber: number;
  /** 32 hex characters, as in Profit's REST errors. */
  readonly logReference: string;
}

export function soapFault(f: SoapFault): string {
  const detail = `Description.......: ${f.message}\nLog reference.....: ${f.logReference}`;
  return envelope(
    `<soap:Fault><faultcode>${f.code}</faultcode><faultstring>${escapeXml(f.message)}</faultstring>` +
      `<detail><ProfitApplicationException><ErrorNumber>${f.errorNumber}</ErrorNumber>` +
      `<Message>${escapeXml(f.message)}</Message><Detail>${escapeXml(detail)}</Detail>` +
      '</ProfitApplicationException></detail></soap:Fault>',
  );
}
