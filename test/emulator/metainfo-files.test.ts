import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/server.js';
import { call, enc, PORTAL, startFixtureEmulator } from './helpers.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startFixtureEmulator();
});
afterAll(() => emu.close());

describe('metainfo', () => {
  it('lists exactly the connectors granted to the token, with the environment and app', async () => {
    const admin = await call(emu, 'GET', '/metainfo');
    expect(admin.status).toBe(200);
    expect(admin.json.getConnectors).toEqual([
      { id: 'Fx_Codes', description: 'Codes (fixture)' },
      { id: 'Fx_People', description: 'People (fixture)' },
    ]);
    expect(admin.json.updateConnectors).toEqual([
      { id: 'FxRate', description: 'Currency rate (fixture)' },
      { id: 'FxPerson', description: 'Person (fixture)' },
    ]);
    expect(admin.json.info).toEqual({
      envid: 'O12345AA',
      appName: 'Fixture admin',
      group: 'fx-admin (12345.admin)',
      tokenExpiry: '0',
    });

    const portal = await call(emu, 'GET', '/metainfo', { auth: PORTAL });
    expect(portal.json.getConnectors).toEqual([{ id: 'Fx_People', description: 'People (fixture)' }]);
    expect(portal.json.updateConnectors).toEqual([]);
  });

  it('describes a GetConnector without the fields withheld from the app connector', async () => {
    const admin = await call(emu, 'GET', '/metainfo/get/Fx_People');
    expect(admin.json.name).toBe('Fx_People');
    expect(admin.json.fields[2]).toEqual({
      id: 'Amount',
      fieldId: 'UAmount',
      dataType: 'decimal',
      label: 'Amount',
      length: 18,
      controlType: 1,
      decimals: 2,
      decimalsFieldId: '',
    });
    const portal = await call(emu, 'GET', '/MetaInfo/GET/Fx_People', { auth: PORTAL });
    expect(portal.json.fields.map((f: { id: string }) => f.id)).not.toContain('Secret');
    expect(portal.json.fields).toHaveLength(7);
  });

  it('describes an UpdateConnector with its fields and nested objects', async () => {
    const r = await call(emu, 'GET', '/Metainfo/Update/FxPerson');
    expect(r.status).toBe(200);
    expect(r.json.name).toBe('FxPerson');
    expect(r.json.fields.find((f: { fieldId: string }) => f.fieldId === 'Kind')).toEqual({
      fieldId: 'Kind',
      primaryKey: false,
      dataType: 'string',
      label: 'Kind',
      mandatory: false,
      length: 1,
      decimals: 0,
      decimalFieldId: '',
      notzero: false,
      controlType: 1,
      values: [
        { id: 'A', description: 'Alpha' },
        { id: 'B', description: 'Beta' },
      ],
    });
    expect(r.json.objects[0].name).toBe('FxAddress');
    expect(r.json.objects[0].objects[0]).toMatchObject({ name: 'FxNote', objects: [] });
  });

  it('refuses metainfo of connectors the token may not use', async () => {
    const get = await call(emu, 'GET', '/metainfo/get/Fx_Codes', { auth: PORTAL });
    expect(get.json.externalMessage).toBe('GetConnector not supported for this app or the user is not authorized');
    const update = await call(emu, 'GET', '/metainfo/update/FxPerson', { auth: PORTAL });
    expect(update.json.externalMessage).toBe(
      'UpdateConnector not supported for this app or the user is not authorized',
    );
  });

  it('answers the Profit version', async () => {
    const r = await call(emu, 'GET', '/ProfitVersion');
    expect(r.text).toBe('{"version":"22.22.5"}');
  });
});

describe('SubjectConnector', () => {
  it('returns a dossier attachment by path', async () => {
    const r = await call(emu, 'GET', '/SubjectConnector/49946/5C055C034516ED67972E0A852E03C5B9');
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      filename: 'payslip.pdf',
      mimetype: 'application/pdf',
      filedata: Buffer.from('%PDF-1.4 fixture').toString('base64'),
    });
  });

  it('writes / as \\/ in the answer, as AFAS’s documented example does inside filedata', async () => {
    const r = await call(emu, 'GET', '/SubjectConnector/49946/5C055C034516ED67972E0A852E03C5B9');
    // The MIME type's '/' is escaped, like every other; JSON.parse gives the plain text back.
    expect(r.text).toContain('"mimetype":"application\\/pdf"');
    expect(r.text).not.toMatch(/[^\\]\//);
    expect(r.json.mimetype).toBe('application/pdf');
  });

  it('returns a dossier attachment by the query form of the OAS', async () => {
    const r = await call(emu, 'GET', '/subjectconnector?SubjectId=49946&FileId=5C055C034516ED67972E0A852E03C5B9');
    expect(r.json.filename).toBe('payslip.pdf');
  });

  it('answers a bare 404 for a missing attachment', async () => {
    const r = await call(emu, 'GET', '/SubjectConnector/49946/00000000000000000000000000000000');
    expect(r.status).toBe(404);
    expect(r.text).toBe('');
  });

  it('is refused to an app connector without the SubjectConnector', async () => {
    const r = await call(emu, 'GET', '/SubjectConnector/49946/5C055C034516ED67972E0A852E03C5B9', { auth: PORTAL });
    expect(r.status).toBe(500);
    expect(r.json.externalMessage).toBe('SubjectConnector not supported for this app or the user is not authorized');
  });
});

describe('FileConnector and ImageConnector', () => {
  it('returns a file by id and escaped name, in path and query form', async () => {
    const byPath = await call(
      emu,
      'GET',
      `/FileConnector/7CEEE0F54965C99D90764BA09F7606A6/${enc('example report.png')}`,
    );
    expect(byPath.json).toMatchObject({ filename: 'example report.png', mimetype: 'image/png' });
    const byQuery = await call(
      emu,
      'GET',
      `/fileconnector?fileid=7CEEE0F54965C99D90764BA09F7606A6&filename=${enc('example report.png')}`,
    );
    expect(byQuery.json.filedata).toBe(Buffer.from([137, 80, 78, 71]).toString('base64'));
    expect((await call(emu, 'GET', '/FileConnector/7CEEE0F54965C99D90764BA09F7606A6/other.png')).status).toBe(404);
  });

  it('returns an image in the requested format', async () => {
    const r = await call(emu, 'GET', '/ImageConnector/IMG1?format=1');
    expect(Buffer.from(r.json.filedata, 'base64').toString()).toBe('image format 1');
    const original = await call(emu, 'GET', '/ImageConnector/IMG1');
    expect(Buffer.from(original.json.filedata, 'base64').toString()).toBe('image format 0');
    expect((await call(emu, 'GET', '/ImageConnector/IMG1?format=3')).status).toBe(500);
    expect((await call(emu, 'GET', '/ImageConnector/NOPE')).status).toBe(404);
  });
});

describe('ReportConnector', () => {
  it('renders the report over the rows selected by the filter parameters', async () => {
    const r = await call(
      emu,
      'GET',
      '/ReportConnector/CF761B2F7099455B8C5227639C447689?filterfieldids=Name&filtervalues=smith&operatortypes=1',
    );
    expect(r.status, r.text).toBe(200);
    expect(r.json.mimetype).toBe('text/plain');
    expect(Buffer.from(r.json.filedata, 'base64').toString()).toBe('1;Smith\n3;smith');
    expect(Object.keys(r.json)).toEqual(['filedata', 'mimetype']);
  });

  it('answers a bare 404 for an unknown report', async () => {
    expect((await call(emu, 'GET', '/ReportConnector/UNKNOWN')).status).toBe(404);
  });
});
