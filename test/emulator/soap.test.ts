import { XmlDocument, type XmlElement, type XmlTreeNode } from 'libxml2-wasm';
import { isLosslessNumber, parse as parseLossless } from 'lossless-json';
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateUpdateXsd } from '../../src/emulator/index.js';
import type { Emulator } from '../../src/emulator/server.js';
import { ADMIN_CLIENT, ADMIN_TOKEN_DATA, createFixtureCompany, PORTAL_TOKEN_DATA } from './fixture-company.js';
import { call, startFixtureEmulator } from './helpers.js';

const NS = 'urn:Afas.Profit.Services';
const token = (data: string) => `<token><version>1</version><data>${data}</data></token>`;
const ADMIN = token(ADMIN_TOKEN_DATA);
const PORTAL = token(PORTAL_TOKEN_DATA);

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function elements(el: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  for (let n: XmlTreeNode | null = el.firstChild; n !== null; n = n.next) if ('attrs' in n) out.push(n as XmlElement);
  return out;
}

interface SoapReply {
  status: number;
  contentType: string | undefined;
  /** The `{op}Result` text, decoded; undefined on a fault. */
  result?: string;
  fault?: { code: string; message: string; errorNumber: string; detail: string };
}

/** Posts a SOAP 1.1 envelope as the public AFAS clients do: parameters as escaped text, SOAPAction set. */
async function soap(
  emu: Emulator,
  service: string,
  operation: string,
  params: Record<string, string | number>,
  headers: Record<string, string> = {},
): Promise<SoapReply> {
  const args = Object.entries(params)
    .map(([k, v]) => `<${k}>${esc(String(v))}</${k}>`)
    .join('');
  const envelope =
    '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">' +
    `<soap:Body><${operation} xmlns="${NS}">${args}</${operation}></soap:Body></soap:Envelope>`;
  const res = await request(`${emu.url}/ProfitServices/${service}.asmx`, {
    method: 'POST',
    headers: {
      'content-type': 'text/xml; charset=utf-8',
      soapaction: `"${NS}/${operation}"`,
      'accept-language': 'en-us',
      ...headers,
    },
    body: envelope,
  });
  const text = await res.body.text();
  const doc = XmlDocument.fromString(text);
  try {
    const body = elements(doc.root)[0] as XmlElement;
    const first = elements(body)[0] as XmlElement;
    const reply: SoapReply = { status: res.statusCode, contentType: res.headers['content-type'] as string };
    if (first.name === 'Fault') {
      const part = (name: string) => doc.get(`//${name}`)?.content ?? '';
      reply.fault = {
        code: part('faultcode'),
        message: part('faultstring'),
        errorNumber: part('ErrorNumber'),
        detail: part('Detail'),
      };
    } else {
      expect(first.name).toBe(`${operation}Response`);
      reply.result = (elements(first)[0] as XmlElement).content;
    }
    return reply;
  } finally {
    doc.dispose();
  }
}

/** The rows of an `<AfasGetConnector>` result: field → text. */
function xmlRows(result: string): Record<string, string>[] {
  const doc = XmlDocument.fromString(result);
  try {
    return elements(doc.root)
      .filter((r) => r.name !== 'schema')
      .map((r) => Object.fromEntries(elements(r).map((f) => [f.name, f.content])));
  } finally {
    doc.dispose();
  }
}

/**
 * The rows of a REST answer (read losslessly: `10.50` stays `10.50`) in the XML result's terms: empty values left
 * out, datetimes without Profit's `Z`, all text.
 */
function restRowsAsXml(restBody: string): Record<string, string>[] {
  const { rows } = parseLossless(restBody) as { rows: Record<string, unknown>[] };
  return rows.map((row) =>
    Object.fromEntries(
      Object.entries(row)
        .filter(([, v]) => v !== null)
        .map(([k, v]) => [
          k,
          typeof v === 'string'
            ? v.replace(/^(\d{4}-\d\d-\d\dT[\d:]+)Z$/, '$1')
            : isLosslessNumber(v)
              ? v.value
              : String(v),
        ]),
    ),
  );
}

const soapEntries = (emu: Emulator) => emu.log.entries().filter((e) => e.path.startsWith('/ProfitServices/'));

