/**
 * SOAP 1.1 envelopes of Profit's app connector services, and reading their answers. Pure.
 *
 * Shapes, from AFAS's SOAP example (afas-docs/integrationid.md) and the public clients PracticalAfas
 * (src/Client/SoapAppClient.php), MegaChriz/afasprofit (src/Core/Connector/*.php) and johananvm/AppConnectorTestTool
 * (Functions.cs), which agree:
 * - envelope namespace `http://schemas.xmlsoap.org/soap/envelope/` (SOAP 1.1); the operation element in the
 *   namespace `urn:Afas.Profit.Services`, its parameters as unprefixed child elements of it;
 * - header `SOAPAction: "urn:Afas.Profit.Services/{operation}"`, `Content-Type: text/xml; charset=utf-8`;
 * - the classic token as the text of the `token` parameter: the whole `<token><version>1</version><data>…</data>
 *   </token>`, escaped (AppConnectorTestTool wraps it in CDATA instead: the same text);
 * - the answer: `<{operation}Response><{operation}Result>` holding the result as one XML string;
 * - a failure: HTTP 500 with `soap:Fault` (`faultcode`, `faultstring`, `detail/ProfitApplicationException` with
 *   `ErrorNumber`, `Message`, `Detail`), as PracticalAfas's NuSOAP client and webcodebg/AFAS-ProfitClass-PHP read it.
 */
import { isRecord } from '../errors.js';
import { escapeText } from '../xml/text.js';
import { listOf, parseXml } from './xml-text.js';

export const SOAP_ENVELOPE_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const PROFIT_SERVICES_NS = 'urn:Afas.Profit.Services';

/** The services the client calls, as their `.asmx` names below `…/ProfitServices/`. */
export type SoapService = 'AppConnectorGet' | 'AppConnectorUpdate' | 'AppConnectorData' | 'AppConnectorSubject';

/** One SOAP operation, without its credential (the transport adds the token of each attempt). */
export interface SoapCall {
  readonly service: SoapService;
  readonly operation: string;
  /** The parameters after `token`, in order, as text (escaped when the envelope is written). */
  readonly params: readonly (readonly [name: string, value: string])[];
  /**
   * A fault of Profit's (neither a token's nor a grant's) means what the call names is absent or withheld: kind
   * `not-found`, as REST's 404 for the same thing (a file). @default false (such a fault is `rejected`)
   */
  readonly notFoundOnFault?: boolean;
}

export function soapAction(call: SoapCall): string {
  return `${PROFIT_SERVICES_NS}/${call.operation}`;
}

/** The envelope of `call`; `token` (the classic token's XML) becomes the first parameter when given. */
export function buildEnvelope(call: SoapCall, token?: string): string {
  let params = token === undefined ? '' : `<token>${escapeText(token, 'the token')}</token>`;
  for (const [name, value] of call.params) params += `<${name}>${escapeText(value, `the ${name} parameter`)}</${name}>`;
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    `<soap:Envelope xmlns:soap="${SOAP_ENVELOPE_NS}"><soap:Body>` +
    `<${call.operation} xmlns="${PROFIT_SERVICES_NS}">${params}</${call.operation}>` +
    '</soap:Body></soap:Envelope>'
  );
}

/** What a `soap:Fault` says. */
export interface SoapFault {
  readonly faultCode: string | undefined;
  readonly faultString: string | undefined;
  /** `detail/ProfitApplicationException/ErrorNumber`. */
  readonly errorNumber: number | undefined;
  /** `…/Message`, else `faultstring`. */
  readonly message: string | undefined;
  /** `…/Detail`: Profit's longer text, with the log reference. */
  readonly detail: string | undefined;
  readonly logReference: string | undefined;
}

export type SoapAnswer = { readonly result: string } | { readonly fault: SoapFault };

/**
 * Reads an answer envelope: the text of `{operation}Result` (`''` when it is empty or absent, as an Execute that
 * returns nothing answers), or its fault. Throws a `SyntaxError` when the text is not such an envelope.
 */
