/**
 * The SOAP transport's pure parts: envelopes, GetDataWithOptions parameters, rows typed by field metainfo, Execute
 * results, GetXmlSchema results, faults as ProfitErrors, and the SOAP addresses. No HTTP: these are the shapes.
 */
import { describe, expect, it } from 'vitest';
import { ProfitDecimal } from '../../src/profit/decimal.js';
import { ProfitError } from '../../src/profit/errors.js';
import type { GetConnectorField } from '../../src/profit/results.js';
import { soapBaseUrl, soapBaseUrlFor } from '../../src/profit/soap/address.js';
import { buildEnvelope, readEnvelope, soapAction } from '../../src/profit/soap/envelope.js';
import { errorFromFault } from '../../src/profit/soap/faults.js';
import { filtersXml, getDataCall, readGetDataRows } from '../../src/profit/soap/get-data.js';
import { readXmlSchema, xmlSchemaCall } from '../../src/profit/soap/schema.js';
import { deleteElement, executeCall, readExecuteResult } from '../../src/profit/soap/update.js';
import { parseXml } from '../../src/profit/soap/xml-text.js';

const TOKEN = '<token><version>1</version><data>ABC</data></token>';

function field(id: string, dataType: string): GetConnectorField {
  return { id, fieldId: id, dataType, label: id, length: 0, controlType: 0, decimals: 0, decimalsFieldId: '' };
}

const envelope = (body: string) =>
  `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>${body}</soap:Body></soap:Envelope>`;

describe('envelopes', () => {
  it('writes the operation in urn:Afas.Profit.Services with the token first, every value escaped', () => {
    const call = getDataCall('Profit_Users', { filter: [[{ field: 'Nm', op: 'eq', value: 'A & <B>' }]], take: 5 });
    const xml = buildEnvelope(call, TOKEN);
    const doc = parseXml(xml) as { Envelope: { Body: { GetDataWithOptions: Record<string, string> } } };
    const op = doc.Envelope.Body.GetDataWithOptions;
    expect(xml).toContain('<GetDataWithOptions xmlns="urn:Afas.Profit.Services"><token>');
    expect(Object.keys(op).filter((k) => !k.startsWith('@'))).toEqual([
      'token',
      'connectorId',
      'filtersXml',
      'skip',
      'take',
      'options',
    ]);
    expect(op.token).toBe(TOKEN);
    expect(op.filtersXml).toBe(
      '<Filters><Filter FilterId="Filter 1"><Field FieldId="Nm" OperatorType="1">A &amp; &lt;B&gt;</Field></Filter></Filters>',
    );
    expect(op.skip).toBe('0');
    expect(op.take).toBe('5');
    expect(soapAction(call)).toBe('urn:Afas.Profit.Services/GetDataWithOptions');
  });

  it('leaves the token out when the credential travels in a header', () => {
    expect(buildEnvelope(executeCall('KnSubject', '<KnSubject/>'))).not.toContain('<token>');
  });

  it('refuses a value XML cannot carry instead of sending another one', () => {
    expect(() => buildEnvelope(executeCall('KnSubject', 'a\u0001b'))).toThrow(ProfitError);
  });

  it('reads the Result text of an answer, and an empty Execute answer as empty', () => {
    const answer = envelope(
      '<GetDataWithOptionsResponse xmlns="urn:Afas.Profit.Services"><GetDataWithOptionsResult>&lt;AfasGetConnector/&gt;</GetDataWithOptionsResult></GetDataWithOptionsResponse>',
    );
    expect(readEnvelope(answer, 'GetDataWithOptions')).toEqual({ result: '<AfasGetConnector/>' });
    expect(readEnvelope(envelope('<ExecuteResponse xmlns="urn:Afas.Profit.Services"/>'), 'Execute')).toEqual({
      result: '',
    });
  });

  it('reads a result with references, a prefixed element or CDATA exactly as an XML parser reads it', () => {
    const text = '&lt;A x=&quot;1&quot;&gt;a &amp;amp; b&#xD;&#10;&#x1F600; &apos;c&apos;&lt;/A&gt;';
    const plain = envelope(
      `<R:ExecuteResponse xmlns:R="urn:Afas.Profit.Services"><R:ExecuteResult>${text}</R:ExecuteResult></R:ExecuteResponse>`,
    );
    expect(readEnvelope(plain, 'Execute')).toEqual({ result: '<A x="1">a &amp; b\r\n😀 \'c\'</A>' });
    const cdata = envelope(
      '<ExecuteResponse xmlns="urn:Afas.Profit.Services"><ExecuteResult><![CDATA[<A>&amp;</A>]]></ExecuteResult></ExecuteResponse>',
    );
    expect(readEnvelope(cdata, 'Execute')).toEqual({ result: '<A>&amp;</A>' });
    expect(readEnvelope(envelope('<ExecuteResponse><ExecuteResult/></ExecuteResponse>'), 'Execute')).toEqual({
      result: '',
    });
  });

  it('refuses an answer that is no envelope, and one with a DOCTYPE', () => {
    expect(() => readEnvelope('<html>busy</html>', 'Execute')).toThrow(SyntaxError);
    expect(() => readEnvelope(`<!DOCTYPE x [<!ENTITY a "b">]>${envelope('')}`, 'Execute')).toThrow(SyntaxError);
  });
});

