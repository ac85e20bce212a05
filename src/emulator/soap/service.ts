/**
 * The SOAP side of the emulator: `/ProfitServices/{Service}.asmx` (path matched case-insensitively, as REST is),
 * its WSDL (`?WSDL`) and its operations, over the same company, grants, request log and faults as REST. The HTTP
 * layer (server.ts) applies the faults, the body limit and the log entry, then hands the exchange here.
 *
 * Authentication: the classic token as the `token` parameter (`<token><version>1</version><data>…</data></token>`,
 * as text; rmuit/PracticalAfas `SoapAppClient.php`), or the `Authorization` header as REST takes it (`AfasToken …`
 * in integrationid.md's SOAP example; `Bearer …` for OAuth, which profit-api.md says serves REST and SOAP). The
 * parameter wins when both are sent (unconfirmed). A missing or unknown token is a `soap:Client` fault (the caller
 * must fix its credentials, as REST's 401 says); a connector the token's app connector does not grant is a
 * `soap:Server` fault with REST's message (REST answers it with a 500 too).
 *
 * unconfirmed: the faultcode and text of a token Profit does not accept (the emulator's own wording below); a
 * SOAPAction header that names another operation than the body is a `soap:Client` fault; no SOAPAction is accepted.
 */
import type { Principal } from '../auth.js';
import type { Company, GetConnectorDef, GetFieldDef, UpdateConnectorDef } from '../company/types.js';
import { ProfitRejection } from '../company/types.js';
import { notAuthorized, UNEXPECTED_ERROR_NUMBER, unexpectedError } from '../errors.js';
import { selectRows } from '../get-connector.js';
import { type Exchange, logReference, type Sent } from '../http.js';
import type { LogEntry } from '../log.js';
import {
  childElements,
  escapeXml,
  PROFIT_NS,
  parseSoapRequest,
  readXmlParameter,
  SOAP_CONTENT_TYPE,
  SoapRequestError,
  type SoapVersion,
  soapFault,
  soapResponse,
} from './envelope.js';
import { parseSoapGetRequest, renderGetXml } from './get.js';
import { executeXmlBody, readXmlBody } from './update.js';
import { renderWsdl, type SoapService } from './wsdl.js';
import { generateUpdateXsd } from './xsd.js';

/** What the SOAP services need of the emulator core: the same checks REST makes. */
export interface SoapHost {
  readonly company: Company;
  /** Resolves an `Authorization` header value as REST does; undefined when it identifies no one. */
  authenticate(authorization: string | undefined): Principal | undefined;
  /** Throws the REST "not supported for this app" rejection when not granted. */
  grantedGet(principal: Principal, id: string): { def: GetConnectorDef; fields: GetFieldDef[] };
  grantedUpdate(principal: Principal, id: string): UpdateConnectorDef;
  /** Told of errors that are not functional rejections (bugs); the caller gets Profit's unexpected error. */
  onError(error: unknown): void;
}

/** A token Profit does not accept; the emulator's text (unconfirmed). Answered as a `soap:Client` fault. */
class TokenRejection extends ProfitRejection {
  constructor() {
    super({ nl: 'Het token is ongeldig.', en: 'The token is not valid.' }, UNEXPECTED_ERROR_NUMBER);
  }
}

function send(x: Exchange, status: number, xml: string, version: SoapVersion): Sent {
  return x.send(status, xml, { 'Content-Type': SOAP_CONTENT_TYPE[version] });
}

/**
 * A fault for `e`: a request the service cannot read or a token it does not accept (`soap:Client`), a
 * ProfitRejection (`soap:Server`); anything else goes to `onError` and is answered as Profit's unexpected error.
 */
export function sendSoapFault(
  x: Exchange,
  e: unknown,
  onError: (error: unknown) => void,
  version: SoapVersion = '1.1',
): Sent {
  if (e instanceof SoapRequestError) {
    const fault = { code: 'soap:Client', message: e.message, errorNumber: UNEXPECTED_ERROR_NUMBER } as const;
    return send(x, 500, soapFault({ ...fault, logReference: logReference() }, e.version), e.version);
  }
  let rejection: ProfitRejection;
  if (e instanceof ProfitRejection) rejection = e;
  else {
    onError(e);
    rejection = unexpectedError();
  }
  const fault = soapFault(
    {
      code: rejection instanceof TokenRejection ? 'soap:Client' : 'soap:Server',
      message: rejection.in(x.language),
      errorNumber: rejection.errorNumber,
      logReference: logReference(),
      language: x.language,
    },
    version,
  );
  return send(x, 500, fault, version);
}

/** Handles one request to `service`; `url` is the request's own address (for the WSDL's location). */
export function handleSoap(
  host: SoapHost,
  x: Exchange,
  service: SoapService,
  method: string,
  query: string,
  body: string | undefined,
  url: string,
): Sent {
  if (method === 'GET') {
    // unconfirmed: ASMX answers a bare GET with an HTML help page; the emulator serves only the WSDL.
    if (/^\?wsdl$/i.test(query)) return send(x, 200, renderWsdl(service, url), '1.1');
    return x.send(404);
  }
  if (method !== 'POST') return x.send(404);
  let version: SoapVersion = '1.1';
  try {
    const request = parseSoapRequest(body ?? '');
    version = request.version;
    const op = service.operations.find((o) => o.name === request.operation);
    if (!op || request.namespace !== PROFIT_NS) {
      throw new SoapRequestError(`Server did not recognize the operation '${request.operation}'.`, version);
    }
    const action = soapAction(x, version);
    if (action !== undefined && action !== '' && action !== `${PROFIT_NS}/${op.name}`) {
      throw new SoapRequestError(`Server did not recognize the value of HTTP Header SOAPAction: ${action}.`, version);
    }
    const entry = x.entry as LogEntry;
    entry.soapOperation = `${service.name}.${op.name}`;
    const principal = authenticateSoap(host, request.params.get('token'), x.req.headers.authorization);
    entry.appConnector = principal.app.id;
    entry.user = principal.user.name;
    const result = run(host, service.name, op.name, request.params, principal, entry);
    return send(x, 200, soapResponse(op.name, result, version), version);
  } catch (e) {
    return sendSoapFault(x, e, (error) => host.onError(error), version);
  }
}

