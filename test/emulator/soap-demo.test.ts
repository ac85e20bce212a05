/**
 * UpdateConnector bodies for every connector the demo model writes (KnSubject, KnEmployee, HrAbsenceID, KnPerson,
 * KnOrganisation, PtProject) and KnUser, mostly AFAS's documented examples (the REST bodies of
 * documented-examples.test.ts), sent once over REST and once as XML over SOAP to two demo companies of the same seed:
 * both answer the same keys and leave the two stores identical.
 */
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { afasTokenHeader } from '../../src/emulator/auth.js';
import type { UpdateObjectDef } from '../../src/emulator/company/types.js';
import { type Emulator, startEmulator } from '../../src/emulator/server.js';

let viaRest: Emulator;
let viaSoap: Emulator;
let tokenData: string;

beforeAll(async () => {
  [viaRest, viaSoap] = await Promise.all([startEmulator(), startEmulator()]);
  tokenData = viaRest.company.appConnectors.find((a) => a.id === 'admin')?.users[0]?.tokenData ?? '';
});
afterAll(async () => {
  await Promise.all([viaRest?.close(), viaSoap?.close()]);
});

type Json = Record<string, unknown>;
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const list = (x: unknown): Json[] => (Array.isArray(x) ? x : [x]) as Json[];

/**
 * A REST body in its XML form: `@`-keys the metainfo marks as keys become attributes, other `@`-values fields;
 * fields in metainfo order (the XSD's sequence); the element's action as the REST method implies unless it names
 * its own.
 */
function toXml(def: UpdateObjectDef, root: string, raw: unknown, inherited: string): string {
  const elements = list((raw as Json).Element).map((e) => {
    const fields = { ...((e.Fields ?? {}) as Json) };
    const attrs: string[] = [];
    for (const [k, v] of Object.entries(e)) {
      if (!k.startsWith('@')) continue;
      const f = def.fields.find((d) => d.fieldId === k.slice(1));
      if (f?.primaryKey) attrs.push(` ${f.fieldId}="${esc(String(v))}"`);
      else fields[k.slice(1)] = v;
    }
    const action = (fields['@Action'] as string | undefined) ?? inherited;
    const ordered = def.fields
      .filter((f) => f.fieldId in fields)
      .map((f) => `<${f.fieldId}>${esc(String(fields[f.fieldId]))}</${f.fieldId}>`)
      .join('');
    const objects = list(e.Objects ?? [])
      .flatMap((o) => Object.entries(o))
      .map(([name, child]) => toXml(def.objects.find((d) => d.name === name) as UpdateObjectDef, name, child, action))
      .join('');
    return (
      `<Element${attrs.join('')}><Fields Action="${action}">${ordered}</Fields>` +
      `${objects === '' ? '' : `<Objects>${objects}</Objects>`}</Element>`
    );
  });
  return `<${root}>${elements.join('')}</${root}>`;
}

