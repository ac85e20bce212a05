import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { afasTokenHeader } from '../../src/emulator/auth.js';
import {
  createProfileCompany,
  emulatorArgs,
  type ProfitSnapshot,
  parseSnapshot,
  profileCompanyFactory,
  runEmulatorCli,
  SnapshotError,
} from '../../src/emulator/index.js';
import { inferModel, ProfileStore } from '../../src/emulator/profile/index.js';
import { type Emulator, startEmulator } from '../../src/emulator/server.js';
import { call, type Reply } from './helpers.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/profile-env.json', import.meta.url));
const raw: ProfitSnapshot = JSON.parse(readFileSync(FIXTURE, 'utf8'));
const snapshot = parseSnapshot(raw, FIXTURE);
const GUID = 'U3F2A9C4E1B0D7F6A5C3B2E1D0F9A8C7';

const adminOf = (emu: Emulator) => afasTokenHeader(emu.company.appConnectors[0]?.users[0]?.tokenData ?? '');
const start = (seed = 7) =>
  startEmulator({ createCompany: profileCompanyFactory(snapshot), company: { seed }, onError: () => {} });

type R = Record<string, unknown>;

let emu: Emulator;
let ADMIN: string;
beforeAll(async () => {
  emu = await start();
  ADMIN = adminOf(emu);
});
afterEach(() => emu.reset());
afterAll(() => emu.close());

const read = (path: string, e: Emulator = emu, auth = ADMIN): Promise<Reply> => call(e, 'GET', path, { auth });
const allRows = async (connector: string, e: Emulator = emu, auth = ADMIN): Promise<R[]> => {
  const r = await read(`/connectors/${connector}?skip=-1&take=-1`, e, auth);
  expect(r.status, r.text).toBe(200);
  return r.json.rows as R[];
};

describe('metainfo', () => {
  it('answers GET /metainfo, /metainfo/get/{id} and /metainfo/update/{id} exactly as the file holds them', async () => {
    expect((await read('/metainfo')).json).toEqual(raw.metainfo);
    for (const [id, meta] of Object.entries(raw.get)) expect((await read(`/metainfo/get/${id}`)).json).toEqual(meta);
    for (const [id, meta] of Object.entries(raw.update)) {
      expect((await read(`/metainfo/update/${id}`)).json).toEqual(meta);
    }
  });

  it('serves the environment id of the file and refuses a connector the file does not hold', async () => {
    expect(emu.company.envId).toBe('O98765AB');
    const r = await read('/connectors/Profit_Employees');
    expect(r.status).toBe(500);
    expect(r.json.externalMessage).toBe('GetConnector not supported for this app or the user is not authorized');
  });
});

