/**
 * GetConnector reads over SOAP against the emulator give the rows REST gives: every GetConnector the demo admin may
 * read, with filters, sorting and paging, typed by field metainfo (numbers, decimals, booleans, dates, empty cells)
 * exactly as REST's JSON carries them. Calls are counted in the emulator's log.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { afasToken, type GetQuery, type ProfitClient } from '../../src/profit/index.js';
import { XmlSchemaError } from '../../src/profit/xml/validate.js';
import { calls, expectProfitError, type Harness, startHarness } from './support.js';

let harness: Harness;
let rest: ProfitClient;
let soap: ProfitClient;

beforeAll(async () => {
  harness = await startHarness();
  rest = harness.connect().client(harness.token('admin'));
  soap = harness.connect({ transport: 'soap' }).client(harness.token('admin'));
});
afterAll(() => harness?.close());
beforeEach(() => harness.log.clear());

describe('rows over SOAP', () => {
  it('equal the REST rows of every GetConnector the admin may read', async () => {
    const { getConnectors } = await rest.metainfo();
    expect(getConnectors.length).toBeGreaterThan(5);
    for (const { id } of getConnectors) {
      const { fields } = await rest.getConnectorMetainfo(id);
      const query: GetQuery = { orderBy: fields.slice(0, 1).map((f) => ({ field: f.id })), take: 250 };
      const [viaRest, viaSoap] = [await rest.get(id, query), await soap.get(id, query)];
      expect(viaSoap, id).toEqual(viaRest);
    }
  });

  it('equal REST with OR-ed filter groups, values XML must escape, descending sorts and paging', async () => {
    const query: GetQuery = {
      filter: [
        [{ field: 'LastName', op: 'contains', value: "'s-<&>" }],
        [
          { field: 'LastName', op: 'startsWith', value: 'J' },
          { field: 'DateBirth', op: 'lt', value: '1990-01-01' },
        ],
        [{ field: 'MailWork', op: 'isEmpty' }],
      ],
      orderBy: [{ field: 'LastName', descending: true }, { field: 'BcCo' }],
      skip: 2,
      take: 7,
    };
    const viaRest = await rest.get('Profit_Persons', query, {
      columns: { DateBirth: 'date', ModifiedDate: 'datetime' },
    });
    expect(viaRest.rows.length).toBeGreaterThan(0);
    expect(
      await soap.get('Profit_Persons', query, { columns: { DateBirth: 'date', ModifiedDate: 'datetime' } }),
    ).toEqual(viaRest);
  });

  it('reads the field metainfo once per connection, then one GetDataWithOptions per page', async () => {
    const fresh = harness.connect({ transport: 'soap' }).client(harness.token('admin'));
    await fresh.get('Profit_Projects', { take: 3 });
    await fresh.get('Profit_Projects', { skip: 3, take: 3 });
    expect(calls(await harness.log.entries())).toEqual([
      'GET /metainfo/get/Profit_Projects',
      'SOAP AppConnectorGet.GetDataWithOptions',
      'SOAP AppConnectorGet.GetDataWithOptions',
    ]);
  });
});

describe('refusals over SOAP', () => {
  it('refuses a GetConnector the app connector does not grant as not-granted, as REST does', async () => {
    const hr = harness.connect({ transport: 'soap' }).client(harness.token('hr'));
    const viaRest = await expectProfitError(
      harness.connect().client(harness.token('hr')).get('Profit_Projects'),
      'not-granted',
    );
    const viaSoap = await expectProfitError(hr.get('Profit_Projects'), 'not-granted');
    expect(viaSoap.externalMessage).toBe(viaRest.externalMessage);
  });
});

describe('SOAP faults from the emulator', () => {
  it('maps the fault of a connector not granted to the caller to not-granted, its fields read by another', async () => {
    const connection = harness.connect({ transport: 'soap' });
    await connection.client(harness.token('admin')).get('Profit_Projects', { take: 1 });
    harness.log.clear();
    const error = await expectProfitError(connection.client(harness.token('hr')).get('Profit_Projects'), 'not-granted');
    expect(error.profitLogReference).toMatch(/^[0-9A-F]{32}$/);
    expect(calls(await harness.log.entries())).toEqual(['SOAP AppConnectorGet.GetDataWithOptions']);
  });

  it('maps the fault of an unknown token to unauthorized, and a validation fault to rejected with its log reference', async () => {
    const connection = harness.connect({ transport: 'soap' });
    const admin = connection.client(harness.token('admin'));
    await admin.get('Profit_Projects', { take: 1 });
    await expectProfitError(connection.client(afasToken('F'.repeat(64))).get('Profit_Projects'), 'unauthorized');
    const error = await expectProfitError(
      admin.insert('KnPerson', { fields: { MatchPer: '7', LaNm: 'X', SoSe: '123456789' } }),
      'rejected',
    );
    expect(error.externalMessage).toContain('123456789');
    expect(error.profitLogReference).toMatch(/^[0-9A-F]{32}$/);
  });
});

describe("an UpdateConnector's XSD", () => {
  it('comes from the DataConnector over SOAP in one call, on a REST connection too', async () => {
    const xsd = await rest.xmlSchema('KnSubject');
    expect(xsd).toMatch(/^<(\?xml|xsd:schema)/);
    expect(xsd).toContain('name="KnSubject"');
    expect(xsd).toContain('AFASRowAction');
    expect(calls(await harness.log.entries())).toEqual(['SOAP AppConnectorData.Execute']);
  });
});

describe('XML bodies checked before sending', () => {
  it('refuses a body its XSD refuses with every violation by path, and sends no Execute', async () => {
    const admin = harness.connect({ transport: 'soap' }).client(harness.token('admin'));
    const error = await expectProfitError(
      admin.insert('KnPerson', { fields: { MatchPer: '7', LaNm: 'X', Nope: 'y' } }),
      'invalid-argument',
    );
    expect(error).toBeInstanceOf(XmlSchemaError);
    expect((error as XmlSchemaError).violations.map((v) => v.path)).toEqual(['/KnPerson/Element/Fields/Nope']);
    expect(error.requestSent).toBe(false);
    expect(calls(await harness.log.entries())).toEqual([
      'GET /metainfo/update/KnPerson',
      'SOAP AppConnectorData.Execute',
    ]);
  });
});
