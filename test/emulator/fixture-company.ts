/**
 * A small company for the emulator's own tests: rows chosen to exercise every operator and data type, two app
 * connectors (one sees everything, one sees a narrowed GetConnector and nothing else), an UpdateConnector with
 * nested objects, and a few files.
 */
import {
  type AppConnectorDef,
  type Company,
  type CompanyStore,
  type CreateCompany,
  Decimal,
  type GetConnectorDef,
  type GetFieldDef,
  ProfitRejection,
  type ReportDef,
  type Row,
  type StoredFile,
  type UpdateConnectorDef,
  type UpdateElement,
  type UpdateFieldDef,
} from '../../src/emulator/company/types.js';

export const ADMIN_TOKEN_DATA = 'ADE370BE8DAF40D0A17FFB914E42675E9998C2D546A2F4FA3E4F3ABFA867B96F';
export const PORTAL_TOKEN_DATA = '949C1A9CD9AE4797950D94F55A7A4D056770472D4963CB9A8D3800BEE0CCE6A2';
export const ADMIN_CLIENT = { clientId: 'fx-admin-client', clientSecret: 'fx-admin-secret' };
export const PORTAL_CLIENT = { clientId: 'fx-portal-client', clientSecret: 'fx-portal-secret' };

const gf = (id: string, dataType: GetFieldDef['dataType'], length = 0, decimals = 0): GetFieldDef => ({
  id,
  fieldId: `U${id}`,
  dataType,
  label: id,
  length,
  controlType: 1,
  decimals,
  decimalsFieldId: '',
});

const uf = (
  fieldId: string,
  label: string,
  dataType: UpdateFieldDef['dataType'],
  extra: Partial<UpdateFieldDef> = {},
) =>
  ({
    fieldId,
    primaryKey: false,
    dataType,
    label,
    mandatory: false,
    length: 0,
    decimals: 0,
    decimalFieldId: '',
    notzero: false,
    controlType: 1,
    values: null,
    ...extra,
  }) satisfies UpdateFieldDef;

interface State {
  people: Row[];
  addresses: { personId: number; street: string; country: string | null; notes: string[] }[];
  rates: { Cu: string; Sn: string; Rate: string }[];
  nextId: number;
}

const d = (t: string) => new Decimal(t);

function initialState(): State {
  return {
    people: [
      {
        Id: 1,
        Name: 'Smith',
        Amount: d('10.50'),
        Active: true,
        Born: '1980-01-15',
        Changed: '2024-03-31T10:00:00',
        Memo: null,
        Secret: 's1',
      },
      {
        Id: 2,
        Name: 'Smith, John',
        Amount: d('-0.5'),
        Active: false,
        Born: '1990-06-01',
        Changed: '2024-03-31T02:30:00',
        Memo: '',
        Secret: 's2',
      },
      {
        Id: 3,
        Name: 'smith',
        Amount: d('0.1'),
        Active: true,
        Born: '1975-12-31',
        Changed: '2024-04-01T00:00:00',
        Memo: 'note',
        Secret: 's3',
      },
      {
        Id: 4,
        Name: 'Jansen',
        Amount: d('12345678901234567.89'),
        Active: false,
        Born: null,
        Changed: null,
        Memo: 'Has 50% off',
        Secret: 's4',
      },
      {
        Id: 5,
        Name: 'de Vries',
        Amount: null,
        Active: null,
        Born: '2000-02-29',
        Changed: '2023-12-31T23:59:59',
        Memo: 'note two',
        Secret: null,
      },
      {
        Id: 6,
        Name: 'Édith',
        Amount: d('0.2'),
        Active: true,
        Born: '1980-01-15',
        Changed: '2024-03-31T10:00:00',
        Memo: null,
        Secret: null,
      },
    ],
    addresses: [],
    rates: [
      { Cu: 'USD', Sn: '1', Rate: '1.08' },
      { Cu: 'USD', Sn: '2', Rate: '1.09' },
    ],
    nextId: 7,
  };
}

function copyState(s: State): State {
  return {
    people: s.people.map((r) => ({ ...r })),
    addresses: s.addresses.map((a) => ({ ...a, notes: [...a.notes] })),
    rates: s.rates.map((r) => ({ ...r })),
    nextId: s.nextId,
  };
}