describe('rows', () => {
  it('are the same on two starts with the same seed, and differ with another seed', async () => {
    const again = await start(7);
    const other = await start(8);
    try {
      for (const id of Object.keys(raw.get)) {
        const rows = await allRows(id);
        expect(rows.length).toBeGreaterThan(0);
        expect(await allRows(id, again, adminOf(again))).toEqual(rows);
      }
      expect(await allRows('Cust_Vrachtwagens', other, adminOf(other))).not.toEqual(await allRows('Cust_Vrachtwagens'));
    } finally {
      await again.close();
      await other.close();
    }
  });

  it('grow with the scale setting', () => {
    const rows = (scale: number) => {
      const c = createProfileCompany(snapshot, { seed: 7, scale });
      return c.getConnectors.get('Cust_Chauffeurs')?.rows(c.store).length;
    };
    expect(rows(1)).toBe(25);
    expect(rows(3)).toBe(75);
  });

  it('fit every field type, length and number of decimals of the metainfo', async () => {
    for (const [id, meta] of Object.entries(raw.get)) {
      const rows = await allRows(id);
      for (const row of rows) {
        expect(Object.keys(row)).toEqual(meta.fields.map((f) => f.id));
        for (const f of meta.fields) {
          const v = row[f.id];
          if (v === null) continue;
          const where = `${id}.${f.id} = ${JSON.stringify(v)}`;
          switch (f.dataType) {
            case 'string':
              expect(typeof v, where).toBe('string');
              if (f.length > 0) expect((v as string).length, where).toBeLessThanOrEqual(f.length);
              break;
            case 'int':
              expect(Number.isInteger(v), where).toBe(true);
              if (f.length > 0) expect(String(Math.abs(v as number)).length, where).toBeLessThanOrEqual(f.length);
              break;
            case 'decimal': {
              expect(typeof v, where).toBe('number');
              const places = String(v).split('.')[1]?.length ?? 0;
              expect(places, where).toBeLessThanOrEqual(f.decimals);
              break;
            }
            case 'boolean':
              expect(typeof v, where).toBe('boolean');
              break;
            case 'date':
              expect(v, where).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00Z$/);
              break;
          }
        }
      }
    }
  });

  it('follow field-name hints: e-mail addresses, Dutch postal codes, licence plates and birth dates', async () => {
    const trucks = await allRows('Cust_Vrachtwagens');
    for (const t of trucks) {
      expect(t.Kenteken).toMatch(/^[A-Z]{2}-\d{3}-[A-Z]$/);
      if (t.EmailBeheerder !== null) expect(t.EmailBeheerder).toMatch(/^[a-z0-9.]+@[a-z.]+\.nl$/);
      if (t.PostcodeStalling !== null) expect(t.PostcodeStalling).toMatch(/^[1-9]\d{3} [A-Z]{2}$/);
    }
    for (const d of await allRows('Cust_Chauffeurs')) {
      if (d.Geboortedatum !== null) expect((d.Geboortedatum as string) < '2006').toBe(true);
    }
  });

  it('take code fields from the code table of the UpdateConnector field with the same id', async () => {
    const codes = raw.update.FbVrachtwagen?.fields.find((f) => f.fieldId === 'Brandstof')?.values?.map((v) => v.id);
    const used = new Set((await allRows('Cust_Vrachtwagens')).map((t) => t.Brandstof));
    expect(used.size).toBeGreaterThan(1);
    for (const code of used) expect(codes).toContain(code);
  });

  it('have unique keys, one field or several (the UpdateConnector primary key)', async () => {
    const trucks = await allRows('Cust_Vrachtwagens');
    expect(new Set(trucks.map((t) => t.Kenteken)).size).toBe(trucks.length);
    const trips = await allRows('Cust_Ritten');
    expect(new Set(trips.map((t) => `${t.Kenteken}/${t.RitNr}`)).size).toBe(trips.length);
    const drivers = await allRows('Cust_Chauffeurs');
    expect(new Set(drivers.map((d) => d.ChauffeurNr)).size).toBe(drivers.length);
  });

  it('join: a field named as another connector’s key holds values of that connector’s rows', async () => {
    const plates = new Set((await allRows('Cust_Vrachtwagens')).map((t) => t.Kenteken));
    const drivers = new Set((await allRows('Cust_Chauffeurs')).map((d) => d.ChauffeurNr));
    const trips = await allRows('Cust_Ritten');
    for (const t of trips) {
      expect(plates.has(t.Kenteken), String(t.Kenteken)).toBe(true);
      expect(drivers.has(t.ChauffeurNr), String(t.ChauffeurNr)).toBe(true);
    }
  });
});

