/**
 * `validateXml`: a SOAP write's XML is validated against Profit's XSD of its UpdateConnector (GetXmlSchema, read
 * once and kept) before it is sent. Against the emulator over SOAP: an invalid body is refused with every violation
 * and its path, and no Execute reaches Profit; a valid one is written; without the option nothing is validated here
 * and Profit's own check answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentials, type Emulator, startEmulator } from '../../src/emulator/index.js';
import { authorizationHeader, type ProfitClient, ProfitConnection, ProfitError } from '../../src/profit/index.js';
import { XmlSchemaError } from '../../src/profit/xml/index.js';

let emulator: Emulator;
let authorization: string;
const connections: ProfitConnection[] = [];

function clientOf(validateXml: boolean): ProfitClient {
  const connection = new ProfitConnection({ baseUrl: emulator.baseUrl, transport: 'soap', validateXml });
  connections.push(connection);
  return connection.client(authorizationHeader(authorization));
}

const soapCalls = (operation: string) =>
  emulator.log.entries().filter((e) => e.soapOperation?.toLowerCase() === operation.toLowerCase()).length;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  authorization =
    credentials(emulator.company).find((app) => app.appConnector === 'admin')?.users[0]?.authorization ?? '';
});
afterAll(async () => {
  await Promise.all(connections.map((c) => c.close()));
  await emulator?.close();
});

describe('validateXml', () => {
  it('refuses an invalid body with every violation and its path, before any Execute', async () => {
    const client = clientOf(true);
    const executes = soapCalls('AppConnectorUpdate.Execute');
    const error = await client
      .insert('KnPerson', { fields: { MatchPer: '7', AutoNum: true, LaNm: 'Jansen', ViGe: 'Q', FiNm: 'x'.repeat(51) } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(XmlSchemaError);
    expect((error as XmlSchemaError).requestSent).toBe(false);
    expect((error as XmlSchemaError).violations.map((v) => v.path).sort()).toEqual([
      '/KnPerson/Element/Fields/FiNm',
      '/KnPerson/Element/Fields/ViGe',
    ]);
    expect(soapCalls('AppConnectorUpdate.Execute')).toBe(executes);
    expect(soapCalls('AppConnectorData.Execute')).toBe(1);
  });

  it('sends a valid body, reading the XSD once per connector', async () => {
    const client = clientOf(true);
    const schemas = soapCalls('AppConnectorData.Execute');
    const executes = soapCalls('AppConnectorUpdate.Execute');
    for (const lastName of ['Jansen', 'Pietersen']) {
      const result = await client.insert('KnPerson', { fields: { MatchPer: '7', AutoNum: true, LaNm: lastName } });
      expect(result.results.KnPerson?.BcCo).toBeTruthy();
    }
    expect(soapCalls('AppConnectorData.Execute') - schemas).toBe(1);
    expect(soapCalls('AppConnectorUpdate.Execute') - executes).toBe(2);
  });

  it('leaves the check to Profit without the option', async () => {
    const client = clientOf(false);
    const schemas = soapCalls('AppConnectorData.Execute');
    const error = await client
      .insert('KnPerson', { fields: { MatchPer: '7', AutoNum: true, LaNm: 'Jansen', ViGe: 'Q' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProfitError);
    expect(error).not.toBeInstanceOf(XmlSchemaError);
    expect(soapCalls('AppConnectorData.Execute')).toBe(schemas);
  });
});