let emu: Emulator;
beforeAll(async () => {
  emu = await startFixtureEmulator();
});
afterAll(async () => {
  await emu.close();
});
beforeEach(() => {
  emu.reset();
  emu.log.clear();
  emu.faults.clear();
});

describe('WSDL', () => {
  it.each(['AppConnectorGet', 'AppConnectorUpdate', 'AppConnectorData', 'AppConnectorSubject'])(
    'serves the WSDL of %s, its path in any case',
    async (service) => {
      const res = await request(`${emu.url}/profitservices/${service.toLowerCase()}.ASMX?wsdl`);
      const text = await res.body.text();
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
      const doc = XmlDocument.fromString(text);
      expect(doc.root.name).toBe('definitions');
      expect(doc.root.attr('targetNamespace')?.value).toBe(NS);
      doc.dispose();
      expect(text).toContain(`<wsdl:service name="${service}">`);
    },
  );

  it('names every operation with its SOAPAction', async () => {
    const text = await (await request(`${emu.url}/ProfitServices/AppConnectorGet.asmx?WSDL`)).body.text();
    expect(text).toContain('soapAction="urn:Afas.Profit.Services/GetDataWithOptions"');
    expect(text).toContain('<s:element name="GetDataResponse">');
  });

  it('answers 404 for a service Profit does not have', async () => {
    const res = await request(`${emu.url}/ProfitServices/AppConnectorNope.asmx?WSDL`);
    await res.body.text();
    expect(res.statusCode).toBe(404);
  });
});

describe('AppConnectorGet', () => {
  it('returns the rows the REST GetConnector returns for the same filter, order, skip and take', async () => {
    const filtersXml =
      '<Filters><Filter FilterId="Filter 1"><Field FieldId="Name" OperatorType="6">smith</Field></Filter></Filters>';
    const options =
      '<options><Outputmode>1</Outputmode><Metadata>0</Metadata><Outputoptions>2</Outputoptions>' +
      '<Index><Field FieldId="Id" OperatorType="0"/></Index></options>';
    const reply = await soap(emu, 'AppConnectorGet', 'GetDataWithOptions', {
      token: ADMIN,
      connectorId: 'Fx_People',
      filtersXml,
      skip: 1,
      take: 2,
      options,
    });
    const rest = await call(
      emu,
      'GET',
      '/connectors/Fx_People?filterfieldids=Name&filtervalues=smith&operatortypes=6&orderbyfieldids=-Id&skip=1&take=2',
    );
    expect(reply.status).toBe(200);
    expect(reply.contentType).toBe('text/xml; charset=utf-8');
    expect(rest.json.rows).toHaveLength(2);
    expect(xmlRows(reply.result as string)).toEqual(restRowsAsXml(rest.text));
  });

  it('ORs Filters and ANDs the Fields of one Filter, as REST does with ";" and ","', async () => {
    const filtersXml =
      '<Filters><Filter FilterId="1"><Field FieldId="Id" OperatorType="1">1</Field></Filter>' +
      '<Filter FilterId="2"><Field FieldId="Active" OperatorType="1">false</Field>' +
      '<Field FieldId="Id" OperatorType="4">2</Field></Filter></Filters>';
    const reply = await soap(emu, 'AppConnectorGet', 'GetData', {
      token: ADMIN,
      connectorId: 'Fx_People',
      filtersXml,
      skip: -1,
      take: -1,
    });
    const rest = await call(
      emu,
      'GET',
      '/connectors/Fx_People?filterfieldids=Id;Active,Id&filtervalues=1;false,2&operatortypes=1;1,4&skip=-1&take=-1',
    );
    expect(xmlRows(reply.result as string)).toEqual(restRowsAsXml(rest.text));
  });

  it('writes empty fields with Outputoptions 3 and puts the schema first with Metadata 1', async () => {
    const reply = await soap(emu, 'AppConnectorGet', 'GetDataWithOptions', {
      token: ADMIN,
      connectorId: 'Fx_People',
      filtersXml: '',
      skip: 0,
      take: 1,
      options: '<options><Outputmode>1</Outputmode><Metadata>1</Metadata><Outputoptions>3</Outputoptions></options>',
    });
    const result = reply.result as string;
    expect(result).toMatch(/^<AfasGetConnector><xs:schema /);
    expect(result).toContain('<xs:element name="Fx_People"><xs:complexType><xs:sequence><xs:element name="Id"');
    expect(result).toContain('<Memo />');
    expect(xmlRows(result)[0]).toMatchObject({ Id: '1', Amount: '10.50', Active: 'true', Memo: '' });
  });

  it('returns no rows when take is left out, unlike REST', async () => {
    const reply = await soap(emu, 'AppConnectorGet', 'GetData', { token: ADMIN, connectorId: 'Fx_People' });
    expect(reply.result).toBe('<AfasGetConnector></AfasGetConnector>');
  });

  it('answers a filter or an order on a withheld field as REST does, as if the field did not exist', async () => {
    const filtersXml = '<Filters><Filter><Field FieldId="Secret" OperatorType="1">s1</Field></Filter></Filters>';
    const filtered = await soap(emu, 'AppConnectorGet', 'GetData', {
      token: PORTAL,
      connectorId: 'Fx_People',
      filtersXml,
      take: 1,
    });
    const rest = await call(emu, 'GET', '/connectors/Fx_People?filterfieldids=Secret&filtervalues=s1&operatortypes=1', {
      auth: `AfasToken ${Buffer.from(PORTAL).toString('base64')}`,
    });
    expect(filtered.fault?.message).toBe(rest.json.externalMessage);
    expect(filtered.fault?.message).toBe("Connector field 'Secret' not found");
    const ordered = await soap(emu, 'AppConnectorGet', 'GetDataWithOptions', {
      token: PORTAL,
      connectorId: 'Fx_People',
      take: 1,
      options: '<options><Index><Field FieldId="Secret" OperatorType="1"/></Index></options>',
    });
    expect(ordered.fault?.message).toBe("Connector field 'Secret' not found");
  });

  it('withholds the fields the app connector withholds', async () => {
    const reply = await soap(emu, 'AppConnectorGet', 'GetData', {
      token: PORTAL,
      connectorId: 'Fx_People',
      skip: 0,
      take: 1,
    });
    expect(Object.keys(xmlRows(reply.result as string)[0] ?? {})).not.toContain('Secret');
  });
});