describe('filters and paging', () => {
  const query = async (q: string) => {
    const r = await read(`/connectors/Cust_Vrachtwagens?skip=-1&take=-1&${q}`);
    expect(r.status, r.text).toBe(200);
    return r.json.rows as R[];
  };

  it('apply operators of every kind (=, >=, <, >, starts with, empty, OR) to the synthetic rows', async () => {
    // Empty cells satisfy no comparison (SQL semantics), hence the null checks; "empty" (8) finds exactly them.
    const all = await allRows('Cust_Vrachtwagens');
    const cases: [string, (t: R) => boolean][] = [
      ['filterfieldids=Brandstof&filtervalues=D&operatortypes=1', (t) => t.Brandstof === 'D'],
      [
        'filterfieldids=Bouwjaar&filtervalues=2010&operatortypes=2',
        (t) => t.Bouwjaar !== null && (t.Bouwjaar as number) >= 2010,
      ],
      [
        'filterfieldids=Laadvermogen&filtervalues=50000.5&operatortypes=5',
        (t) => t.Laadvermogen !== null && (t.Laadvermogen as number) < 50000.5,
      ],
      [
        'filterfieldids=Kenteken&filtervalues=AA-11&operatortypes=10',
        (t) => (t.Kenteken as string).startsWith('AA-11'),
      ],
      [`filterfieldids=${GUID}&filtervalues=&operatortypes=8`, (t) => t[GUID] === null],
      [
        'filterfieldids=Aankoopdatum&filtervalues=2022-01-01T00:00:00&operatortypes=4',
        (t) => t.Aankoopdatum !== null && (t.Aankoopdatum as string) > '2022-01-01T00:00:00Z',
      ],
      [
        'filterfieldids=Brandstof;Actief&filtervalues=E;true&operatortypes=1;1',
        (t) => t.Brandstof === 'E' || t.Actief === true,
      ],
    ];
    for (const [q, keep] of cases) {
      const expected = all.filter(keep);
      const got = await query(q);
      expect(got, q).toEqual(expected);
      expect(expected.length, `${q} selects some but not all rows`).toBeGreaterThan(0);
      expect(expected.length, `${q} selects some but not all rows`).toBeLessThan(all.length);
    }
  });

  it('pages with skip and take in the requested order', async () => {
    const sorted = (await read('/connectors/Cust_Ritten?skip=-1&take=-1&orderbyfieldids=-RitNr')).json.rows as R[];
    const page = await read('/connectors/Cust_Ritten?skip=5&take=4&orderbyfieldids=-RitNr');
    expect(page.json).toEqual({ skip: 5, take: 4, rows: sorted.slice(5, 9) });
    expect((await read('/connectors/Cust_Ritten')).json.rows).toHaveLength(Math.min(100, sorted.length));
    expect((await read('/connectors/Cust_Ritten?skip=2&take=-1')).status).toBe(500);
  });
});

