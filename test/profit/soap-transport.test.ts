/**
 * The SOAP transport over HTTP, under the connection's wrappers. A plain HTTP server stands in for Profit's SOAP
 * services here: it answers the shapes AFAS's clients document (envelope.ts) and records what arrives, so these tests
 * pin the wire form (SOAPAction, the token parameter, the Bearer header) and the fault mapping independently of the
 * emulator; test/integration/soap*.test.ts run the same client against the emulator.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  afasToken,
  oauthClient,
  ProfitConnection,
  type ProfitConnectionOptions,
  ProfitError,
  type ProfitRequestEvent,
} from '../../src/profit/index.js';
import { parseXml } from '../../src/profit/soap/xml-text.js';

const TOKEN_DATA = 'A'.repeat(64);

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

let server: Server;
let origin: string;
const seen: Seen[] = [];
/** The next answers of the SOAP services, in turn; a 200 GetData result when none is queued. */
const queued: { status: number; body: string; headers?: Record<string, string> }[] = [];

const ROWS =
  '<AfasGetConnector><Profit_Users><UserId>U1</UserId><Count>3</Count><Active>1</Active></Profit_Users></AfasGetConnector>';
const METAINFO = JSON.stringify({
  name: 'Profit_Users',
  description: '',
  fields: [
    {
      id: 'UserId',
      fieldId: 'U',
      dataType: 'string',
      label: '',
      length: 10,
      controlType: 0,
      decimals: 0,
      decimalsFieldId: '',
    },
    {
      id: 'Count',
      fieldId: 'C',
      dataType: 'int',
      label: '',
      length: 10,
      controlType: 0,
      decimals: 0,
      decimalsFieldId: '',
    },
    {
      id: 'Active',
      fieldId: 'A',
      dataType: 'boolean',
      label: '',
      length: 1,
      controlType: 0,
      decimals: 0,
      decimalsFieldId: '',
    },
  ],
});

/** Update metainfo: KnSubject's fields and sub-object in Profit's order; other connectors without fields. */
function updateMetainfo(name: string): string {
  const f = (fieldId: string) => ({
    fieldId,
    primaryKey: false,
    dataType: 'string',
    label: '',
    mandatory: false,
    length: 0,
    decimals: 0,
    decimalFieldId: '',
    notzero: false,
    controlType: 0,
    values: null,
  });
  return JSON.stringify(
    name === 'KnSubject'
      ? {
          name,
          description: '',
          fields: [f('StId'), f('Ds'), f('Da')],
          objects: [{ name: 'KnSubjectLink', fields: [f('DoCRM'), f('ToBC')], objects: [] }],
        }
      : { name, description: '', fields: [], objects: [] },
  );
}

const envelope = (body: string) =>
  `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>${body}</soap:Body></soap:Envelope>`;
const escapeXml = (xml: string) => xml.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const result = (operation: string, xml: string) =>
  envelope(
    `<${operation}Response xmlns="urn:Afas.Profit.Services"><${operation}Result>${escapeXml(xml)}</${operation}Result></${operation}Response>`,
  );
const fault = (message: string, detail = '') =>
  envelope(
    `<soap:Fault><faultcode>soap:Server</faultcode><faultstring>${message}</faultstring><detail><ProfitApplicationException xmlns="urn:Afas.Profit.Services"><ErrorNumber>-1</ErrorNumber><Message>${message}</Message><Detail>${detail}</Detail></ProfitApplicationException></detail></soap:Fault>`,
  );

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      if (req.url === '/ProfitRestServices/metainfo/get/Profit_Users') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(METAINFO);
      } else if (req.url?.startsWith('/ProfitRestServices/metainfo/update/')) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(updateMetainfo(req.url.split('/')[4] ?? ''));
      } else if (req.url === '/ProfitRestServices/oauth/token') {
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end('{"access_token":"bearer-1","token_type":"Bearer","expires_in":3600}');
      } else if (req.url?.startsWith('/ProfitServices/')) {
        const next = queued.shift() ?? { status: 200, body: result('GetDataWithOptions', ROWS) };
        res.writeHead(next.status, { 'content-type': 'text/xml; charset=utf-8', ...next.headers }).end(next.body);
      } else res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

