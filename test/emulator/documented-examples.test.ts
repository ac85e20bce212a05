/**
 * Replays every example request of AFAS's documentation pages (shared/afas-docs: get-connector.md,
 * update-connector.md, authentication.md, troubleshooting.md, howto-bijlage-dossier.md, custom-fields.md,
 * integrationid.md and the endpoint-*.md pages, with the OAS example bodies where a page names an endpoint but shows
 * no body) against the emulator with the demo company, exactly as documented: the same path and query string after
 * `https://12345.rest.afas.online`, the documented headers, the admin demo user's token. Each answer must have
 * Profit's documented shape.
 */
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { afasTokenHeader } from '../../src/emulator/auth.js';
import { type Emulator, startEmulator } from '../../src/emulator/server.js';

/** The token of authentication.md: well-formed, but not one of the demo environment's. */
const DOCUMENTED_TOKEN =
  'AfasToken PHRva2VuPjx2ZXJzaW9uPjE8L3ZlcnNpb24+PGRhdGE+QURFMzcwQkU4REFGNDBEMEExN0ZGQjkxNEU0MjY3NUU5OTk4QzJENTQ2QTJGNEZBM0U0RjNBQkZBODY3Qjk2RjwvZGF0YT48L3Rva2VuPg==';

let emu: Emulator;
let admin: string;

beforeAll(async () => {
  emu = await startEmulator();
  const user = emu.company.appConnectors.find((a) => a.id === 'admin')?.users[0];
  if (!user) throw new Error('the demo company has no admin user');
  admin = afasTokenHeader(user.tokenData);
});
afterAll(() => emu?.close());

interface Reply {
  status: number;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: assertions walk the JSON freely
  json: any;
}

/**
 * One documented request. `path` is everything after the documented host (`/ProfitRestServices/…?…`), sent as is.
 * Headers as in the documentation's examples: Accept, Accept-Language nl-nl, and Content-Type for a body.
 */