const insertXml = (name: string, extra = '') =>
  `<FxPerson><Element><Fields Action="insert"><Nm>${name}</Nm><Amt>12.30</Amt><Act>true</Act>` +
  `<Dob>2001-02-03</Dob><Kind>A</Kind></Fields></Element>${extra}</FxPerson>`;

/** `AppConnectorUpdate.Execute` of FxPerson with `dataXml`. */
function execute(dataXml: string, tokenXml = ADMIN): Promise<SoapReply> {
  return soap(emu, 'AppConnectorUpdate', 'Execute', {
    token: tokenXml,
    connectorType: 'FxPerson',
    connectorVersion: 1,
    dataXml,
  });
}

async function people(): Promise<Record<string, unknown>[]> {
  return (await call(emu, 'GET', '/connectors/Fx_People?skip=-1&take=-1')).json.rows;
}

describe('AppConnectorUpdate.Execute', () => {
  it('inserts as the REST POST does and answers the new key in <results>', async () => {
    const reply = await execute(insertXml('Jansen'));
    const viaSoap = (await people()).at(-1);
    emu.reset();
    const rest = await call(emu, 'POST', '/connectors/FxPerson', {
      body: { FxPerson: { Element: { Fields: { Nm: 'Jansen', Amt: 12.3, Act: true, Dob: '2001-02-03', Kind: 'A' } } } },
    });
    expect(rest.status).toBe(201);
    expect(reply.result).toBe(
      `<?xml version="1.0"?>\n<results><FxPerson><PeId>${rest.json.results.FxPerson.PeId}</PeId></FxPerson></results>\n`,
    );
    expect(viaSoap).toEqual((await people()).at(-1));
    expect(viaSoap).toMatchObject({ Name: 'Jansen', Amount: 12.3, Active: true, Born: '2001-02-03T00:00:00Z' });
  });

  it('updates with Action="update" and clears a field sent as xsi:nil', async () => {
    const dataXml =
      '<FxPerson xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><Element PeId="1">' +
      '<Fields Action="update"><Nm>Smid</Nm><Amt xsi:nil="true"/></Fields></Element></FxPerson>';
    const reply = await execute(dataXml);
    expect(reply.fault).toBeUndefined();
    expect((await people()).find((p) => p.Id === 1)).toMatchObject({ Name: 'Smid', Amount: null });
  });

  it('deletes with Action="delete", as the REST DELETE of that key does', async () => {
    const before = await people();
    const reply = await execute('<FxPerson><Element PeId="2"><Fields Action="delete"/></Element></FxPerson>');
    expect(reply).toMatchObject({ status: 200, result: '' });
    expect(await people()).toEqual(before.filter((p) => p.Id !== 2));
  });

  it('refuses a body the XSD refuses with a fault naming each xpath, before writing any element', async () => {
    const before = await people();
    const dataXml =
      '<FxPerson><Element><Fields Action="insert"><Nm>Fine</Nm></Fields></Element>' +
      '<Element><Fields Action="insert"><Nm>Far too long for twenty</Nm><Kind>Z</Kind></Fields></Element></FxPerson>';
    const reply = await execute(dataXml);
    expect(reply.status).toBe(500);
    expect(reply.fault?.code).toBe('soap:Server');
    expect(reply.fault?.message).toContain('/FxPerson/Element[2]/Fields/Nm');
    expect(reply.fault?.message).toContain('/FxPerson/Element[2]/Fields/Kind');
    expect(await people()).toEqual(before);
  });

  it('refuses an insert without a mandatory field with the REST message (the XSD cannot say it: Action decides)', async () => {
    const before = await people();
    const reply = await execute(
      '<FxPerson><Element><Fields Action="insert"><Amt>1</Amt></Fields></Element></FxPerson>',
    );
    expect(reply.fault?.message).toBe("Field 'Name' is mandatory.");
    expect(await people()).toEqual(before);
  });

  it('rolls back every element when a later one fails while writing', async () => {
    const before = await people();
    const dataXml =
      '<FxPerson><Element><Fields Action="insert"><Nm>Fine</Nm></Fields></Element>' +
      '<Element><Fields Action="insert"><Nm>Explode</Nm></Fields></Element></FxPerson>';
    const reply = await execute(dataXml);
    expect(reply.fault?.message).toBe('Writing the record failed.');
    expect(await people()).toEqual(before);
  });

  it('answers a fault for XML that is not well-formed', async () => {
    const reply = await execute('<FxPerson><Element>');
    expect(reply.status).toBe(500);
    expect(reply.fault?.message).toMatch(/^The XML does not match the schema of UpdateConnector 'FxPerson': \/: /);
  });

  it('refuses a body with a document type declaration, so no entity is expanded or fetched', async () => {
    const before = await people();
    const reply = await execute(`<!DOCTYPE FxPerson [<!ENTITY x SYSTEM "file:///etc/passwd">]>${insertXml('&x;')}`);
    expect(reply.fault?.message).toContain('a document type declaration is not allowed');
    expect(await people()).toEqual(before);
  });

  it('answers the same rejection as REST for content the XSD allows but the connector refuses', async () => {
    const dataXml = '<FxPerson><Element><Fields Action="insert"><Nm>Unknown</Nm></Fields></Element></FxPerson>';
    const reply = await execute(dataXml);
    expect(reply.fault?.message).toBe("The entered value for 'Employee' does not exist.");
    expect(reply.fault?.detail).toMatch(/^Description\.+: The entered value.*\nLog reference\.+: [0-9A-F]{32}$/s);
  });
});