describe('UpdateConnectors', () => {
  const truck = (fields: R) => ({ FbVrachtwagen: { Element: { Fields: fields } } });
  const post = (connector: string, body: unknown) =>
    call(emu, 'POST', `/connectors/${connector}`, { auth: ADMIN, body: body as object });

  function expectRejection(r: Reply, message: string) {
    expect(r.status).toBe(500);
    expect(r.json).toMatchObject({ externalMessage: message, errorNumber: -2147220469 });
    expect(r.json.profitLogReference).toMatch(/^[0-9A-F]{32}$/);
  }

  it('refuse a code the code table does not hold, in Profit’s error shape', async () => {
    const r = await post('FbVrachtwagen', truck({ Kenteken: 'ZZ-999-Z', Merk: 'DAF', Brandstof: 'X' }));
    expectRejection(r, "The entered value for 'Brandstof' does not exist.");
  });

  it('refuse a value longer than the field’s length, and a missing mandatory field', async () => {
    expectRejection(
      await post('FbVrachtwagen', truck({ Kenteken: 'ZZ-999-Z', Merk: 'Mercedes-Benz Trucks Nederland' })),
      "The value for 'Merk' is too long: 30 characters, at most 20 allowed.",
    );
    expectRejection(await post('FbVrachtwagen', truck({ Kenteken: 'ZZ-999-Z' })), "Field 'Merk' is mandatory.");
    expectRejection(
      await post('FbVrachtwagen', truck({ Kenteken: 'ZZ-999-Z', Merk: 'DAF', Laadvermogen: 12.345 })),
      "The value '12.345' for 'Laadvermogen (ton)' has more than 2 decimals.",
    );
    const plates = (await allRows('Cust_Vrachtwagens')).map((t) => t.Kenteken);
    expect(plates).not.toContain('ZZ-999-Z');
  });

  it('accept a valid insert with 201 and serve the new row from the matching GetConnector', async () => {
    const r = await post(
      'FbVrachtwagen',
      truck({
        Kenteken: 'ZZ-999-Z',
        Merk: 'DAF',
        Brandstof: 'W',
        Laadvermogen: 18.5,
        Aankoopdatum: '2026-03-01',
        [GUID]: 'Venlo',
      }),
    );
    expect(r.status, r.text).toBe(201);
    expect(r.json).toEqual({ results: { FbVrachtwagen: { Kenteken: 'ZZ-999-Z' } } });
    const found = await read(
      '/connectors/Cust_Vrachtwagens?filterfieldids=Kenteken&filtervalues=ZZ-999-Z&operatortypes=1',
    );
    expect(found.json.rows).toEqual([
      {
        Kenteken: 'ZZ-999-Z',
        Merk: 'DAF',
        Bouwjaar: null,
        Laadvermogen: 18.5,
        Aankoopdatum: '2026-03-01T00:00:00Z',
        Brandstof: 'W',
        Actief: null,
        [GUID]: 'Venlo',
        EmailBeheerder: null,
        PostcodeStalling: null,
      },
    ]);
  });

  it('number a multi-field key part that is not sent, and update a row by its whole key with PUT', async () => {
    const [first] = await allRows('Cust_Ritten');
    const trip = (fields: R) => ({ FbRit: { Element: { Fields: fields } } });
    const inserted = await post('FbRit', trip({ Kenteken: first?.Kenteken, ChauffeurNr: first?.ChauffeurNr }));
    expect(inserted.status, inserted.text).toBe(201);
    const ritNr = inserted.json.results.FbRit.RitNr as string;
    expect(ritNr).toMatch(/^\d+$/);
    const put = await call(emu, 'PUT', '/connectors/FbRit', {
      auth: ADMIN,
      body: trip({
        Kenteken: first?.Kenteken,
        RitNr: Number(ritNr),
        ChauffeurNr: first?.ChauffeurNr,
        Opmerking: 'Via Venlo',
      }),
    });
    expect(put.status, put.text).toBe(201);
    const rows = (await allRows('Cust_Ritten')).filter(
      (t) => t.RitNr === Number(ritNr) && t.Kenteken === first?.Kenteken,
    );
    expect(rows).toMatchObject([{ Opmerking: 'Via Venlo' }]);
  });

  it('refuse a joining field whose value the joined connector does not hold', async () => {
    const [first] = await allRows('Cust_Ritten');
    const trip = (fields: R) => ({ FbRit: { Element: { Fields: fields } } });
    expectRejection(
      await post('FbRit', trip({ Kenteken: first?.Kenteken, ChauffeurNr: 999_999_999 })),
      "The entered value for 'Chauffeur' does not exist.",
    );
    expectRejection(
      await post('FbRit', trip({ Kenteken: 'ZZ-999-Z', ChauffeurNr: first?.ChauffeurNr })),
      "The entered value for 'Kenteken' does not exist.",
    );
  });

  it('validate nested objects by the file’s metainfo too', async () => {
    const [first] = await allRows('Cust_Ritten');
    const r = await post('FbRit', {
      FbRit: {
        Element: {
          Fields: { Kenteken: first?.Kenteken, ChauffeurNr: first?.ChauffeurNr },
          Objects: [{ FbRitStop: { Element: { Fields: { Volgnr: 'eerste', Plaats: 'Venlo' } } } }],
        },
      },
    });
    expectRejection(r, "The value 'eerste' for 'Volgnummer' is not a valid whole number.");
  });

  it('delete a row by its whole key', async () => {
    const [first] = await allRows('Cust_Ritten');
    const path = `/connectors/FbRit/FbRit/@Kenteken,@RitNr/${first?.Kenteken},${first?.RitNr}`;
    expect((await call(emu, 'DELETE', path, { auth: ADMIN })).status).toBe(200);
    const left = await allRows('Cust_Ritten');
    expect(left.some((t) => t.Kenteken === first?.Kenteken && t.RitNr === first?.RitNr)).toBe(false);
    expect((await call(emu, 'DELETE', path, { auth: ADMIN })).status).toBe(500);
  });

  it('accept a valid call to an UpdateConnector no GetConnector matches, and record it', async () => {
    const r = await post('FbMelding', { FbMelding: { Element: { Fields: { Omschrijving: 'Spiegel kapot' } } } });
    expect(r.status, r.text).toBe(201);
    expect(r.json).toEqual({ results: { FbMelding: {} } });
    const store = emu.company.store;
    expect(store).toBeInstanceOf(ProfileStore);
    expect((store as ProfileStore).unapplied).toEqual([{ connector: 'FbMelding', method: 'POST', elements: 1 }]);
  });
});