describe('GetDataWithOptions', () => {
  it('sends OR-ed filter groups as Filter elements and the sort as Index', () => {
    const call = getDataCall('Profit_Users', {
      filter: [
        [
          { field: 'A', op: 'gte', value: 5 },
          { field: 'B', op: 'isEmpty' },
        ],
        [{ field: 'C', op: 'contains', value: true }],
      ],
      orderBy: [{ field: 'A' }, { field: 'B', descending: true }],
      skip: -1,
      take: -1,
    });
    const params = Object.fromEntries(call.params);
    expect(params.filtersXml).toBe(
      '<Filters><Filter FilterId="Filter 1"><Field FieldId="A" OperatorType="2">5</Field><Field FieldId="B" OperatorType="8"></Field></Filter>' +
        '<Filter FilterId="Filter 2"><Field FieldId="C" OperatorType="6">true</Field></Filter></Filters>',
    );
    expect(params.options).toBe(
      '<options><Outputmode>1</Outputmode><Metadata>0</Metadata><Outputoptions>3</Outputoptions><Index><Field FieldId="A" OperatorType="1"/><Field FieldId="B" OperatorType="0"/></Index></options>',
    );
    expect([params.skip, params.take]).toEqual(['-1', '-1']);
  });

  it('sends no filtersXml without a filter, and always a take (without one SOAP returns nothing)', () => {
    const params = Object.fromEntries(getDataCall('X').params);
    expect(params.filtersXml).toBeUndefined();
    expect(params.take).toBe('100');
    expect(filtersXml({ filter: [] })).toBeUndefined();
  });

  it('types each cell by its field metainfo, never by the shape of its text', () => {
    const fields = [
      field('Id', 'int'),
      field('Amount', 'decimal'),
      field('Big', 'int'),
      field('Active', 'boolean'),
      field('Born', 'date'),
      field('Code', 'string'),
      field('Empty', 'string'),
      field('Absent', 'int'),
    ];
    const xml =
      '<AfasGetConnector><Profit_X><Id>42</Id><Amount>-0.50</Amount><Big>12345678901234567890</Big><Active>true</Active>' +
      '<Born>1980-05-17T00:00:00</Born><Code>007</Code><Empty/></Profit_X></AfasGetConnector>';
    const [row] = readGetDataRows(xml, 'Profit_X', fields);
    expect(row).toEqual({
      Id: 42,
      Amount: new ProfitDecimal('-0.50'),
      Big: new ProfitDecimal('12345678901234567890'),
      Active: true,
      Born: '1980-05-17T00:00:00Z',
      Code: '007',
      Empty: null,
      Absent: null,
    });
    expect(Object.keys(row ?? {})).toEqual(fields.map((f) => f.id));
  });

  it('keeps a text that does not fit its declared type, and white space and line breaks as sent', () => {
    const xml =
      '<AfasGetConnector><Profit_X><Id>n/a</Id><Note>  two&#xD;\nlines </Note></Profit_X><Profit_X><Id>1</Id></Profit_X></AfasGetConnector>';
    expect(readGetDataRows(xml, 'Profit_X', [field('Id', 'int'), field('Note', 'string')])).toEqual([
      { Id: 'n/a', Note: '  two\r\nlines ' },
      { Id: 1, Note: null },
    ]);
  });

  it('reads an empty result as no rows, and decodes .NET-encoded element names', () => {
    expect(readGetDataRows('<AfasGetConnector/>', 'X', [])).toEqual([]);
    expect(readGetDataRows('', 'X', [])).toEqual([]);
    expect(readGetDataRows('<AfasGetConnector><X><A_x0020_B>1</A_x0020_B></X></AfasGetConnector>', 'X', [])).toEqual([
      { 'A B': '1' },
    ]);
    expect(() => readGetDataRows('<Other/>', 'X', [])).toThrow(SyntaxError);
  });
});

describe('Execute', () => {
  it('calls connectorType with connectorVersion 1 and the XML body', () => {
    expect(executeCall('KnSubject', '<KnSubject/>').params).toEqual([
      ['connectorType', 'KnSubject'],
      ['connectorVersion', '1'],
      ['dataXml', '<KnSubject/>'],
    ]);
  });

  it('deletes by key attributes, nested levels as sub-objects', () => {
    expect(deleteElement('KnSubject', { SbId: 1 })).toEqual({
      root: 'KnSubject',
      element: { keys: { SbId: 1 }, action: 'delete' },
    });
    expect(
      deleteElement('FiEntries', [
        { object: 'FiEntryPar', keys: { Year: 2024, UnId: 1 }, atPrefix: false },
        { object: 'FiEntries', keys: { EnNo: 7 } },
      ]),
    ).toEqual({
      root: 'FiEntryPar',
      element: { keys: { Year: 2024, UnId: 1 }, objects: { FiEntries: { keys: { EnNo: 7 }, action: 'delete' } } },
    });
  });

  it('reads results as REST gives them, and nothing as no results', () => {
    expect(readExecuteResult('<results><KnSubject><SbId>17</SbId></KnSubject></results>')).toEqual({
      results: { KnSubject: { SbId: '17' } },
    });
    expect(
      readExecuteResult(
        '<results><HrAbsenceID><Id>1</Id></HrAbsenceID><HrAbsenceID><Id>2</Id></HrAbsenceID></results>',
      ),
    ).toEqual({ results: { HrAbsenceID: { Id: '2' } } });
    expect(readExecuteResult('')).toEqual({ results: {} });
    expect(readExecuteResult('<results/>')).toEqual({ results: {} });
    expect(readExecuteResult('<html/>')).toBeUndefined();
  });
});

