/**
 * A `--profile` environment (a snapshot of a customer's metainfo) answers over SOAP as it does over REST: its XSDs
 * are generated from the very `/metainfo/update/{id}` answers the snapshot holds.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  generateUpdateXsd,
  type ProfitSnapshot,
  parseSnapshot,
  profileCompanyFactory,
  type XsdObject,
} from '../../src/emulator/index.js';
import { type Emulator, startEmulator } from '../../src/emulator/server.js';
import { call } from './helpers.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/profile-env.json', import.meta.url));
const raw: ProfitSnapshot = JSON.parse(readFileSync(FIXTURE, 'utf8'));
const GUID = 'U3F2A9C4E1B0D7F6A5C3B2E1D0F9A8C7';

let emu: Emulator;
let token: string;
let header: string;
beforeAll(async () => {
  emu = await startEmulator({
    createCompany: profileCompanyFactory(parseSnapshot(raw, FIXTURE)),
    company: { seed: 7 },
  });
  const user = emu.company.appConnectors[0]?.users[0];
  token = `<token><version>1</version><data>${user?.tokenData}</data></token>`;
  header = `AfasToken ${Buffer.from(token).toString('base64')}`;
});
afterEach(() => emu.reset());
afterAll(() => emu.close());

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const unesc = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

/** Posts an envelope and answers the decoded `{op}Result` (or the whole body of a fault). */
async function soap(service: string, op: string, params: Record<string, string | number>): Promise<string> {
  const args = Object.entries({ token, ...params })
    .map(([k, v]) => `<${k}>${esc(String(v))}</${k}>`)
    .join('');
  const res = await request(`${emu.url}/ProfitServices/${service}.asmx`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: `"urn:Afas.Profit.Services/${op}"` },
    body:
      '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>' +
      `<${op} xmlns="urn:Afas.Profit.Services">${args}</${op}></soap:Body></soap:Envelope>`,
  });
  const text = await res.body.text();
  expect(res.statusCode, text).toBe(200);
  const m = new RegExp(`<${op}Result>([\\s\\S]*)</${op}Result>`).exec(text);
  return m?.[1] === undefined ? '' : unesc(m[1]);
}

describe('a --profile environment over SOAP', () => {
  it.each(Object.keys(raw.update))('serves the XSD of %s generated from its snapshot metainfo', async (id) => {
    const result = await soap('AppConnectorData', 'Execute', {
      dataID: 'GetXmlSchema',
      parametersXml: `<DataConnector><UpdateConnectorId>${id}</UpdateConnectorId></DataConnector>`,
    });
    const schema = /<Schema>([\s\S]*)<\/Schema>/.exec(result)?.[1] ?? '';
    expect(unesc(schema)).toBe(generateUpdateXsd(raw.update[id] as unknown as XsdObject));
  });

  it('inserts a truck from an XML body with the effect of the REST POST, and GetData serves it', async () => {
    const dataXml =
      '<FbVrachtwagen><Element Kenteken="ZZ-999-Z"><Fields Action="insert"><Merk>DAF</Merk>' +
      `<Laadvermogen>18.5</Laadvermogen><Aankoopdatum>2026-03-01</Aankoopdatum><Brandstof>W</Brandstof>` +
      `<${GUID}>Venlo</${GUID}></Fields></Element></FbVrachtwagen>`;
    const results = await soap('AppConnectorUpdate', 'Execute', {
      connectorType: 'FbVrachtwagen',
      connectorVersion: 1,
      dataXml,
    });
    expect(results).toBe(
      '<?xml version="1.0"?>\n<results><FbVrachtwagen><Kenteken>ZZ-999-Z</Kenteken></FbVrachtwagen></results>\n',
    );
    const truck = () =>
      call(emu, 'GET', '/connectors/Cust_Vrachtwagens?filterfieldids=Kenteken&filtervalues=ZZ-999-Z&operatortypes=1', {
        auth: header,
      });
    const viaSoap = (await truck()).json.rows;
    const rows = await soap('AppConnectorGet', 'GetData', {
      connectorId: 'Cust_Vrachtwagens',
      filtersXml: '<Filters><Filter><Field FieldId="Kenteken" OperatorType="1">ZZ-999-Z</Field></Filter></Filters>',
      skip: 0,
      take: 10,
    });
    expect(rows).toBe(
      '<AfasGetConnector><Cust_Vrachtwagens><Kenteken>ZZ-999-Z</Kenteken><Merk>DAF</Merk>' +
        '<Laadvermogen>18.5</Laadvermogen><Aankoopdatum>2026-03-01T00:00:00</Aankoopdatum><Brandstof>W</Brandstof>' +
        `<${GUID}>Venlo</${GUID}></Cust_Vrachtwagens></AfasGetConnector>`,
    );
    emu.reset();
    const fields = { Merk: 'DAF', Laadvermogen: 18.5, Aankoopdatum: '2026-03-01', Brandstof: 'W', [GUID]: 'Venlo' };
    const post = await call(emu, 'POST', '/connectors/FbVrachtwagen', {
      auth: header,
      body: { FbVrachtwagen: { Element: { '@Kenteken': 'ZZ-999-Z', Fields: fields } } },
    });
    expect(post.status, post.text).toBe(201);
    expect(viaSoap).toHaveLength(1);
    expect(viaSoap).toEqual((await truck()).json.rows);
  });
});