const connections: ProfitConnection[] = [];
afterEach(async () => {
  seen.length = 0;
  queued.length = 0;
  await Promise.all(connections.splice(0).map((c) => c.close()));
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function connect(options: Partial<ProfitConnectionOptions> = {}): ProfitConnection {
  const c = new ProfitConnection({
    baseUrl: `${origin}/ProfitRestServices`,
    transport: 'soap',
    integrationId: '12345_678900',
    retry: { baseDelayMs: 1, maxDelayMs: 2 },
    // These tests pin the wire form; the XSD check before sending is tested against the emulator (soap-reads).
    validateXml: false,
    ...options,
  });
  connections.push(c);
  return c;
}

/** The requests to the SOAP services, in order. */
const soapCalls = () => seen.filter((s) => s.url.startsWith('/ProfitServices/'));

/** The parameters of a SOAP request as text, by name. */
function paramsOf(s: Seen, operation: string): Record<string, string> {
  const doc = parseXml(s.body) as { Envelope: { Body: Record<string, Record<string, string>> } };
  return doc.Envelope.Body[operation] ?? {};
}

describe('a GetConnector read over SOAP', () => {
  it('posts GetDataWithOptions with SOAPAction, the classic token as its token parameter and the IntegrationId header', async () => {
    const client = connect().client(afasToken(TOKEN_DATA));
    const page = await client.get('Profit_Users', { filter: [[{ field: 'UserId', op: 'eq', value: 'U1' }]], take: 10 });
    expect(page).toEqual({ skip: 0, take: 10, rows: [{ UserId: 'U1', Count: 3, Active: true }] });
    const soap = seen.filter((s) => s.url.startsWith('/ProfitServices/'));
    expect(soap.map((s) => `${s.method} ${s.url}`)).toEqual(['POST /ProfitServices/AppConnectorGet.asmx']);
    const [call] = soap as [Seen];
    expect(call.headers.soapaction).toBe('"urn:Afas.Profit.Services/GetDataWithOptions"');
    expect(call.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(call.headers.integrationid).toBe('12345_678900');
    expect(call.headers.authorization).toBeUndefined();
    const params = paramsOf(call, 'GetDataWithOptions');
    expect(params.token).toBe(`<token><version>1</version><data>${TOKEN_DATA}</data></token>`);
    expect(params.connectorId).toBe('Profit_Users');
  });

  it('reads the field metainfo over REST once per connection, then only GetData', async () => {
    const client = connect().client(afasToken(TOKEN_DATA));
    await client.get('Profit_Users');
    await client.get('Profit_Users', { skip: 100 });
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      'GET /ProfitRestServices/metainfo/get/Profit_Users',
      'POST /ProfitServices/AppConnectorGet.asmx',
      'POST /ProfitServices/AppConnectorGet.asmx',
    ]);
  });

  it('sends an OAuth access token as a Bearer header, without a token parameter (unconfirmed for Profit)', async () => {
    const client = connect().client(oauthClient({ clientId: 'c', clientSecret: 's' }));
    await client.get('Profit_Users');
    const call = seen.find((s) => s.url === '/ProfitServices/AppConnectorGet.asmx') as Seen;
    expect(call.headers.authorization).toBe('Bearer bearer-1');
    expect(paramsOf(call, 'GetDataWithOptions').token).toBeUndefined();
  });

  it('names the call as REST would to observers, so metrics and traces see one kind of call', async () => {
    const events: ProfitRequestEvent[] = [];
    const client = connect({ onRequest: (e) => events.push(e) }).client(afasToken(TOKEN_DATA));
    await client.get('Profit_Users');
    expect(events.map((e) => `${e.method} ${e.path}`)).toEqual([
      'GET /metainfo/get/Profit_Users',
      'GET /connectors/Profit_Users',
    ]);
  });

  it('retries a read that met a short 503, as on REST', async () => {
    const client = connect().client(afasToken(TOKEN_DATA));
    await client.get('Profit_Users');
    seen.length = 0;
    queued.push({ status: 503, body: 'busy', headers: { 'retry-after': '0' } });
    expect((await client.get('Profit_Users')).rows).toHaveLength(1);
    expect(seen.map((s) => s.url)).toEqual([
      '/ProfitServices/AppConnectorGet.asmx',
      '/ProfitServices/AppConnectorGet.asmx',
    ]);
  });
});

describe('an UpdateConnector write over SOAP', () => {
  it('executes the XML body with every Fields given the verb as its Action, and reads the results', async () => {
    const client = connect().client(afasToken(TOKEN_DATA));
    queued.push({ status: 200, body: result('Execute', '<results><KnSubject><SbId>17</SbId></KnSubject></results>') });
    const inserted = await client.insert('KnSubject', {
      fields: { StId: 1, Ds: 'Über & <meer>' },
      objects: { KnSubjectLink: { keys: { SbId: 0 }, fields: { DoCRM: true } } },
    });
    expect(inserted).toEqual({ results: { KnSubject: { SbId: '17' } } });
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      'GET /ProfitRestServices/metainfo/update/KnSubject',
      'POST /ProfitServices/AppConnectorUpdate.asmx',
    ]);
    const [call] = soapCalls() as [Seen];
    expect(`${call.method} ${call.url}`).toBe('POST /ProfitServices/AppConnectorUpdate.asmx');
    expect(call.headers.soapaction).toBe('"urn:Afas.Profit.Services/Execute"');
    const params = paramsOf(call, 'Execute');
    expect([params.connectorType, params.connectorVersion]).toEqual(['KnSubject', '1']);
    expect(params.dataXml).toContain('<Fields Action="insert"><StId>1</StId><Ds>Über &amp; &lt;meer&gt;</Ds></Fields>');
    expect(params.dataXml).toContain('<KnSubjectLink><Element SbId="0"><Fields Action="insert"><DoCRM>1</DoCRM>');
  });

  it('deletes by key attributes with Action delete', async () => {
    const client = connect().client(afasToken(TOKEN_DATA));
    queued.push({ status: 200, body: envelope('<ExecuteResponse xmlns="urn:Afas.Profit.Services"/>') });
    expect(await client.delete('HrAbsenceID', { Id: 5, EmId: 'E1' })).toEqual({ results: {} });
    expect(paramsOf(soapCalls()[0] as Seen, 'Execute').dataXml).toMatch(
      /^<HrAbsenceID[^>]*><Element Id="5" EmId="E1"><Fields Action="delete"\/><\/Element><\/HrAbsenceID>$/,
    );
  });

  it('turns a validation fault into a rejected ProfitError with the log reference, sent exactly once', async () => {
    const client = connect().client(afasToken(TOKEN_DATA));
    queued.push({ status: 500, body: fault('BSN 123 is invalid', 'Log reference...: 0A1B2C3D4E') });
    const error = await client.insert('KnPerson', { fields: { SoSe: '123' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProfitError);
    expect(error).toMatchObject({
      kind: 'rejected',
      externalMessage: 'BSN 123 is invalid',
      profitLogReference: '0A1B2C3D4E',
      method: 'POST',
      path: '/connectors/KnPerson',
    });
    expect(soapCalls()).toHaveLength(1);
  });

  it("lists fields and sub-objects in the update metainfo's order, as Profit's XSD sequences demand", async () => {
    const client = connect().client(afasToken(TOKEN_DATA));
    queued.push({ status: 200, body: envelope('<ExecuteResponse xmlns="urn:Afas.Profit.Services"/>') });
    await client.update('KnSubject', {
      keys: { SbId: 3 },
      fields: { Da: '2026-01-02T00:00:00', Ds: 'x', StId: 1 },
      objects: { KnSubjectLink: { fields: { ToBC: false, DoCRM: true } } },
    });
    expect(paramsOf(soapCalls()[0] as Seen, 'Execute').dataXml).toContain(
      '<Element SbId="3"><Fields Action="update"><StId>1</StId><Ds>x</Ds><Da>2026-01-02T00:00:00</Da></Fields>' +
        '<Objects><KnSubjectLink><Element><Fields Action="update"><DoCRM>1</DoCRM><ToBC>0</ToBC></Fields>',
    );
  });

  it('turns a refused token into unauthorized and an HTML error page into its status kind', async () => {
    const client = connect().client(afasToken(TOKEN_DATA));
    queued.push({ status: 500, body: fault('Token could not be parsed') });
    await expect(client.delete('KnSubject', { SbId: 1 })).rejects.toMatchObject({ kind: 'unauthorized' });
    queued.push({ status: 404, body: '<html><body>404.0 - Not Found</body></html>' });
    await expect(client.delete('KnSubject', { SbId: 1 })).rejects.toMatchObject({ kind: 'not-found' });
  });
});

describe('credentials over SOAP', () => {
  it('never show the token, which travels in the body, in an error, its JSON or its inspection', async () => {
    const client = connect().client(afasToken(TOKEN_DATA));
    queued.push({ status: 500, body: fault('Token could not be parsed') });
    const error = await client.delete('KnSubject', { SbId: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProfitError);
    for (const text of [String(error), JSON.stringify(error), inspect(error, { depth: 5 }), (error as Error).stack]) {
      expect(text).not.toContain(TOKEN_DATA);
    }
  });
});

describe("an UpdateConnector's XSD", () => {
  it('comes from the DataConnector over SOAP whatever the transport', async () => {
    const xsd = '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="KnSubject"/></xs:schema>';
    queued.push({
      status: 200,
      body: result(
        'Execute',
        `<AfasDataConnector><ConnectorData><Schema>${escapeXml(xsd)}</Schema></ConnectorData></AfasDataConnector>`,
      ),
    });
    const client = connect({ transport: 'rest' }).client(afasToken(TOKEN_DATA));
    expect(await client.xmlSchema('KnSubject')).toBe(xsd);
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual(['POST /ProfitServices/AppConnectorData.asmx']);
    expect(paramsOf(seen[0] as Seen, 'Execute').dataID).toBe('GetXmlSchema');
  });
});