describe('inference from metainfo alone', () => {
  const field = (id: string, dataType = 'string') => ({
    id,
    fieldId: id,
    dataType,
    label: id,
    length: 10,
    controlType: 1,
    decimals: 0,
    decimalsFieldId: '',
  });
  const updateField = (fieldId: string, primaryKey = false) => ({
    fieldId,
    primaryKey,
    dataType: 'string',
    label: fieldId,
    mandatory: false,
    length: 10,
    decimals: 0,
    decimalFieldId: '',
    notzero: false,
    controlType: 1,
    values: null,
  });
  const infer = (get: Record<string, string[]>, update: Record<string, [string, boolean][]> = {}) =>
    inferModel({
      metainfo: raw.metainfo,
      get: Object.fromEntries(
        Object.entries(get).map(([id, f]) => [id, { name: id, description: id, fields: f.map((x) => field(x)) }]),
      ),
      update: Object.fromEntries(
        Object.entries(update).map(([id, f]) => [
          id,
          { name: id, description: id, fields: f.map(([x, pk]) => updateField(x, pk)), objects: [] },
        ]),
      ),
    });

  it('keys the fixture’s connectors as documented in infer.ts', () => {
    const model = inferModel(snapshot);
    const byId = Object.fromEntries(model.connectors.map((c) => [c.id, c]));
    expect(byId.Cust_Vrachtwagens?.key).toEqual(['Kenteken']);
    expect(byId.Cust_Ritten?.key).toEqual(['Kenteken', 'RitNr']);
    expect(byId.Cust_Chauffeurs?.key).toEqual(['ChauffeurNr']);
    expect(byId.Cust_Ritten?.columns.get('ChauffeurNr')).toEqual({ kind: 'relation', target: 'Cust_Chauffeurs' });
    expect(byId.Cust_Vrachtwagens?.columns.get('Brandstof')).toEqual({ kind: 'code', values: ['D', 'B', 'E', 'W'] });
    expect([...model.updateTargets]).toEqual([
      ['FbVrachtwagen', 'Cust_Vrachtwagens'],
      ['FbRit', 'Cust_Ritten'],
    ]);
  });

  it('matches no GetConnector when two share the UpdateConnector’s fields equally', () => {
    const model = infer(
      { A: ['Nr', 'Naam'], B: ['Nr', 'Naam'] },
      {
        Upd: [
          ['Nr', true],
          ['Naam', false],
        ],
      },
    );
    expect(model.updateTargets.size).toBe(0);
    expect(model.connectors.map((c) => c.key)).toEqual([['Nr'], ['Nr']]);
  });

  it('joins a field to the first connector keyed by it, and only when the data types agree', () => {
    const model = infer({ Klanten: ['KlantNr', 'Naam'], Orders: ['OrderNr', 'KlantNr'], Meer: ['KlantNr'] });
    const orders = model.connectors.find((c) => c.id === 'Orders');
    expect(orders?.columns.get('KlantNr')).toEqual({ kind: 'relation', target: 'Klanten' });
    // Meer is keyed by KlantNr too: its keys are Klanten's, so they stay unique and join.
    expect(model.connectors.find((c) => c.id === 'Meer')?.columns.get('KlantNr')).toEqual({
      kind: 'relation',
      target: 'Klanten',
    });
    const typed = inferModel({
      metainfo: raw.metainfo,
      get: {
        Klanten: { name: 'Klanten', description: '', fields: [field('KlantNr', 'int')] },
        Orders: { name: 'Orders', description: '', fields: [field('OrderNr'), field('KlantNr', 'string')] },
      },
      update: {},
    });
    expect(typed.connectors[1]?.columns.get('KlantNr')).toEqual({ kind: 'synthetic' });
  });
});