class FixtureStore implements CompanyStore {
  state = initialState();
  readonly subjectFiles = new Map<string, StoredFile>([
    [
      '49946/5C055C034516ED67972E0A852E03C5B9',
      { fileName: 'payslip.pdf', mimeType: 'application/pdf', data: Buffer.from('%PDF-1.4 fixture') },
    ],
  ]);
  readonly files = new Map<string, StoredFile>([
    [
      '7CEEE0F54965C99D90764BA09F7606A6/example report.png',
      { fileName: 'example report.png', mimeType: 'image/png', data: Buffer.from([137, 80, 78, 71]) },
    ],
  ]);

  snapshot(): unknown {
    return copyState(this.state);
  }
  restore(snapshot: unknown): void {
    this.state = copyState(snapshot as State);
  }
  subjectFile(subjectId: string, fileId: string): StoredFile | undefined {
    return this.subjectFiles.get(`${subjectId}/${fileId}`);
  }
  file(fileId: string, fileName: string): StoredFile | undefined {
    return this.files.get(`${fileId}/${fileName}`);
  }
  image(imageId: string, format: 0 | 1 | 2): StoredFile | undefined {
    if (imageId !== 'IMG1') return undefined;
    return { fileName: `img1-${format}.png`, mimeType: 'image/png', data: Buffer.from(`image format ${format}`) };
  }
}

const st = (store: CompanyStore) => (store as FixtureStore).state;

const people: GetConnectorDef = {
  id: 'Fx_People',
  description: 'People (fixture)',
  fields: [
    gf('Id', 'int', 9),
    gf('Name', 'string', 50),
    gf('Amount', 'decimal', 18, 2),
    gf('Active', 'boolean'),
    gf('Born', 'date'),
    gf('Changed', 'date'),
    gf('Memo', 'string', 255),
    gf('Secret', 'string', 20),
  ],
  rows: (store) => st(store).people,
};

const codes: GetConnectorDef = {
  id: 'Fx_Codes',
  description: 'Codes (fixture)',
  fields: [gf('Code', 'string', 10)],
  rows: () => [{ Code: 'A' }, { Code: 'B' }],
};

const personFields = [
  uf('PeId', 'Person', 'int', { primaryKey: true }),
  uf('Nm', 'Name', 'string', { mandatory: true, length: 20 }),
  uf('Amt', 'Amount', 'decimal', { decimals: 2 }),
  uf('Act', 'Active', 'boolean'),
  uf('Dob', 'Date of birth', 'date'),
  uf('Kind', 'Kind', 'string', {
    length: 1,
    values: [
      { id: 'A', description: 'Alpha' },
      { id: 'B', description: 'Beta' },
    ],
  }),
  uf('Qty', 'Quantity', 'int', { notzero: true }),
];

function personRow(id: number, fields: Readonly<Record<string, unknown>>, base?: Row): Row {
  const row: Row = base
    ? { ...base }
    : { Id: id, Name: null, Amount: null, Active: null, Born: null, Changed: null, Memo: null, Secret: null };
  const map: Record<string, string> = { Nm: 'Name', Amt: 'Amount', Act: 'Active', Dob: 'Born' };
  for (const [k, v] of Object.entries(fields)) {
    const target = map[k];
    if (target) row[target] = v as Row[string];
  }
  row.Changed = '2025-01-01T12:00:00';
  return row;
}

