/**
 * SOAP envelopes as Profit's ASMX services read and write them: SOAP 1.1, the version the public AFAS clients use,
 * and SOAP 1.2, which ASMX services answer too (`application/soap+xml`, the action in the Content-Type; faults with
 * `Code`/`Reason`/`Detail`, W3C SOAP 1.2 part 1 §5.4). unconfirmed: that Profit left SOAP 1.2 enabled.
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
import { unexpectedError } from '../errors.js';

export const SOAP_ENV_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const SOAP12_ENV_NS = 'http://www.w3.org/2003/05/soap-envelope';
export const PROFIT_NS = 'urn:Afas.Profit.Services';
export type SoapVersion = '1.1' | '1.2';
export const SOAP_CONTENT_TYPE: Readonly<Record<SoapVersion, string>> = {
  '1.1': 'text/xml; charset=utf-8',
  '1.2': 'application/soap+xml; charset=utf-8',
};
const ENVELOPE_NS: Readonly<Record<SoapVersion, string>> = { '1.1': SOAP_ENV_NS, '1.2': SOAP12_ENV_NS };

export const DOCTYPE = /<!DOCTYPE/i;

/**
 * Parses request XML. XML_PARSE_HUGE lifts libxml2's 10 MB limit on one text node: an attachment's base64 in
 * `dataXml` may be up to the 75 MB request limit. (Without a DTD there is nothing to expand.)
 */
export function parseRequestXml(text: string): XmlDocument {
  return XmlDocument.fromString(text, { option: ParseOption.XML_PARSE_HUGE });
}

/**
 * Reads an XML parameter (filtersXml, options, parametersXml) with `read`; one that is not XML, or that carries a
 * DTD, is Profit's unexpected error.
 */
export function readXmlParameter<T>(text: string, read: (root: XmlElement) => T): T {
  if (DOCTYPE.test(text)) throw unexpectedError();
  let doc: XmlDocument;
  try {
    doc = parseRequestXml(text);
  } catch {
    throw unexpectedError();
  }
  try {
    return read(doc.root);
  } finally {
    doc.dispose();
  }
}

/** A request the SOAP layer cannot read (no envelope, no operation): answered with a `soap:Client` fault. */
export class SoapRequestError extends Error {
  constructor(
    message: string,
    /** The envelope's version when it was read that far. */
    readonly version: SoapVersion = '1.1',
  ) {
    super(message);
  }
}

export interface SoapRequest {
  readonly version: SoapVersion;
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

/** Reads a SOAP 1.1 or 1.2 request envelope. Throws SoapRequestError when it is not one. */
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
    const version: SoapVersion = env.namespaceUri === SOAP12_ENV_NS ? '1.2' : '1.1';
    const body = childElements(env).find((e) => e.name === 'Body' && e.namespaceUri === env.namespaceUri);
    const op = body && childElements(body)[0];
    if (!op) throw new SoapRequestError('The SOAP body holds no operation.', version);
    const params = new Map<string, string>();
    for (const p of childElements(op)) if (!params.has(p.name)) params.set(p.name, p.content);
    return { version, operation: op.name, namespace: op.namespaceUri, params };
  } finally {
    doc.dispose();
  }
}

/** Escapes text for element content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function envelope(body: string, version: SoapVersion): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    `<soap:Envelope xmlns:soap="${ENVELOPE_NS[version]}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ` +
    `xmlns:xsd="http://www.w3.org/2001/XMLSchema"><soap:Body>${body}</soap:Body></soap:Envelope>`
  );
}

/** `<{op}Response><{op}Result>…</{op}Result></{op}Response>`; an empty result is `<{op}Result />`. */
export function soapResponse(operation: string, result: string, version: SoapVersion = '1.1'): string {
  const inner =
    result === '' ? `<${operation}Result />` : `<${operation}Result>${escapeXml(result)}</${operation}Result>`;
  return envelope(`<${operation}Response xmlns="${PROFIT_NS}">${inner}</${operation}Response>`, version);
}

export interface SoapFault {
  readonly code: 'soap:Client' | 'soap:Server';
  readonly message: string;
  readonly errorNumber: number;
  /** 32 hex characters, as in Profit's REST errors. */
  readonly logReference: string;
  /** The message's language (SOAP 1.2's `xml:lang`). @default 'en' */
  readonly language?: string;
}

/** A fault; in SOAP 1.2 `soap:Client`/`soap:Server` are `soap:Sender`/`soap:Receiver`, as ASMX maps them. */
export function soapFault(f: SoapFault, version: SoapVersion = '1.1'): string {
  const detail = `Description.......: ${f.message}\nLog reference.....: ${f.logReference}`;
  const exception =
    `<ProfitApplicationException><ErrorNumber>${f.errorNumber}</ErrorNumber>` +
    `<Message>${escapeXml(f.message)}</Message><Detail>${escapeXml(detail)}</Detail></ProfitApplicationException>`;
  if (version === '1.2') {
    const code = f.code === 'soap:Client' ? 'soap:Sender' : 'soap:Receiver';
    return envelope(
      `<soap:Fault><soap:Code><soap:Value>${code}</soap:Value></soap:Code><soap:Reason>` +
        `<soap:Text xml:lang="${f.language ?? 'en'}">${escapeXml(f.message)}</soap:Text></soap:Reason>` +
        `<soap:Detail>${exception}</soap:Detail></soap:Fault>`,
      version,
    );
  }
  return envelope(
    `<soap:Fault><faultcode>${f.code}</faultcode><faultstring>${escapeXml(f.message)}</faultstring>` +
      `<detail>${exception}</detail></soap:Fault>`,
    version,
  );
}