describe('the command line', () => {
  it('serves the file given with --profile and prints an admin credential granted all of it', async () => {
    const lines: string[] = [];
    const args = await emulatorArgs(['--profile', FIXTURE, '--seed', '7', '--scale=2']);
    const cli = await runEmulatorCli({ ...args, port: 0, print: (l) => lines.push(l), handleSignals: false });
    try {
      const header = /Authorization: (AfasToken \S+)/.exec(lines.join('\n'))?.[1] as string;
      expect(header).toBe(adminOf(cli));
      expect((await read('/metainfo', cli, header)).json).toEqual(raw.metainfo);
      expect(await allRows('Cust_Chauffeurs', cli, header)).toHaveLength(50);
      const client = /client_id=(\S+) client_secret=(\S+)/.exec(lines.join('\n'));
      const token = await call(cli, 'POST', '/oauth/token', {
        auth: null,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `grant_type=client_credentials&client_id=${client?.[1]}&client_secret=${client?.[2]}`,
      });
      expect(token.status, token.text).toBe(200);
      const viaOAuth = await read('/metainfo/update/FbRit', cli, `Bearer ${token.json.access_token}`);
      expect(viaOAuth.json).toEqual(raw.update.FbRit);
    } finally {
      await cli.close();
    }
  });

  it('refuses a missing file, a bad option and a file that is no snapshot, naming the problem', async () => {
    await expect(emulatorArgs(['--profile', '/nonexistent/env.json'])).rejects.toThrow(
      "cannot read the profile '/nonexistent/env.json': ENOENT",
    );
    await expect(emulatorArgs(['--scale', 'lots'])).rejects.toThrow(
      "--scale must be a whole number from 1 to 1000, got 'lots'",
    );
    await expect(emulatorArgs(['--profil', 'x'])).rejects.toThrow(SnapshotError);
    expect(() => parseSnapshot({ metainfo: {}, get: {}, update: {} }, 'env.json')).toThrow(
      'env.json: "metainfo" must be the answer of GET /metainfo',
    );
  });
});

describe('a GetConnector that names its columns otherwise than the field codes (Mdw_Nr for EmId)', () => {
  const RENAMED = fileURLToPath(new URL('../fixtures/generate-env.json', import.meta.url));
  const renamed = parseSnapshot(JSON.parse(readFileSync(RENAMED, 'utf8')), RENAMED);
  let env: Emulator;
  let auth: string;
  beforeAll(async () => {
    env = await startEmulator({
      createCompany: profileCompanyFactory(renamed),
      company: { seed: 7 },
      onError: () => {},
    });
    auth = adminOf(env);
  });
  afterAll(() => env.close());

  it('is matched to its UpdateConnector by field code: key, code table and writes follow', async () => {
    const model = inferModel(renamed).connectors.find((c) => c.id === 'Profit_Medewerkers')!;
    expect(model.update).toBe('KnEmployee');
    expect(model.key).toEqual(['Mdw_Nr']);
    expect(model.columns.get('Geslacht')).toEqual({ kind: 'code', values: ['M', 'V', 'O'] });
    const enrolments = inferModel(renamed).connectors.find((c) => c.id === 'Cursus_Inschrijvingen')!;
    expect(enrolments.key).toEqual(['Cursus', 'Mdw_Nr']);

    const post = await call(env, 'POST', '/connectors/KnEmployee', {
      auth,
      body: { KnEmployee: { Element: { Fields: { EmId: 'X100', Nm: 'De Vries', ViGe: 'V', U001: 21.5 } } } },
    });
    expect(post.status, post.text).toBe(201);
    expect(post.json).toEqual({ results: { KnEmployee: { EmId: 'X100' } } });
    const rows = async () =>
      (await call(env, 'GET', '/connectors/Profit_Medewerkers?skip=-1&take=-1', { auth })).json.rows as R[];
    expect((await rows()).find((r) => r.Mdw_Nr === 'X100')).toMatchObject({
      Naam: 'De Vries',
      Geslacht: 'V',
      Uurloon: 21.5,
    });

    const put = await call(env, 'PUT', '/connectors/KnEmployee', {
      auth,
      body: { KnEmployee: { Element: { Fields: { EmId: 'X100', Nm: 'De Vries-Bakker' } } } },
    });
    expect(put.status, put.text).toBe(201);
    expect((await rows()).find((r) => r.Mdw_Nr === 'X100')).toMatchObject({ Naam: 'De Vries-Bakker' });

    const del = await call(env, 'DELETE', '/connectors/KnEmployee/KnEmployee/@EmId/X100', { auth });
    expect(del.status, del.text).toBe(200);
    expect((await rows()).some((r) => r.Mdw_Nr === 'X100')).toBe(false);
    expect((env.company.store as ProfileStore).unapplied).toEqual([]);
  });
});