async function rest(method: string, connector: string, body: Json): Promise<Json> {
  const res = await request(`${viaRest.baseUrl}/connectors/${connector}`, {
    method: method as 'POST',
    headers: { authorization: afasTokenHeader(tokenData), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.body.text();
  expect(res.statusCode, text).toBe(201);
  return JSON.parse(text).results[connector];
}

async function soapExecute(connector: string, dataXml: string): Promise<string> {
  const args =
    `<token>${esc(`<token><version>1</version><data>${tokenData}</data></token>`)}</token>` +
    `<connectorType>${connector}</connectorType><connectorVersion>1</connectorVersion><dataXml>${esc(dataXml)}</dataXml>`;
  const res = await request(`${viaSoap.url}/ProfitServices/AppConnectorUpdate.asmx`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '"urn:Afas.Profit.Services/Execute"' },
    body:
      '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>' +
      `<Execute xmlns="urn:Afas.Profit.Services">${args}</Execute></soap:Body></soap:Envelope>`,
  });
  const text = await res.body.text();
  expect(res.statusCode, text).toBe(200);
  return text;
}

const examples: [string, string, string, Json][] = [
  [
    'the KnUser POST of update-connector.md',
    'POST',
    'KnUser',
    {
      KnUser: { Element: { '@UsId': '12345.systeemg', Fields: { MtCd: '6', Nm: 'Jansen', Awin: true, InSi: false } } },
    },
  ],
  [
    'the KnEmployee @Action example of update-connector.md (root AfasEmployee, nested bank accounts)',
    'POST',
    'KnEmployee',
    {
      AfasEmployee: {
        Element: {
          '@EmId': '1234568774',
          Fields: { '@Action': 'update' },
          Objects: [
            {
              AfasBankInfo: {
                Element: [
                  {
                    '@AcId': 'NL57RABO0312000111',
                    '@NoBk': false,
                    Fields: { '@Action': 'update', SeNo: 3, SaAc: false, Iban: 'NL57RABO0312000111' },
                  },
                  {
                    '@AcId': 'NL40BOTK0755026802',
                    '@NoBk': false,
                    Fields: { '@Action': 'insert', SaAc: true, IbCk: true, Iban: 'NL40BOTK0755026802' },
                  },
                ],
              },
            },
          ],
        },
      },
    },
  ],
  [
    'the "Update absence" PUT of endpoint-hrabsenceid-put.md',
    'PUT',
    'HrAbsenceID',
    {
      HrAbsenceID: {
        Element: { Fields: { Id: '1724', DuBe: 240, ViAt: 'V', Re: 'change the duration to 240 minutes', LeDt: true } },
      },
    },
  ],
  [
    'the "Simple note" KnSubject POST of integrationid.md',
    'POST',
    'KnSubject',
    {
      KnSubject: { Element: { Fields: { StId: '4', Ds: 'Galactic assistance needed ASAP!', SbTx: 'Cosmic event.' } } },
    },
  ],
  [
    'the custom-field PUT of custom-fields.md on KnPerson (BcCo inside Fields)',
    'PUT',
    'KnPerson',
    {
      KnPerson: { Element: { Fields: { MatchPer: '0', BcCo: '123456897', UC2DE284248374B083C966F9B4EEEE9E2: '333' } } },
    },
  ],
  [
    'a new organisation as the model creates one (MatchOga 6)',
    'POST',
    'KnOrganisation',
    { KnOrganisation: { Element: { Fields: { MatchOga: '6', Nm: 'Zeilmakerij De Wind BV' } } } },
  ],
  [
    'a new project',
    'POST',
    'PtProject',
    { PtProject: { Element: { Fields: { PrId: 'SOAP-1', PrGp: 'ALG', Ds: 'Over SOAP', DaSt: '2026-03-01' } } } },
  ],
];

describe('documented UpdateConnector examples as XML over SOAP', () => {
  it.each(examples)('%s has the same result and effect as over REST', async (_what, method, connector, body) => {
    const def = viaSoap.company.updateConnectors.get(connector);
    if (!def) throw new Error(`no ${connector}`);
    const [root] = Object.keys(body);
    const xml = toXml(def, root as string, body[root as string], method === 'POST' ? 'insert' : 'update');
    const restResults = await rest(method, connector, body);
    const answer = await soapExecute(connector, xml);
    const keys = Object.entries(restResults as Record<string, string>)
      .map(([k, v]) => `&lt;${k}&gt;${esc(v)}&lt;/${k}&gt;`)
      .join('');
    expect(answer).toContain(`&lt;results&gt;&lt;${connector}&gt;${keys}&lt;/${connector}&gt;&lt;/results&gt;`);
    expect(viaSoap.company.store.snapshot()).toEqual(viaRest.company.store.snapshot());
  });
});

describe('deleting over SOAP', () => {
  it('deletes the project made above with Action="delete", with the effect of the REST DELETE', async () => {
    const res = await request(`${viaRest.baseUrl}/connectors/PtProject/PtProject/@PrId/SOAP-1`, {
      method: 'DELETE',
      headers: { authorization: afasTokenHeader(tokenData) },
    });
    await res.body.text();
    expect(res.statusCode).toBe(200);
    const answer = await soapExecute(
      'PtProject',
      '<PtProject><Element PrId="SOAP-1"><Fields Action="delete"/></Element></PtProject>',
    );
    expect(answer).toContain('<ExecuteResult />');
    expect(viaSoap.company.store.snapshot()).toEqual(viaRest.company.store.snapshot());
  });
});

describe('attachments over SOAP', () => {
  it('refuses a FileStream that is not base64 with the UpdateConnector’s own message (libxml2 checks base64 loosely)', async () => {
    const xml =
      '<KnSubject><Element><Fields Action="insert"><StId>4</StId><Ds>Kapot</Ds><SbPa>x.bin</SbPa>' +
      '<FileStream>@@</FileStream></Fields></Element></KnSubject>';
    const res = await request(`${viaSoap.url}/ProfitServices/AppConnectorUpdate.asmx`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml; charset=utf-8', 'accept-language': 'en-us' },
      body:
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>' +
        `<Execute xmlns="urn:Afas.Profit.Services"><token>${esc(`<token><version>1</version><data>${tokenData}</data></token>`)}</token>` +
        `<connectorType>KnSubject</connectorType><connectorVersion>1</connectorVersion><dataXml>${esc(xml)}</dataXml>` +
        '</Execute></soap:Body></soap:Envelope>',
    });
    const text = await res.body.text();
    expect(res.statusCode).toBe(500);
    expect(text).toContain("<faultstring>The value for 'Bestand als byte-array' is not valid base64.</faultstring>");
  });

  it('carries 9 MB (12 MB of base64, above libxml2’s 10 MB limit for one text) into a dossier item, served back whole', async () => {
    const data = Buffer.alloc(9_000_000, 7);
    const xml =
      '<KnSubject><Element><Fields Action="insert"><StId>4</StId><Ds>Groot bestand</Ds><SbPa>big.bin</SbPa>' +
      `<FileStream>${data.toString('base64')}</FileStream></Fields></Element></KnSubject>`;
    const answer = await soapExecute('KnSubject', xml);
    const subjectId = /&lt;SbId&gt;(\d+)&lt;\/SbId&gt;/.exec(answer)?.[1];
    const list = await request(
      `${viaSoap.baseUrl}/connectors/Profit_Subject_Attachments?filterfieldids=subject_id&filtervalues=${subjectId}&operatortypes=1`,
      { headers: { authorization: afasTokenHeader(tokenData) } },
    );
    const [row] = ((await list.body.json()) as { rows: { file_id: string; file_name: string }[] }).rows;
    expect(row?.file_name).toBe('big.bin');
    const file = await request(`${viaSoap.baseUrl}/subjectconnector/${subjectId}/${row?.file_id}`, {
      headers: { authorization: afasTokenHeader(tokenData) },
    });
    const { filedata } = (await file.body.json()) as { filedata: string };
    expect(Buffer.from(filedata, 'base64').equals(data)).toBe(true);
  });
});