export function readEnvelope(text: string, operation: string): SoapAnswer {
  const direct = resultText(text, operation);
  if (direct !== undefined) return { result: direct };
  const doc = parseXml(text);
  const envelope = isRecord(doc) ? doc.Envelope : undefined;
  const body = isRecord(envelope) ? envelope.Body : undefined;
  if (!isRecord(body)) throw new SyntaxError('not a SOAP envelope with a Body');
  if (body.Fault !== undefined) return { fault: readFault(body.Fault) };
  const response = body[`${operation}Response`];
  if (response === undefined) throw new SyntaxError(`the SOAP Body has no ${operation}Response`);
  if (response === '' || !isRecord(response)) return { result: '' };
  const result = response[`${operation}Result`];
  if (result === undefined || result === '') return { result: '' };
  if (typeof result !== 'string') throw new SyntaxError(`${operation}Result is not text`);
  return { result };
}

/**
 * The text of the one `{operation}Result` element of an answer, found and unescaped directly; `undefined` to read
 * the envelope whole instead (a fault, a DOCTYPE, a result with markup or CDATA, anything unusual). A GetConnector
 * page is one escaped text of hundreds of KB inside the envelope, and a general XML parser took several times the
 * JSON parse of the same rows to hand it out (issue 12 keeps CPU per request in view).
 */
function resultText(text: string, operation: string): string | undefined {
  if (/<!DOCTYPE/i.test(text)) return undefined;
  const open = new RegExp(`<(?:[A-Za-z_][\\w.-]*:)?${operation}Result(?:\\s[^<>]*?)?(/?)>`).exec(text);
  if (open === null) return undefined;
  if (open[1] === '/') return '';
  const start = open.index + open[0].length;
  const close = new RegExp(`</(?:[A-Za-z_][\\w.-]*:)?${operation}Result\\s*>`, 'g');
  close.lastIndex = start;
  const end = close.exec(text);
  if (end === null) return undefined;
  const inner = text.slice(start, end.index);
  if (inner.includes('<') || inner.includes(']]>')) return undefined;
  try {
    return inner.replace(ENTITY, (whole, hex?: string, dec?: string, name?: string) => {
      if (hex !== undefined) return String.fromCodePoint(Number.parseInt(hex, 16));
      if (dec !== undefined) return String.fromCodePoint(Number(dec));
      return NAMED[name as string] ?? whole;
    });
  } catch {
    return undefined; // a reference to no character: the whole parse says what is wrong
  }
}

const ENTITY = /&(?:#x([0-9A-Fa-f]+)|#(\d+)|(lt|gt|amp|quot|apos));/g;
const NAMED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Profit's "Log reference……: 0A1B…" line of a fault's detail text (webcodebg/AFAS-ProfitClass-PHP reads it so). */
const LOG_REFERENCE = /log\s*reference[\s.:]*([0-9A-Za-z][0-9A-Za-z-]{5,})/i;

function readFault(fault: unknown): SoapFault {
  const f = isRecord(fault) ? fault : {};
  const detail = isRecord(f.detail) ? f.detail : {};
  const exception = isRecord(detail.ProfitApplicationException) ? detail.ProfitApplicationException : detail;
  const faultString = textOf(f.faultstring);
  const detailText = textOf(exception.Detail);
  const number = Number(textOf(exception.ErrorNumber));
  // A log reference as an element of its own (unconfirmed: Profit writes it into the Detail text) is read too.
  const logReference =
    textOf(exception.LogReference) ?? textOf(exception.profitLogReference) ?? LOG_REFERENCE.exec(detailText ?? '')?.[1];
  return {
    faultCode: textOf(f.faultcode),
    faultString,
    errorNumber: textOf(exception.ErrorNumber) !== undefined && Number.isFinite(number) ? number : undefined,
    message: textOf(exception.Message) ?? faultString,
    detail: detailText,
    logReference,
  };
}

function textOf(value: unknown): string | undefined {
  const v = listOf(value)[0];
  if (typeof v === 'string') return v.trim() === '' ? undefined : v.trim();
  if (isRecord(v) && typeof v['#text'] === 'string') return v['#text'].trim() || undefined;
  return undefined;
}