async function send(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
  extraHeaders: Record<string, string> = {},
  authorization: string = admin,
): Promise<Reply> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': 'nl-nl',
    Authorization: authorization,
    ...extraHeaders,
  };
  if (body !== undefined) headers['Content-Type'] ??= 'application/json';
  const res = await request(`${emu.url}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.body.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, text, json };
}

/** Profit's body for a 500: a short message, an error number and a 32-hex-digit logbook reference. */
function expectProfitError(reply: Reply, errorNumber?: number): void {
  expect(reply.status, reply.text).toBe(500);
  expect(Object.keys(reply.json).sort()).toEqual(['errorNumber', 'externalMessage', 'profitLogReference']);
  expect(typeof reply.json.externalMessage).toBe('string');
  expect(reply.json.externalMessage).not.toBe('');
  expect(reply.json.profitLogReference).toMatch(/^[0-9A-F]{32}$/);
  if (errorNumber !== undefined) expect(reply.json.errorNumber).toBe(errorNumber);
  else expect(Number.isInteger(reply.json.errorNumber)).toBe(true);
}

const PROFIT_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

describe('get-connector.md', () => {
  it('answers the example GET of Profit_Address with skip, take and rows carrying exactly the documented fields', async () => {
    const r = await send('GET', '/ProfitRestServices/connectors/Profit_Address?skip=0&take=100');
    expect(r.status).toBe(200);
    expect(Object.keys(r.json)).toEqual(['skip', 'take', 'rows']);
    expect(r.json).toMatchObject({ skip: 0, take: 100 });
    // The demo company has fewer than 100 addresses at scale 1: the page holds them all.
    const total = emu.company.getConnectors.get('Profit_Address')?.rows(emu.company.store).length ?? 0;
    expect(r.json.rows).toHaveLength(Math.min(100, total));
    for (const row of r.json.rows) {
      expect(Object.keys(row)).toEqual([
        'AddressId',
        'AddressLine',
        'PoBox',
        'AddressAdd',
        'Address',
        'Number',
        'NumberAdd',
        'ZipCode',
        'Recidence',
        'Country',
        'Addition',
        'CreateDate',
        'ModifiedDate',
      ]);
      expect(Number.isInteger(row.AddressId)).toBe(true);
      expect(typeof row.PoBox).toBe('boolean');
      expect(row.CreateDate).toMatch(PROFIT_DATETIME);
      expect(row.ModifiedDate).toMatch(PROFIT_DATETIME);
    }
    expect(r.json.rows[0]).toMatchObject({ AddressId: 1 });
  });

  it('answers the AND filter template, sent verbatim with its placeholders, with the error for an unknown field', async () => {
    const r = await send(
      'GET',
      '/ProfitRestServices/connectors/Profit_Administrations?filterfieldids=fieldid,fieldid&filtervalues=value,value&operatortypes=type,type',
    );
    expectProfitError(r);
  });

  it('applies the AND filter form (",") to Profit_Administrations once the placeholders are filled in', async () => {
    const r = await send(
      'GET',
      '/ProfitRestServices/connectors/Profit_Administrations?filterfieldids=AdminId,AdminNm&filtervalues=1,Internet&operatortypes=1,6',
    );
    expect(r.status).toBe(200);
    expect(r.json.rows).toEqual([{ AdminId: 1, AdminNm: 'Demo Internet Diensten B.V.', AdminCd: 'DID' }]);
  });

  it('answers the OR filter template, sent verbatim with its placeholders, with the error for an unknown field', async () => {
    const r = await send(
      'GET',
      '/ProfitRestServices/connectors/Profit_Administrations?filterfieldids=fieldid;fieldid&filtervalues=value;value&operatortypes=type;type',
    );
    expectProfitError(r);
  });

  it('applies the OR filter form (";") to Profit_Administrations once the placeholders are filled in', async () => {
    const r = await send(
      'GET',
      '/ProfitRestServices/connectors/Profit_Administrations?filterfieldids=AdminId;AdminId&filtervalues=1;3&operatortypes=1;1&orderbyfieldids=AdminId',
    );
    expect(r.status).toBe(200);
    expect(r.json.rows.map((row: { AdminId: number }) => row.AdminId)).toEqual([1, 3]);
  });

  it('answers the URL-encoded filterjson example (AdminId and AdminNm, ordered, skip 0 take 20) with administration 1', async () => {
    const r = await send(
      'GET',
      '/ProfitRestServices/connectors/Profit_Administrations?filterjson=%7B%22Filters%22%3A%7B%22Filter%22%3A%5B%7B%22%40FilterId%22%3A%22Filter%201%22%2C%22Field%22%3A%5B%7B%22%40FieldId%22%3A%22AdminId%22%2C%22%40OperatorType%22%3A%221%22%2C%22%23text%22%3A%221%22%7D%2C%7B%22%40FieldId%22%3A%22AdminNm%22%2C%22%40OperatorType%22%3A%226%22%2C%22%23text%22%3A%22Internet%22%7D%5D%7D%2C%7B%22%40FilterId%22%3A%22Filter%202%22%2C%22Field%22%3A%5B%7B%22%40FieldId%22%3A%22AdminId%22%2C%22%40OperatorType%22%3A%221%22%2C%22%23text%22%3A%223%22%7D%2C%7B%22%40FieldId%22%3A%22AdminNm%22%2C%22%40OperatorType%22%3A%221%22%2C%22%23text%22%3A%22Internet%22%7D%5D%7D%5D%7D%7D&skip=0&take=20&orderbyfieldids=AdminId',
    );
    expect(r.status, r.text).toBe(200);
    expect(r.json).toEqual({
      skip: 0,
      take: 20,
      rows: [{ AdminId: 1, AdminNm: 'Demo Internet Diensten B.V.', AdminCd: 'DID' }],
    });
  });

  it('answers the skip=0&take=750 example with every administration and the requested take echoed', async () => {
    const r = await send('GET', '/ProfitRestServices/connectors/Profit_Administrations?skip=0&take=750');
    expect(r.status).toBe(200);
    expect(r.json.skip).toBe(0);
    expect(r.json.take).toBe(750);
    expect(r.json.rows).toHaveLength(3);
    for (const row of r.json.rows) expect(Object.keys(row)).toEqual(['AdminId', 'AdminNm', 'AdminCd']);
  });

  it('orders Profit_Accounts by the two fields of the example (orderbyfieldids=Account%2CType)', async () => {
    const r = await send(
      'GET',
      '/ProfitRestServices/connectors/Profit_Accounts?skip=0&take=500&orderbyfieldids=Account%2CType',
    );
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ skip: 0, take: 500 });
    const accounts = r.json.rows.map((row: { Account: string }) => row.Account);
    expect(accounts.length).toBeGreaterThan(10);
    expect(accounts).toEqual([...accounts].sort());
    expect(r.json.rows[0]).toMatchObject({ Account: expect.any(String), Description: expect.any(String) });
    expect(['B', 'W']).toContain(r.json.rows[0].Type);
  });

  it('answers the metainfo request for Profit_Accounts with the documented name, description and first two fields', async () => {
    const r = await send('GET', '/ProfitRestServices/metainfo/get/Profit_Accounts');
    expect(r.status).toBe(200);
    expect(Object.keys(r.json)).toEqual(['name', 'description', 'fields']);
    expect(r.json.name).toBe('Profit_Accounts');
    expect(r.json.description).toBe('Grootboekrekeningen (Financieel)');
    expect(r.json.fields.slice(0, 2)).toEqual([
      {
        id: 'Account',
        fieldId: 'U001',
        dataType: 'string',
        label: 'Rekeningnummer',
        length: 16,
        controlType: 5,
        decimals: 0,
        decimalsFieldId: '',
      },
      {
        id: 'Description',
        fieldId: 'U002',
        dataType: 'string',
        label: 'Omschrijving',
        length: 50,
        controlType: 1,
        decimals: 0,
        decimalsFieldId: '',
      },
    ]);
    for (const f of r.json.fields) {
      expect(Object.keys(f)).toEqual([
        'id',
        'fieldId',
        'dataType',
        'label',
        'length',
        'controlType',
        'decimals',
        'decimalsFieldId',
      ]);
    }
  });

  it('answers metainfo for Profit_Administrations exactly as the OAS metainfo example shows it', async () => {
    const r = await send('GET', '/ProfitRestServices/metainfo/get/Profit_Administrations');
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      name: 'Profit_Administrations',
      description: 'Administraties (Profit)',
      fields: [
        {
          id: 'AdminId',
          fieldId: 'U002',
          dataType: 'int',
          label: 'Administratie',
          length: 3,
          controlType: 5,
          decimals: 0,
          decimalsFieldId: '',
        },
        {
          id: 'AdminNm',
          fieldId: 'U001',
          dataType: 'string',
          label: 'Naam administratie',
          length: 80,
          controlType: 1,
          decimals: 0,
          decimalsFieldId: '',
        },
        {
          id: 'AdminCd',
          fieldId: 'UnCo',
          dataType: 'string',
          label: 'Administratie',
          length: 10,
          controlType: 1,
          decimals: 0,
          decimalsFieldId: '',
        },
      ],
    });
  });

  it('filters on an empty PrefixBirthName with operator 8 and the documented empty value filtervalues=""', async () => {
    const all = await send('GET', '/ProfitRestServices/connectors/Profit_Persons?skip=-1&take=-1');
    const r = await send(
      'GET',
      '/ProfitRestServices/connectors/Profit_Persons?filterfieldids=PrefixBirthName&operatortypes=8&filtervalues=""',
    );
    expect(r.status, r.text).toBe(200);
    expect(r.json.rows.length).toBeGreaterThan(0);
    for (const row of r.json.rows) expect(row.PrefixBirthName).toBeNull();
    const withPrefix = all.json.rows.filter((row: { PrefixBirthName: string | null }) => row.PrefixBirthName !== null);
    expect(withPrefix.length).toBeGreaterThan(0);
    expect(r.json.rows.length).toBe(Math.min(100, all.json.rows.length - withPrefix.length));
  });
});

describe('troubleshooting.md', () => {
  it('answers Profit_Functions?skip=2&take=-1 with the documented 500 body for an invalid skip/take pair', async () => {
    // The page quotes the English text: asked in English. In Dutch (nl-nl) the emulator says it in Dutch.
    const r = await send('GET', '/ProfitRestServices/connectors/Profit_Functions?skip=2&take=-1', undefined, {
      'Accept-Language': 'en-us',
    });
    expectProfitError(r, -2147180999);
    expect(r.json.externalMessage).toBe('An unexpected error has occurred.');
    const dutch = await send('GET', '/ProfitRestServices/connectors/Profit_Functions?skip=2&take=-1');
    expectProfitError(dutch, -2147180999);
    expect(dutch.json.externalMessage).toBe('Er is een onverwachte fout opgetreden.');
  });

  it('answers the documented solution, Profit_Functions?skip=2&take=1, with one function', async () => {
    const r = await send('GET', '/ProfitRestServices/connectors/Profit_Functions?skip=2&take=1');
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ skip: 2, take: 1 });
    expect(r.json.rows).toHaveLength(1);
    expect(Object.keys(r.json.rows[0])).toEqual(['FunctionId', 'Description']);
  });
});

describe('authentication.md', () => {
  it('answers the ProfitVersion example with {"version": …}', async () => {
    const r = await send('GET', '/ProfitRestServices/ProfitVersion', undefined, { 'Accept-Language': 'nl-nl' });
    expect(r.status).toBe(200);
    expect(Object.keys(r.json)).toEqual(['version']);
    expect(r.json.version).toMatch(/^\d+(\.\d+)+$/);
  });

  it('answers 401 to the token printed in the documentation, which belongs to no demo user', async () => {
    const r = await send('GET', '/ProfitRestServices/ProfitVersion', undefined, {}, DOCUMENTED_TOKEN);
    expect(r.status).toBe(401);
  });
});

describe('howto-bijlage-dossier.md', () => {
  it('lists payslips (SbTy -2) from ProfitSubjects with the documented row fields, dossier item 49946 among them', async () => {
    const r = await send(
      'GET',
      '/ProfitRestServices/connectors/ProfitSubjects?skip=0&take=100&filterfieldids=SbTy&filtervalues=-2&operatortypes=1',
    );
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ skip: 0, take: 100 });
    expect(r.json.rows.length).toBeGreaterThan(0);
    for (const row of r.json.rows) {
      expect(Object.keys(row)).toEqual([
        'SbTy',
        'SbId',
        'DaSe',
        'Ds',
        'Memo',
        'Stat',
        'DoId',
        'FeV1',
        'FeV2',
        'FeV3',
        'BcId',
        'BcCd',
        'ToEr',
      ]);
      expect(row.SbTy).toBe(-2);
      expect(row.DaSe).toMatch(PROFIT_DATETIME);
    }
    expect(r.json.rows.map((row: { SbId: number }) => row.SbId)).toContain(49946);
  });

  it('lists the attachment of dossier item 49946 from Profit_Subject_Attachments as documented', async () => {
    const r = await send(
      'GET',
      '/ProfitRestServices/connectors/Profit_Subject_Attachments?skip=0&take=100&filterfieldids=subject_id&filtervalues=49946&operatortypes=1',
    );
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ skip: 0, take: 100 });
    expect(r.json.rows).toHaveLength(1);
    // Exactly the documented row: no file_size, which AFAS documents for Profit_Subject_Reaction_Attachments only
    // (oas/dossiers-en-bijlagen-en-workflows.json).
    expect(r.json.rows[0]).toEqual({
      attachment_id: 20175,
      subject_id: 49946,
      file_id: '5C055C034516ED67972E0A852E03C5B9',
      file_name: 'C5C8123246F1E537324F93B8D57F382D.pdf',
    });
    const meta = await send('GET', '/ProfitRestServices/metainfo/get/Profit_Subject_Attachments');
    expect(meta.json.fields.map((f: { id: string }) => f.id)).toEqual([
      'attachment_id',
      'subject_id',
      'file_id',
      'file_name',
    ]);
  });

  it('serves that attachment from SubjectConnector/{SubjectId}/{FileId} as filename, mimetype and base64 filedata', async () => {
    const r = await send('GET', '/ProfitRestServices/SubjectConnector/49946/5C055C034516ED67972E0A852E03C5B9');
    expect(r.status).toBe(200);
    expect(Object.keys(r.json)).toEqual(['filename', 'mimetype', 'filedata']);
    expect(r.json.filename).toBe('C5C8123246F1E537324F93B8D57F382D.pdf');
    expect(r.json.mimetype).toBe('application/pdf');
    expect(Buffer.from(r.json.filedata, 'base64').subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });
});

describe('update-connector.md', () => {
  it('creates-or-updates with the KnUser POST example (MtCd 6 unblocks system user 12345.systeemg) and answers 201 with results', async () => {
    const r = await send('POST', '/ProfitRestServices/connectors/KnUser', {
      KnUser: {
        Element: {
          '@UsId': '12345.systeemg',
          Fields: {
            MtCd: '6',
            Nm: 'Jansen',
            Awin: true,
            InSi: false,
          },
        },
      },
    });
    expect(r.status, r.text).toBe(201);
    expect(r.json).toEqual({ results: { KnUser: { UsId: '12345.systeemg' } } });
  });

  it('applies the @Action example on KnEmployee (root AfasEmployee): one salary account updated, one inserted', async () => {
    const r = await send('POST', '/ProfitRestServices/connectors/KnEmployee', {
      AfasEmployee: {
        Element: {
          '@EmId': '1234568774',
          Fields: {
            '@Action': 'update',
          },
          Objects: [
            {
              AfasBankInfo: {
                Element: [
                  {
                    '@AcId': 'NL57RABO0312000111',
                    '@NoBk': false,
                    Fields: {
                      '@Action': 'update',
                      SeNo: 3,
                      SaAc: false,
                      Iban: 'NL57RABO0312000111',
                    },
                  },
                  {
                    '@AcId': 'NL40BOTK0755026802',
                    '@NoBk': false,
                    Fields: {
                      '@Action': 'insert',
                      SaAc: true,
                      IbCk: true,
                      Iban: 'NL40BOTK0755026802',
                    },
                  },
                ],
              },
            },
          ],
        },
      },
    });
    expect(r.status, r.text).toBe(201);
    expect(r.json).toEqual({ results: { KnEmployee: { EmId: '1234568774' } } });
    const employee = await send(
      'GET',
      '/ProfitRestServices/connectors/Profit_Employees?filterfieldids=EmployeeId&filtervalues=1234568774&operatortypes=1',
    );
    expect(employee.json.rows[0].Iban).toBe('NL40BOTK0755026802');
  });

  it('adds two mileage readings through the HrMobility sub-object URL example', async () => {
    const r = await send('POST', '/ProfitRestServices/connectors/HrMobility/HrEmployeeMobilityRegistration', {
      HrMobility: {
        Element: {
          '@CcSn': 123455,
          Objects: [
            {
              HrEmployeeMobilityRegistration: {
                Element: [
                  {
                    Fields: {
                      DaEn: '2023-12-01',
                      KmEn: 12400,
                    },
                  },
                  {
                    Fields: {
                      DaEn: '2023-12-14',
                      KmEn: 12910,
                    },
                  },
                ],
              },
            },
          ],
        },
      },
    });
    expect(r.status, r.text).toBe(201);
    expect(r.json).toEqual({ results: { HrMobility: { CcSn: '123455' } } });
  });

  it('deletes appointment 123 with the example URL KnAppointment/KnAppointment/ApId/123, and rejects a second delete', async () => {
    const r = await send('DELETE', '/ProfitRestServices/connectors/KnAppointment/KnAppointment/ApId/123');
    expect(r.status, r.text).toBe(200);
    expect(r.text).toBe('');
    const again = await send('DELETE', '/ProfitRestServices/connectors/KnAppointment/KnAppointment/ApId/123');
    expectProfitError(again, -2147220469);
  });
});

describe('oas/organisaties-en-personen.json: KnAppointment', () => {
  const minimal: Record<string, string> = {
    Sbj: 'Afspraak op de maandag',
    DaFr: '2019-12-11T09:00:00',
    DaTi: '2019-12-11T10:00:00',
    ApTy: '1',
  };
  const appointment = (fields: Record<string, unknown>) => ({
    KnAppointment: {
      Element: {
        Fields: fields,
        Objects: { KnAppointmentLines: { Element: { Fields: { PaId: '1', UsId: 'demo', IsOw: true, Pres: 'V' } } } },
      },
    },
  });

  it('marks mandatory in metainfo exactly what a new appointment needs: each left out is refused, the "minimal" example accepted', async () => {
    const meta = await send('GET', '/ProfitRestServices/metainfo/update/KnAppointment');
    const mandatory = (meta.json.fields as { fieldId: string; mandatory: boolean }[])
      .filter((f) => f.mandatory)
      .map((f) => f.fieldId);
    expect(mandatory.sort()).toEqual(['DaFr', 'DaTi', 'Sbj']);
    for (const field of mandatory) {
      const { [field]: _left, ...rest } = minimal;
      expectProfitError(await send('POST', '/ProfitRestServices/connectors/KnAppointment', appointment(rest)));
    }
    const r = await send('POST', '/ProfitRestServices/connectors/KnAppointment', appointment(minimal));
    expect(r.status, r.text).toBe(201);
    expect(r.json.results.KnAppointment.ApId).toMatch(/^\d+$/);
  });
});

describe('custom-fields.md', () => {
  it('lists the custom field in metainfo/update/KnPerson exactly as documented', async () => {
    const r = await send('GET', '/ProfitRestServices/metainfo/update/KnPerson');
    expect(r.status).toBe(200);
    expect(r.json.fields).toContainEqual({
      fieldId: 'UC2DE284248374B083C966F9B4EEEE9E2',
      primaryKey: false,
      dataType: 'string',
      label: expect.any(String),
      mandatory: false,
      length: 255,
      decimals: 0,
      decimalFieldId: '',
      notzero: false,
      controlType: 1,
      values: null,
    });
  });

  it('stores the custom field of the PUT example on person 123456897', async () => {
    const r = await send('PUT', '/ProfitRestServices/connectors/KnPerson', {
      KnPerson: {
        Element: {
          Fields: {
            MatchPer: '0',
            BcCo: '123456897',
            UC2DE284248374B083C966F9B4EEEE9E2: '333',
          },
        },
      },
    });
    expect(r.status, r.text).toBe(201);
    expect(r.json.results.KnPerson).toMatchObject({ BcCo: '123456897' });
    const person = await send(
      'GET',
      '/ProfitRestServices/connectors/Profit_Persons?filterfieldids=BcCo&filtervalues=123456897&operatortypes=1',
    );
    expect(person.json.rows[0].MembershipNumber).toBe('333');
  });
});

describe('endpoint-fientries-delete.md', () => {
  it('deletes entry 70001 of journal 73 by entry number, and rejects deleting it twice', async () => {
    const path = '/ProfitRestServices/connectors/FiEntries/FiEntryPar/UnId,JoCo/1,73/FiEntries/@EnNo/70001';
    const r = await send('DELETE', path);
    expect(r.status, r.text).toBe(200);
    expect(r.text).toBe('');
    expectProfitError(await send('DELETE', path), -2147220469);
  });

  it('deletes the entries of invoice IH003938 in journal 10 by invoice id', async () => {
    const r = await send(
      'DELETE',
      '/ProfitRestServices/connectors/FiEntries/FiEntryPar/UnId,JoCo/1,10/FiEntries/InId/IH003938',
    );
    expect(r.status, r.text).toBe(200);
    expect(r.text).toBe('');
  });
});

describe('endpoint-hrabsenceid-put.md', () => {
  it('changes leave 1724 with the OAS "Update absence" body (only Id and the changed fields)', async () => {
    const r = await send('PUT', '/ProfitRestServices/connectors/HrAbsenceID', {
      HrAbsenceID: {
        Element: {
          Fields: {
            Id: '1724',
            DuBe: 240,
            ViAt: 'V',
            Re: 'change the duration to 240 minutes',
            LeDt: true,
          },
        },
      },
    });
    expect(r.status, r.text).toBe(201);
    expect(r.json.results.HrAbsenceID).toMatchObject({ Id: '1724' });
  });
});

describe('integrationid.md', () => {
  it('accepts a KnSubject POST carrying an IntegrationId header and answers the new SbId (OAS "Simple note" body)', async () => {
    const r = await send(
      'POST',
      '/ProfitRestServices/connectors/KnSubject',
      {
        KnSubject: {
          Element: {
            Fields: {
              StId: '4',
              Ds: 'Galactic assistance needed ASAP!',
              SbTx: 'It appears that a cosmic event has impacted our communciation services, making the magnumserver inaccessible. Calling all space technicians for a swift resolution!',
            },
          },
        },
      },
      { IntegrationId: '12345_123456', 'Content-Type': 'application/json;charset=utf-8, application/json' },
    );
    expect(r.status, r.text).toBe(201);
    expect(Object.keys(r.json.results)).toEqual(['KnSubject']);
    expect(r.json.results.KnSubject.SbId).toMatch(/^\d+$/);
  });
});