describe('AppConnectorData.Execute GetXmlSchema', () => {
  it("returns the connector's XSD inside <AfasDataConnector>", async () => {
    const reply = await soap(emu, 'AppConnectorData', 'Execute', {
      token: ADMIN,
      dataID: 'GetXmlSchema',
      parametersXml:
        '<DataConnector><UpdateConnectorId>FxPerson</UpdateConnectorId><EncodeBase64>false</EncodeBase64></DataConnector>',
    });
    const doc = XmlDocument.fromString(reply.result as string);
    try {
      expect(doc.get('/AfasDataConnector/ConnectorData/Id')?.content).toBe('FxPerson');
      const def = emu.company.updateConnectors.get('FxPerson');
      expect(doc.get('/AfasDataConnector/ConnectorData/Schema')?.content).toBe(generateUpdateXsd(def as never));
    } finally {
      doc.dispose();
    }
  });

  it('encodes the XSD in base64 when asked', async () => {
    const reply = await soap(emu, 'AppConnectorData', 'Execute', {
      token: ADMIN,
      dataID: 'GetXmlSchema',
      parametersXml:
        '<DataConnector><UpdateConnectorId>FxPerson</UpdateConnectorId><EncodeBase64>true</EncodeBase64></DataConnector>',
    });
    const schema = /<Schema>([^<]*)<\/Schema>/.exec(reply.result as string)?.[1] ?? '';
    expect(Buffer.from(schema, 'base64').toString('utf8')).toMatch(/^<xsd:schema /);
  });
});