/** The action asked for: SOAP 1.1's `SOAPAction` header, SOAP 1.2's `action` parameter of the Content-Type. */
function soapAction(x: Exchange, version: SoapVersion): string | undefined {
  if (version === '1.1') {
    const header = x.req.headers.soapaction;
    return typeof header === 'string' ? header.replace(/^"|"$/g, '') : undefined;
  }
  return /;\s*action\s*=\s*"?([^";]*)"?/i.exec(x.req.headers['content-type'] ?? '')?.[1];
}

function authenticateSoap(host: SoapHost, token: string | undefined, header: string | undefined): Principal {
  let principal: Principal | undefined;
  // The parameter holds the token XML itself; REST's header carries the same XML in base64, so one check serves both.
  if (token !== undefined && token.trim() !== '') {
    principal = host.authenticate(`AfasToken ${Buffer.from(token.trim(), 'utf8').toString('base64')}`);
  } else principal = host.authenticate(header);
  if (!principal) throw new TokenRejection();
  return principal;
}

function run(
  host: SoapHost,
  service: string,
  operation: string,
  params: ReadonlyMap<string, string>,
  principal: Principal,
  entry: LogEntry,
): string {
  const company = host.company;
  switch (`${service}.${operation}`) {
    case 'AppConnectorGet.GetData':
    case 'AppConnectorGet.GetDataWithOptions': {
      const { def, fields } = host.grantedGet(principal, params.get('connectorId') ?? '');
      const { request, options } = parseSoapGetRequest(operation === 'GetData' ? without(params, 'options') : params);
      return renderGetXml(def.id, selectRows(def.rows(company.store), fields, request), fields, options);
    }
    case 'AppConnectorUpdate.Execute': {
      const def = host.grantedUpdate(principal, params.get('connectorType') ?? '');
      const body = readXmlBody(def, params.get('dataXml') ?? '');
      entry.bodyRoot = body.root;
      return executeXmlBody(def, body, company.store);
    }
    case 'AppConnectorData.Execute':
      return dataConnector(host, principal, params);
    case 'AppConnectorSubject.GetAttachment': {
      if (!principal.app.subjectConnector) throw notAuthorized('SubjectConnector');
      const file = company.store.subjectFile(params.get('subjectID') ?? '', params.get('fileId') ?? '');
      // unconfirmed: an attachment that does not exist (or is withheld) is Profit's generic error.
      if (!file) throw unexpectedError();
      return file.data.toString('base64');
    }
    default:
      throw new SoapRequestError(`Server did not recognize the operation '${operation}'.`);
  }
}

function without(params: ReadonlyMap<string, string>, name: string): Map<string, string> {
  const copy = new Map(params);
  copy.delete(name);
  return copy;
}

/**
 * `Execute(dataID=GetXmlSchema, parametersXml=<DataConnector><UpdateConnectorId>X</UpdateConnectorId>
 * <EncodeBase64>false</EncodeBase64></DataConnector>)`: the answer is `<AfasDataConnector>` with a `ConnectorData`
 * holding `Id` and `Schema` (the XSD, as text; base64 when EncodeBase64 is true), preceded by its own xs:schema
 * (MegaChriz/afasprofit `src/Core/Connector/DataConnector.php`, `tests/resources/DataConnector/ExecuteResponse.xml`).
 * The UpdateConnector must be granted to the token, as for its metainfo.
 */
function dataConnector(host: SoapHost, principal: Principal, params: ReadonlyMap<string, string>): string {
  if ((params.get('dataID') ?? '').toLowerCase() !== 'getxmlschema') throw unexpectedError();
  const { id, base64 } = readXmlParameter(params.get('parametersXml') ?? '', (root) => {
    if (root.name !== 'DataConnector') throw unexpectedError();
    const value = (name: string) =>
      childElements(root)
        .find((e) => e.name === name)
        ?.content.trim();
    return { id: value('UpdateConnectorId'), base64: value('EncodeBase64')?.toLowerCase() === 'true' };
  });
  if (!id) throw unexpectedError();
  const def = host.grantedUpdate(principal, id);
  const xsd = generateUpdateXsd(def);
  const schema = base64 ? Buffer.from(xsd, 'utf8').toString('base64') : xsd;
  return (
    '<AfasDataConnector><xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="AfasDataConnector">' +
    '<xs:complexType><xs:choice maxOccurs="unbounded"><xs:element name="ConnectorData"><xs:complexType><xs:sequence>' +
    '<xs:element name="Id" type="xs:string" minOccurs="0"/><xs:element name="Schema" type="xs:string" minOccurs="0"/>' +
    '</xs:sequence></xs:complexType></xs:element></xs:choice></xs:complexType></xs:element></xs:schema>' +
    `<ConnectorData><Id>${escapeXml(def.id)}</Id><Schema>${escapeXml(schema)}</Schema></ConnectorData>` +
    '</AfasDataConnector>'
  );
}
