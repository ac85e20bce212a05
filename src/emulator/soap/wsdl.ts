/**
 * The SOAP services the emulator serves under `/ProfitServices/`, their operations and parameters, and the WSDL
 * each answers to `?WSDL`.
 *
 * Operations and parameter names: profit-api.md (GetDataWithOptions, Execute, GetXmlSchema); rmuit/PracticalAfas
 * `src/Connection.php` and `src/Client/SoapAppClient.php` (`connectorId`, `filtersXml`, `skip`, `take`,
 * `options`; `connectorType`, `connectorVersion`, `dataXml`; `dataID`, `parametersXml`; `reportID`;
 * `subjectID`); MegaChriz/afasprofit `src/Core/Connector/*.php` (`GetAttachment` with `subjectID`, `fileId`).
 * Every operation takes the classic `token` first and answers one string, `{operation}Result`.
 * unconfirmed: the WSDL is the emulator's own rendering of those operations (document/literal, as ASMX writes
 * them), not a copy of Profit's.
 *
 * Not served: `AppConnectorReport.asmx` (PracticalAfas calls its `Execute` with `reportID` and `filtersXml`, but
 * no source shows its answer), the Subject service's `GetSubjectAttachmentInfo`/`GetSubjectAttachmentData` (the
 * demo store cannot list a subject's attachments), `AppConnectorVersionInfo` and the OTP `TokenConnector`.
 */
import { escapeXml, PROFIT_NS } from './envelope.js';

export interface SoapOperation {
  readonly name: string;
  /** Parameter names in order, with their XSD type. */
  readonly params: readonly (readonly [string, 'string' | 'int'])[];
}

export interface SoapService {
  /** As in the path: `AppConnectorGet` for `/ProfitServices/AppConnectorGet.asmx`. */
  readonly name: string;
  readonly operations: readonly SoapOperation[];
}

const token = ['token', 'string'] as const;

export const SOAP_SERVICES: readonly SoapService[] = [
  {
    name: 'AppConnectorGet',
    operations: [
      {
        name: 'GetData',
        params: [token, ['connectorId', 'string'], ['filtersXml', 'string'], ['skip', 'int'], ['take', 'int']],
      },
      {
        name: 'GetDataWithOptions',
        params: [
          token,
          ['connectorId', 'string'],
          ['filtersXml', 'string'],
          ['skip', 'int'],
          ['take', 'int'],
          ['options', 'string'],
        ],
      },
    ],
  },
  {
    name: 'AppConnectorUpdate',
    operations: [
      {
        name: 'Execute',
        params: [token, ['connectorType', 'string'], ['connectorVersion', 'int'], ['dataXml', 'string']],
      },
    ],
  },
  {
    name: 'AppConnectorData',
    operations: [{ name: 'Execute', params: [token, ['dataID', 'string'], ['parametersXml', 'string']] }],
  },
  {
    name: 'AppConnectorSubject',
    operations: [{ name: 'GetAttachment', params: [token, ['subjectID', 'string'], ['fileId', 'string']] }],
  },
];

/** The service a path names (`/ProfitServices/appconnectorget.asmx`, any case), or undefined. */
export function findSoapService(path: string): SoapService | undefined {
  const m = /^\/profitservices\/([^/]+)\.asmx$/i.exec(path);
  const name = m?.[1]?.toLowerCase();
  return SOAP_SERVICES.find((s) => s.name.toLowerCase() === name);
}

/** The WSDL of `service`, its address `location`. */
export function renderWsdl(service: SoapService, location: string): string {
  const elements = service.operations
    .map((op) => {
      const params = op.params
        .map(([n, t]) => `<s:element minOccurs="${t === 'int' ? 1 : 0}" maxOccurs="1" name="${n}" type="s:${t}"/>`)
        .join('');
      return (
        `<s:element name="${op.name}"><s:complexType><s:sequence>${params}</s:sequence></s:complexType></s:element>` +
        `<s:element name="${op.name}Response"><s:complexType><s:sequence>` +
        `<s:element minOccurs="0" maxOccurs="1" name="${op.name}Result" type="s:string"/>` +
        '</s:sequence></s:complexType></s:element>'
      );
    })
    .join('');
  const messages = service.operations
    .map(
      (op) =>
        `<wsdl:message name="${op.name}SoapIn"><wsdl:part name="parameters" element="tns:${op.name}"/></wsdl:message>` +
        `<wsdl:message name="${op.name}SoapOut"><wsdl:part name="parameters" element="tns:${op.name}Response"/>` +
        '</wsdl:message>',
    )
    .join('');
  const portOps = service.operations
    .map(
      (op) =>
        `<wsdl:operation name="${op.name}"><wsdl:input message="tns:${op.name}SoapIn"/>` +
        `<wsdl:output message="tns:${op.name}SoapOut"/></wsdl:operation>`,
    )
    .join('');
  const bindingOps = service.operations
    .map(
      (op) =>
        `<wsdl:operation name="${op.name}"><soap:operation soapAction="${PROFIT_NS}/${op.name}" style="document"/>` +
        '<wsdl:input><soap:body use="literal"/></wsdl:input><wsdl:output><soap:body use="literal"/></wsdl:output>' +
        '</wsdl:operation>',
    )
    .join('');
  const bindingOps12 = bindingOps.replace(/<soap:/g, '<soap12:');
  const n = service.name;
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    '<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" ' +
    'xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:soap12="http://schemas.xmlsoap.org/wsdl/soap12/" ' +
    'xmlns:s="http://www.w3.org/2001/XMLSchema" ' +
    `xmlns:tns="${PROFIT_NS}" targetNamespace="${PROFIT_NS}">` +
    `<wsdl:types><s:schema elementFormDefault="qualified" targetNamespace="${PROFIT_NS}">${elements}</s:schema>` +
    `</wsdl:types>${messages}<wsdl:portType name="${n}Soap">${portOps}</wsdl:portType>` +
    `<wsdl:binding name="${n}Soap" type="tns:${n}Soap"><soap:binding transport="http://schemas.xmlsoap.org/soap/http"/>` +
    `${bindingOps}</wsdl:binding>` +
    `<wsdl:binding name="${n}Soap12" type="tns:${n}Soap">` +
    `<soap12:binding transport="http://schemas.xmlsoap.org/soap/http"/>${bindingOps12}</wsdl:binding>` +
    `<wsdl:service name="${n}"><wsdl:port name="${n}Soap" binding="tns:${n}Soap">` +
    `<soap:address location="${escapeXml(location)}"/></wsdl:port>` +
    `<wsdl:port name="${n}Soap12" binding="tns:${n}Soap12"><soap12:address location="${escapeXml(location)}"/>` +
    '</wsdl:port></wsdl:service></wsdl:definitions>'
  );
}