describe('GetXmlSchema', () => {
  const XSD = '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="KnSubject"/></xs:schema>';

  it('asks the DataConnector for the UpdateConnector, escaped', () => {
    expect(xmlSchemaCall('KnSubject').params).toEqual([
      ['dataID', 'GetXmlSchema'],
      [
        'parametersXml',
        '<DataConnector><UpdateConnectorId>KnSubject</UpdateConnectorId><EncodeBase64>false</EncodeBase64></DataConnector>',
      ],
    ]);
  });

  it('reads the XSD inside Schema as elements, as escaped text, or base64-encoded', () => {
    const wrap = (inner: string) =>
      `<AfasDataConnector><ConnectorData><Id>KnSubject</Id><Schema>${inner}</Schema></ConnectorData></AfasDataConnector>`;
    expect(readXmlSchema(wrap(XSD))).toBe(XSD);
    expect(readXmlSchema(wrap(XSD.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')))).toBe(XSD);
    expect(readXmlSchema(Buffer.from(wrap(XSD)).toString('base64'))).toBe(XSD);
    expect(readXmlSchema('<AfasDataConnector/>')).toBeUndefined();
  });
});

describe('faults', () => {
  const fault = (message: string, detail = '') => {
    const answer = readEnvelope(
      envelope(
        `<soap:Fault><faultcode>soap:Server</faultcode><faultstring>${message}</faultstring><detail><ProfitApplicationException xmlns="urn:Afas.Profit.Services"><ErrorNumber>-2147220469</ErrorNumber><Message>${message}</Message><Detail>${detail}</Detail></ProfitApplicationException></detail></soap:Fault>`,
      ),
      'Execute',
    );
    if (!('fault' in answer)) throw new Error('no fault');
    return answer.fault;
  };
  const ctx = { method: 'POST', path: '/connectors/KnPerson', nowMs: 0 };

  it('maps a validation fault to rejected, with its number and log reference', () => {
    const error = errorFromFault(
      500,
      fault('BSN 123 is invalid', 'Description.....: x\nLog reference...: 0A1B2C3D4E'),
      '',
      ctx,
    );
    expect(error).toMatchObject({
      kind: 'rejected',
      status: 500,
      externalMessage: 'BSN 123 is invalid',
      errorNumber: -2147220469,
      profitLogReference: '0A1B2C3D4E',
      path: '/connectors/KnPerson',
    });
    expect(error.message).toContain('Profit log reference 0A1B2C3D4E');
  });

  it('maps a refused token to unauthorized and a connector outside the app connector to not-granted', () => {
    expect(errorFromFault(500, fault('Token could not be parsed'), '', ctx).kind).toBe('unauthorized');
    expect(errorFromFault(401, undefined, '', ctx).kind).toBe('unauthorized');
    const notGranted = 'UpdateConnector not supported for this app or the user is not authorized';
    expect(errorFromFault(500, fault(notGranted), '', ctx).kind).toBe('not-granted');
  });

  it('maps a 503 to unavailable with its Retry-After, as on REST', () => {
    const error = errorFromFault(503, undefined, 'maintenance', { ...ctx, retryAfterHeader: '7200' });
    expect(error).toMatchObject({ kind: 'unavailable', retryAfterSeconds: 7200 });
  });
});

describe('addresses', () => {
  it('serves SOAP at {id}.soap[test|accept].afas.online/ProfitServices', () => {
    expect(soapBaseUrl({ id: 12345 })).toBe('https://12345.soap.afas.online/ProfitServices');
    expect(soapBaseUrl({ id: 12345, type: 'test' })).toBe('https://12345.soaptest.afas.online/ProfitServices');
    expect(soapBaseUrl({ id: 12345, type: 'accept' })).toBe('https://12345.soapaccept.afas.online/ProfitServices');
  });

  it('derives the SOAP base beside a REST base ending in /ProfitRestServices, and refuses to guess otherwise', () => {
    expect(soapBaseUrlFor('http://127.0.0.1:8080/ProfitRestServices')).toBe('http://127.0.0.1:8080/ProfitServices');
    expect(soapBaseUrlFor('https://12345.resttest.afas.online/ProfitRestServices')).toBe(
      'https://12345.soaptest.afas.online/ProfitServices',
    );
    expect(() => soapBaseUrlFor('https://proxy.example/afas')).toThrow(ProfitError);
  });
});