const personConnector: UpdateConnectorDef = {
  id: 'FxPerson',
  name: 'FxPerson',
  description: 'Person (fixture)',
  methods: ['POST', 'PUT', 'DELETE'],
  fields: personFields,
  objects: [
    {
      name: 'FxAddress',
      fields: [
        uf('Street', 'Street', 'string', { mandatory: true, length: 40 }),
        uf('Ctry', 'Country', 'string', { length: 3 }),
      ],
      objects: [
        { name: 'FxNote', fields: [uf('Text', 'Text', 'string', { mandatory: true, length: 100 })], objects: [] },
      ],
    },
  ],
  check(_method, elements) {
    for (const e of elements) {
      if (e.fields.Nm === 'Unknown') throw new ProfitRejection("The entered value for 'Employee' does not exist.");
    }
  },
  apply(method, elements: readonly UpdateElement[], store) {
    const s = st(store);
    let last: Record<string, string> = {};
    for (const e of elements) {
      let id: number;
      if (method === 'POST' && e.keys.PeId === undefined) {
        id = s.nextId++;
        s.people.push(personRow(id, e.fields));
      } else {
        id = Number(e.keys.PeId);
        const i = s.people.findIndex((p) => p.Id === id);
        const current = s.people[i];
        if (!current) throw new ProfitRejection(`The entered value for 'Person' does not exist.`);
        s.people[i] = personRow(id, e.fields, current);
      }
      // A name that fails only while writing: lets tests see that earlier elements are rolled back.
      if (e.fields.Nm === 'Explode') throw new ProfitRejection('Writing the record failed.');
      for (const a of e.objects.FxAddress ?? []) {
        s.addresses.push({
          personId: id,
          street: String(a.fields.Street),
          country: (a.fields.Ctry as string | null | undefined) ?? null,
          notes: (a.objects.FxNote ?? []).map((n) => String(n.fields.Text)),
        });
      }
      last = { PeId: String(id) };
    }
    return last;
  },
  remove(object, keys, store) {
    const s = st(store);
    if (object !== 'FxPerson') throw new ProfitRejection(`Deleting '${object}' is not supported.`);
    const i = s.people.findIndex((p) => String(p.Id) === keys.PeId);
    if (i < 0) throw new ProfitRejection("The entered value for 'Person' does not exist.");
    s.people.splice(i, 1);
  },
};

const rateConnector: UpdateConnectorDef = {
  id: 'FxRate',
  name: 'FxRate',
  description: 'Currency rate (fixture)',
  methods: ['DELETE'],
  fields: [
    uf('Cu', 'Currency', 'string', { primaryKey: true, length: 3 }),
    uf('Sn', 'Sequence', 'int', { primaryKey: true }),
  ],
  objects: [],
  apply() {
    return {};
  },
  remove(_object, keys, store) {
    const s = st(store);
    const i = s.rates.findIndex((r) => r.Cu === keys.Cu && r.Sn === keys.Sn);
    if (i < 0) throw new ProfitRejection("The entered value for 'Currency' does not exist.");
    s.rates.splice(i, 1);
  },
};

const report: ReportDef = {
  id: 'CF761B2F7099455B8C5227639C447689',
  description: 'People list',
  source: 'Fx_People',
  render: (rows) => ({
    fileName: 'people.txt',
    mimeType: 'text/plain',
    data: Buffer.from(rows.map((r) => `${r.Id};${r.Name}`).join('\n')),
  }),
};

const apps: AppConnectorDef[] = [
  {
    id: 'fx-admin',
    appName: 'Fixture admin',
    getConnectors: { Fx_People: [], Fx_Codes: [] },
    updateConnectors: ['FxPerson', 'FxRate'],
    subjectConnector: true,
    reportConnector: true,
    fileConnector: true,
    imageConnector: true,
    users: [{ name: 'admin', description: 'Everything', tokenData: ADMIN_TOKEN_DATA, userId: '12345.admin' }],
    oauthClients: [{ ...ADMIN_CLIENT, user: 'admin' }],
  },
  {
    id: 'fx-portal',
    appName: 'Fixture portal',
    getConnectors: { Fx_People: ['Secret'] },
    updateConnectors: [],
    subjectConnector: false,
    reportConnector: false,
    fileConnector: false,
    imageConnector: false,
    users: [
      { name: 'portal', description: 'People without secrets', tokenData: PORTAL_TOKEN_DATA, userId: '12345.portal' },
    ],
    oauthClients: [{ ...PORTAL_CLIENT, user: 'portal' }],
  },
];

export const createFixtureCompany: CreateCompany = (): Company => ({
  envId: 'O12345AA',
  profitVersion: '22.22.5',
  store: new FixtureStore(),
  getConnectors: new Map([people, codes].map((c) => [c.id, c])),
  updateConnectors: new Map([personConnector, rateConnector].map((c) => [c.id, c])),
  reports: new Map([[report.id, report]]),
  appConnectors: apps,
});
