/**
 * Every read endpoint through the client against the running emulator: metainfo (list, get, update),
 * ProfitVersion, GetConnector paging and ordering, and the Subject-, File-, Image- and ReportConnectors.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { PROFIT_VERSION } from '../../src/emulator/company/index.js';
import { ORGANISATION_LIST_REPORT } from '../../src/emulator/company/reports.js';
import {
  collectFileStream,
  type ProfitClient,
  type ProfitConnection,
  ProfitError,
  type ProfitRow,
} from '../../src/profit/index.js';
import { calls, type Harness, pngSize, queryOf, startHarness } from './support.js';

let harness: Harness;
let connection: ProfitConnection;
let admin: ProfitClient;

beforeAll(async () => {
  harness = await startHarness();
  connection = harness.connect();
  admin = connection.client(harness.token('admin'));
});
afterAll(() => harness?.close());
beforeEach(() => harness.log.clear());

describe('metainfo', () => {
  it.each(['admin', 'hr', 'portal'] as const)(
    'lists exactly the connectors the %s app connector grants, with its environment and app name',
    async (user) => {
      const app = harness.emulator.company.appConnectors.find((a) => a.id === user);
      const meta = await connection.client(harness.token(user)).metainfo();
      expect(meta.getConnectors.map((c) => c.id).sort()).toEqual(Object.keys(app?.getConnectors ?? {}).sort());
      expect(meta.updateConnectors.map((c) => c.id).sort()).toEqual([...(app?.updateConnectors ?? [])].sort());
      expect(meta.info).toMatchObject({ envid: harness.emulator.company.envId, appName: app?.appName });
      expect(calls(await harness.log.entries())).toEqual(['GET /metainfo']);
    },
  );

  it('describes a GetConnector’s fields, leaving out those the app connector withholds', async () => {
    const full = await admin.getConnectorMetainfo('Profit_Employees');
    const hr = await connection.client(harness.token('hr')).getConnectorMetainfo('Profit_Employees');
    expect(full.fields.find((f) => f.id === 'Salary')).toMatchObject({ dataType: 'decimal', decimals: 2 });
    expect(full.fields.map((f) => f.id).filter((id) => !hr.fields.some((f) => f.id === id))).toEqual([
      'Salary',
      'HourlyRate',
      'Iban',
    ]);
    const row = (await connection.client(harness.token('hr')).get('Profit_Employees', { take: 1 })).rows[0];
    expect(Object.keys(row ?? {})).toEqual(hr.fields.map((f) => f.id));
  });

  it('describes an UpdateConnector with its key, mandatory fields and nested objects', async () => {
    const meta = await admin.updateConnectorMetainfo('KnSubject');
    expect(meta.name).toBe('KnSubject');
    expect(meta.fields.find((f) => f.fieldId === 'SbId')).toMatchObject({ primaryKey: true, dataType: 'int' });
    expect(meta.fields.find((f) => f.fieldId === 'Ds')).toMatchObject({ mandatory: true, dataType: 'string' });
    expect(meta.objects.map((o) => o.name)).toEqual(expect.arrayContaining(['KnSubjectLink', 'KnSubjectAttachment']));
    const attachment = meta.objects.find((o) => o.name === 'KnSubjectAttachment');
    expect(attachment?.fields.find((f) => f.fieldId === 'FileStream')?.dataType).toBe('blob');
    expect(calls(await harness.log.entries())).toEqual(['GET /metainfo/update/KnSubject']);
  });

  it('tells the Profit version', async () => {
    expect(await admin.profitVersion()).toBe(PROFIT_VERSION);
    expect(calls(await harness.log.entries())).toEqual(['GET /ProfitVersion']);
  });
});

describe('GetConnector paging and ordering', () => {
  let everyone: ProfitRow[];
  beforeAll(async () => {
    everyone = (await admin.get('Profit_Persons', { skip: -1, take: -1 })).rows;
  });
  const codes = (rows: readonly ProfitRow[]) => rows.map((r) => String(r.BcCo));

  it('reads every row with skip -1 and take -1', () => {
    expect(everyone).toHaveLength(60);
    expect(new Set(codes(everyone)).size).toBe(60);
  });

  it('reads one page in descending order, sending skip, take and orderbyfieldids as given', async () => {
    const page = await admin.get('Profit_Persons', {
      orderBy: [{ field: 'BcCo', descending: true }],
      skip: 3,
      take: 5,
    });
    expect(page).toMatchObject({ skip: 3, take: 5 });
    expect(codes(page.rows)).toEqual(codes(everyone).sort().reverse().slice(3, 8));
    const entries = await harness.log.entries();
    expect(entries).toHaveLength(1);
    expect(Object.fromEntries(queryOf(entries[0] as (typeof entries)[number]))).toEqual({
      skip: '3',
      take: '5',
      orderbyfieldids: '-BcCo',
    });
  });

  it('reads every page with getPages, stopping after the first short page (3 requests for 60 rows by 25)', async () => {
    const pages: ProfitRow[][] = [];
    for await (const page of admin.getPages('Profit_Persons', { orderBy: [{ field: 'BcCo' }], take: 25 })) {
      pages.push(page);
    }
    expect(pages.map((p) => p.length)).toEqual([25, 25, 10]);
    expect(codes(pages.flat())).toEqual(codes(everyone).sort());
    expect((await harness.log.entries()).map((e) => queryOf(e).get('skip'))).toEqual(['0', '25', '50']);
  });
});

describe('files', () => {
  let attachments: ProfitRow[];
  beforeAll(async () => {
    attachments = (await admin.get('Profit_Subject_Attachments', { skip: -1, take: -1 })).rows;
  });
  const firstNamed = (suffix: string) => {
    const a = attachments.find((r) => String(r.file_name).endsWith(suffix));
    if (!a) throw new Error(`no ${suffix} attachment in the demo company`);
    return a;
  };

  it('SubjectConnector: fetches a dossier item’s attachment by subject and file id', async () => {
    const a = firstNamed('.pdf');
    const file = await admin.subjectAttachment(a.subject_id as number, String(a.file_id));
    expect(file.fileName).toBe(a.file_name);
    expect(file.mimeType).toBe('application/pdf');
    expect(file.data.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(calls(await harness.log.entries())).toEqual([`GET /SubjectConnector/${a.subject_id}/${a.file_id}`]);
  });

  it('FileConnector: fetches the same kind of file by file id and name', async () => {
    const a = firstNamed('.png');
    const file = await admin.file(String(a.file_id), String(a.file_name));
    expect(file).toMatchObject({ fileName: a.file_name, mimeType: 'image/png' });
    expect(pngSize(file.data)).toEqual({ width: 150, height: 150 });
    const viaSubject = await admin.subjectAttachment(a.subject_id as number, String(a.file_id));
    expect(viaSubject.data.equals(file.data)).toBe(true);
  });

  it('ImageConnector: the original, a thumbnail of at most 64 px and a medium image of at most 1000 px', async () => {
    const person = (await admin.get('Profit_Persons', { filter: [[{ field: 'ImageId', op: 'isNotEmpty' }]] })).rows[0];
    const id = String(person?.ImageId);
    harness.log.clear();
    const original = await admin.image(id);
    const thumbnail = await admin.image(id, 'thumbnail');
    const medium = await admin.image(id, 2);
    for (const f of [original, thumbnail, medium]) expect(f.mimeType).toBe('image/png');
    const [o, t, m] = [original, thumbnail, medium].map((f) => pngSize(f.data)) as [
      { width: number; height: number },
      { width: number; height: number },
      { width: number; height: number },
    ];
    expect(Math.max(o.width, o.height)).toBeGreaterThan(1000);
    expect(Math.max(t.width, t.height)).toBeLessThanOrEqual(64);
    expect(Math.max(m.width, m.height)).toBeLessThanOrEqual(1000);
    expect(Math.max(m.width, m.height)).toBeGreaterThan(64);
    expect(t.width / t.height).toBeCloseTo(o.width / o.height, 1);
    expect((await harness.log.entries()).map((e) => e.query)).toEqual(['?format=0', '?format=1', '?format=2']);
  });

  it('ReportConnector: renders a PDF of exactly the rows its filter selects', async () => {
    const zwolle = (
      await admin.get('Profit_Organisations', { filter: [[{ field: 'City', op: 'eq', value: 'Zwolle' }]] })
    ).rows;
    expect(zwolle.length).toBeGreaterThan(1);
    harness.log.clear();
    const report = await admin.report(ORGANISATION_LIST_REPORT, {
      filter: [[{ field: 'City', op: 'eq', value: 'Zwolle' }]],
    });
    expect(report.mimeType).toBe('application/pdf');
    const pdf = report.data.toString('latin1');
    expect(pdf.startsWith('%PDF-')).toBe(true);
    expect(pdf).toContain(`(Organisatielijst \\(${zwolle.length}\\))`);
    expect(pdf).toContain('Jansen, Smit & Partners');
    expect(pdf).not.toContain('Demo Holding B.V.');
    const entries = await harness.log.entries();
    expect(calls(entries)).toEqual([`GET /ReportConnector/${ORGANISATION_LIST_REPORT}`]);
    expect(Object.fromEntries(queryOf(entries[0] as (typeof entries)[number]))).toEqual({
      filterfieldids: 'City',
      filtervalues: 'Zwolle',
      operatortypes: '1',
    });
  });
});

describe('files read as they arrive', () => {
  let a: ProfitRow;
  let stored: Buffer;
  beforeAll(async () => {
    const rows = (await admin.get('Profit_Subject_Attachments', { skip: -1, take: -1 })).rows;
    a = rows.find((r) => String(r.file_name).endsWith('.pdf')) as ProfitRow;
    stored = (await admin.subjectAttachment(a.subject_id as number, String(a.file_id))).data;
  });
  afterAll(() => harness.emulator.faults.clear());

  it('hands out the file once its type is known, holding its slot until the bytes are read', async () => {
    harness.emulator.faults.once({ kind: 'stall', path: 'SubjectConnector', afterBytes: 120 });
    const file = await admin.openSubjectAttachment(a.subject_id as number, String(a.file_id));
    expect(file).toMatchObject({ fileName: a.file_name, mimeType: 'application/pdf' });
    expect(file.size).toBeUndefined();
    expect(harness.emulator.faults.stalled).toBe(1);
    expect(connection.load).toEqual({ active: 1, queued: 0 });
    harness.emulator.faults.release();
    expect((await collectFileStream(file)).data.equals(stored)).toBe(true);
    await vi.waitFor(() => expect(connection.load).toEqual({ active: 0, queued: 0 }));
    expect(calls(await harness.log.entries())).toEqual([`GET /SubjectConnector/${a.subject_id}/${a.file_id}`]);
  });

  it('fails the bytes with kind timeout when Profit stays silent mid-answer longer than timeoutMs, without retrying', async () => {
    const quick = harness.connect({ timeoutMs: 300 }).client(harness.token('admin'));
    harness.emulator.faults.once({ kind: 'stall', path: 'SubjectConnector', afterBytes: 120 });
    const file = await quick.openSubjectAttachment(a.subject_id as number, String(a.file_id));
    const error = await collectFileStream(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProfitError);
    expect((error as ProfitError).kind).toBe('timeout');
    await vi.waitFor(() => expect(harness.emulator.faults.stalled).toBe(0));
    expect(calls(await harness.log.entries())).toHaveLength(1);
  });

  it('retries a 503 before the answer starts, then streams the file (2 calls)', async () => {
    harness.emulator.faults.once({ kind: '503', path: 'SubjectConnector' });
    harness.emulator.faults.update({ retryAfter: 0 });
    const file = await admin.openSubjectAttachment(a.subject_id as number, String(a.file_id));
    expect((await collectFileStream(file)).data.equals(stored)).toBe(true);
    expect(calls(await harness.log.entries())).toHaveLength(2);
  });

  it('refuses a truncated answer with kind invalid-response', async () => {
    harness.emulator.faults.once({ kind: 'malformed', path: 'SubjectConnector' });
    const error = await admin.subjectAttachment(a.subject_id as number, String(a.file_id)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProfitError);
    expect((error as ProfitError).kind).toBe('invalid-response');
    expect((error as ProfitError).message).toMatch(/ends in the middle of its JSON/);
  });
});