describe('AppConnectorSubject.GetAttachment', () => {
  it('returns the attachment as base64', async () => {
    const reply = await soap(emu, 'AppConnectorSubject', 'GetAttachment', {
      token: ADMIN,
      subjectID: '49946',
      fileId: '5C055C034516ED67972E0A852E03C5B9',
    });
    expect(Buffer.from(reply.result as string, 'base64').toString()).toBe('%PDF-1.4 fixture');
  });
});

describe('credentials and grants', () => {
  it('refuses an unknown token with a soap:Client fault, and a missing one', async () => {
    const unknown = await soap(emu, 'AppConnectorGet', 'GetData', { token: token('00'), connectorId: 'Fx_Codes' });
    expect(unknown).toMatchObject({ status: 500, fault: { code: 'soap:Client', message: 'The token is not valid.' } });
    const missing = await soap(emu, 'AppConnectorGet', 'GetData', { connectorId: 'Fx_Codes' });
    expect(missing.fault?.message).toBe('The token is not valid.');
  });

  it('accepts the token in the Authorization header, as AfasToken or as an OAuth Bearer token', async () => {
    const afas = `AfasToken ${Buffer.from(ADMIN).toString('base64')}`;
    const viaHeader = await soap(
      emu,
      'AppConnectorGet',
      'GetData',
      { connectorId: 'Fx_Codes', take: 5 },
      {
        authorization: afas,
      },
    );
    expect(xmlRows(viaHeader.result as string)).toEqual([{ Code: 'A' }, { Code: 'B' }]);
    const issued = await call(emu, 'POST', '/oauth/token', {
      auth: null,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&client_id=${ADMIN_CLIENT.clientId}&client_secret=${ADMIN_CLIENT.clientSecret}`,
    });
    const viaBearer = await soap(
      emu,
      'AppConnectorGet',
      'GetData',
      { connectorId: 'Fx_Codes', take: 5 },
      {
        authorization: `Bearer ${issued.json.access_token}`,
      },
    );
    expect(xmlRows(viaBearer.result as string)).toHaveLength(2);
  });

  it('refuses a connector the app connector does not grant, with the REST message', async () => {
    const get = await soap(emu, 'AppConnectorGet', 'GetData', { token: PORTAL, connectorId: 'Fx_Codes', take: 1 });
    expect(get.fault?.message).toBe('GetConnector not supported for this app or the user is not authorized');
    const update = await execute(insertXml('X'), PORTAL);
    expect(update.fault?.message).toBe('UpdateConnector not supported for this app or the user is not authorized');
    const schema = await soap(emu, 'AppConnectorData', 'Execute', {
      token: PORTAL,
      dataID: 'GetXmlSchema',
      parametersXml: '<DataConnector><UpdateConnectorId>FxPerson</UpdateConnectorId></DataConnector>',
    });
    expect(schema.fault?.message).toBe('UpdateConnector not supported for this app or the user is not authorized');
    expect([get, update, schema].map((r) => r.fault?.code)).toEqual(['soap:Server', 'soap:Server', 'soap:Server']);
  });

  it('answers a soap:Client fault for an operation the service does not have', async () => {
    const reply = await soap(emu, 'AppConnectorGet', 'Execute', { token: ADMIN });
    expect(reply.fault?.code).toBe('soap:Client');
  });
});

describe('SOAP 1.2', () => {
  async function soap12(params: string): Promise<{ status: number; type: unknown; text: string }> {
    const res = await request(`${emu.url}/ProfitServices/AppConnectorGet.asmx`, {
      method: 'POST',
      headers: {
        'content-type': `application/soap+xml; charset=utf-8; action="${NS}/GetData"`,
        'accept-language': 'en-us',
      },
      body:
        '<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body>' +
        `<GetData xmlns="${NS}">${params}</GetData></soap:Body></soap:Envelope>`,
    });
    return { status: res.statusCode, type: res.headers['content-type'], text: await res.body.text() };
  }

  it('answers a SOAP 1.2 envelope in SOAP 1.2, the action taken from the Content-Type', async () => {
    const reply = await soap12(`<token>${esc(ADMIN)}</token><connectorId>Fx_Codes</connectorId><take>1</take>`);
    expect(reply).toMatchObject({ status: 200, type: 'application/soap+xml; charset=utf-8' });
    expect(reply.text).toContain('<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"');
    expect(reply.text).toContain(
      '<GetDataResult>&lt;AfasGetConnector&gt;&lt;Fx_Codes&gt;&lt;Code&gt;A&lt;/Code&gt;&lt;/Fx_Codes&gt;',
    );
  });

  it('answers faults with Code, Reason and Detail (soap:Sender for a bad token)', async () => {
    const reply = await soap12(`<token>${esc(token('00'))}</token><connectorId>Fx_Codes</connectorId>`);
    expect(reply.status).toBe(500);
    expect(reply.text).toContain(
      '<soap:Fault><soap:Code><soap:Value>soap:Sender</soap:Value></soap:Code><soap:Reason>' +
        '<soap:Text xml:lang="en">The token is not valid.</soap:Text></soap:Reason><soap:Detail><ProfitApplicationException>',
    );
  });
});

describe('request log and faults', () => {
  it('logs each SOAP call once, with its operation, app connector and user', async () => {
    await soap(emu, 'AppConnectorGet', 'GetData', { token: ADMIN, connectorId: 'Fx_Codes', take: 1 });
    await execute(insertXml('Log'));
    await soap(emu, 'AppConnectorGet', 'GetData', { token: token('00'), connectorId: 'Fx_Codes' });
    const entries = soapEntries(emu);
    expect(entries).toHaveLength(3);
    expect(entries.map((e) => [e.method, e.soapOperation, e.status, e.appConnector, e.bodyRoot])).toEqual([
      ['POST', 'AppConnectorGet.GetData', 200, 'fx-admin', undefined],
      ['POST', 'AppConnectorUpdate.Execute', 200, 'fx-admin', 'FxPerson'],
      ['POST', 'AppConnectorGet.GetData', 500, undefined, undefined],
    ]);
  });

  it('answers a bug in a company handler with the unexpected-error fault and reports it', async () => {
    const errors: unknown[] = [];
    const broken = await startFixtureEmulator({
      createCompany: (o) => {
        const company = createFixtureCompany(o);
        const codes = company.getConnectors.get('Fx_Codes');
        if (!codes) throw new Error('no Fx_Codes');
        const rows = () => {
          throw new TypeError('a bug');
        };
        return { ...company, getConnectors: new Map([...company.getConnectors, ['Fx_Codes', { ...codes, rows }]]) };
      },
      onError: (e) => errors.push(e),
    });
    try {
      const reply = await soap(broken, 'AppConnectorGet', 'GetData', {
        token: ADMIN,
        connectorId: 'Fx_Codes',
        take: 1,
      });
      expect(reply).toMatchObject({
        status: 500,
        fault: { code: 'soap:Server', message: 'An unexpected error has occurred.' },
      });
      expect(errors).toHaveLength(1);
    } finally {
      await broken.close();
    }
  });

  it('answers an injected 500 with a SOAP fault, and maintenance with a 503', async () => {
    emu.faults.once({ kind: '500', path: 'AppConnectorGet' });
    const fault = await soap(emu, 'AppConnectorGet', 'GetData', { token: ADMIN, connectorId: 'Fx_Codes', take: 1 });
    expect(fault).toMatchObject({ status: 500, fault: { message: 'An unexpected error has occurred.' } });
    emu.faults.maintenance(60);
    const res = await request(`${emu.url}/ProfitServices/AppConnectorGet.asmx`, { method: 'POST', body: '' });
    await res.body.text();
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('60');
    expect(soapEntries(emu).map((e) => e.fault)).toEqual(['500', 'maintenance']);
  });
});
