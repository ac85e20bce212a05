/**
 * UpdateConnectors through the client against the running emulator: POST, PUT and DELETE (multi-key DELETE
 * included), sub-objects in the body and at a sub-object URL, and attachments read back through the Subject- and
 * FileConnectors. Every write is one request, which the emulator's log confirms.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ColumnTypes, GetQuery, ProfitClient, ProfitRow } from '../../src/profit/index.js';
import { asSent, calls, expectProfitError, type Harness, harnessTransport, isWrite, startHarness } from './support.js';

let harness: Harness;
let admin: ProfitClient;

beforeAll(async () => {
  harness = await startHarness();
  admin = harness.connect().client(harness.token('admin'));
});
afterAll(() => harness?.close());
beforeEach(() => harness.reset());

/** A BSN that passes the 11-test (9·1 + 8·1 + 7·1 + 6·2 + 5·2 + 4·2 + 3·3 + 2·3 − 1·3 = 66) and is not in the seed. */
const NEW_BSN = '111222333';

/** The moments these tests compare as instants; every other cell as Profit sent it. */
const DATETIMES: ColumnTypes = { DaSe: 'datetime', StartDate: 'datetime' };

async function rowsWhere(connector: string, field: string, value: string | number): Promise<ProfitRow[]> {
  const query: GetQuery = { filter: [[{ field, op: 'eq', value }]], skip: -1, take: -1 };
  return (await admin.get(connector, query, { columns: DATETIMES })).rows;
}

/** The log's writes only (reads made to check the outcome are left out). */
async function writes(): Promise<string[]> {
  return calls((await harness.log.entries()).filter(isWrite));
}

describe('KnPerson', () => {
  it('inserts a person with POST and changes it with PUT, one request each', async () => {
    const inserted = await admin.insert('KnPerson', {
      fields: { MatchPer: '7', FiNm: 'Zoë', LaNm: "O'Brien-Müller", SoSe: NEW_BSN },
    });
    const bcCo = String(inserted.results.KnPerson?.BcCo);
    expect(bcCo).toMatch(/^\d+$/);
    expect(await rowsWhere('Profit_Persons', 'BcCo', bcCo)).toMatchObject([
      { FirstName: 'Zoë', LastName: "O'Brien-Müller", BSN: NEW_BSN, Name: "Zoë O'Brien-Müller" },
    ]);

    await admin.update('KnPerson', { fields: { MatchPer: '0', BcCo: bcCo, FiNm: 'Zoe', Re: 'Belt; "snel" terug' } });
    expect(await rowsWhere('Profit_Persons', 'BcCo', bcCo)).toMatchObject([
      { FirstName: 'Zoe', LastName: "O'Brien-Müller", Note: 'Belt; "snel" terug' },
    ]);
    expect(await writes()).toEqual(asSent(['POST /connectors/KnPerson', 'PUT /connectors/KnPerson']));
  });

  it('runs several elements of one call as one transaction: a rejected second element leaves nothing behind', async () => {
    const before = (await admin.get('Profit_Persons', { skip: -1, take: -1 })).rows.length;
    const error = await expectProfitError(
      admin.insert('KnPerson', [
        { fields: { MatchPer: '7', LaNm: 'Eerste' } },
        { fields: { MatchPer: '7', LaNm: 'Tweede', SoSe: '123456789' } },
      ]),
      'rejected',
    );
    expect(error.externalMessage).toContain('123456789');
    expect((await admin.get('Profit_Persons', { skip: -1, take: -1 })).rows).toHaveLength(before);
    expect(await writes()).toEqual(asSent(['POST /connectors/KnPerson']));
  });
});

describe('PtProject', () => {
  it('inserts, updates and deletes a project by its key', async () => {
    await admin.insert('PtProject', {
      fields: { PrId: 'IT-0001', PrGp: 'CON', Ds: "Onderhoud 's-Hertogenbosch, Noord", BcCo: '1000144' },
    });
    expect(await rowsWhere('Profit_Projects', 'ProjectId', 'IT-0001')).toMatchObject([
      { Description: "Onderhoud 's-Hertogenbosch, Noord", BcCo: '1000144', ProjectGroup: 'CON' },
    ]);
    await admin.update('PtProject', { fields: { PrId: 'IT-0001', Ds: 'Werkbon, spoed; fase 2' } });
    expect((await rowsWhere('Profit_Projects', 'ProjectId', 'IT-0001'))[0]?.Description).toBe('Werkbon, spoed; fase 2');
    await admin.delete('PtProject', { PrId: 'IT-0001' });
    expect(await rowsWhere('Profit_Projects', 'ProjectId', 'IT-0001')).toEqual([]);
    expect(await writes()).toEqual(
      asSent([
        'POST /connectors/PtProject',
        'PUT /connectors/PtProject',
        'DELETE /connectors/PtProject/PtProject/@PrId/IT-0001',
      ]),
    );
  });
});

describe('KnSubject and its attachments', () => {
  it('inserts a dossier item with a link and an attachment in one body, readable through both file connectors', async () => {
    const person = (await admin.get('Profit_Persons', { filter: [[{ field: 'ImageId', op: 'isNotEmpty' }]] })).rows[0];
    const png = (await admin.image(String(person?.ImageId), 'thumbnail')).data;
    const submitted = new Date('2026-07-15T08:30:00Z'); // 10:30 in Amsterdam (CEST)
    const result = await admin.insert('KnSubject', {
      fields: { StId: 4, Ds: 'Notitie "foto"; bijgevoegd, zie bijlage', Da: submitted },
      objects: {
        KnSubjectLink: { fields: { ToBC: true, BcId: '1000744' } },
        KnSubjectAttachment: { fields: { FileName: 'foto Zoë.png', FileStream: png.toString('base64') } },
      },
    });
    const sbId = Number(result.results.KnSubject?.SbId);
    expect(await rowsWhere('ProfitSubjects', 'SbId', sbId)).toMatchObject([
      { Ds: 'Notitie "foto"; bijgevoegd, zie bijlage', BcCd: '1000744', DaSe: submitted },
    ]);

    const [attachment] = await rowsWhere('Profit_Subject_Attachments', 'subject_id', sbId);
    expect(attachment).toMatchObject({ file_name: 'foto Zoë.png' });
    const viaSubject = await admin.subjectAttachment(sbId, String(attachment?.file_id));
    // SOAP's GetAttachment answers the bytes alone (docs/soap.md): no name, no type.
    if (harnessTransport() === 'rest')
      expect(viaSubject).toMatchObject({ fileName: 'foto Zoë.png', mimeType: 'image/png' });
    else expect([viaSubject.fileName, viaSubject.mimeType]).toEqual([undefined, 'application/octet-stream']);
    expect(viaSubject.data.equals(png)).toBe(true);
    const viaFile = await admin.file(String(attachment?.file_id), 'foto Zoë.png');
    expect(viaFile.data.equals(png)).toBe(true);
    expect(await writes()).toEqual(asSent(['POST /connectors/KnSubject']));
  });

  it('adds an attachment to an existing dossier item by POSTing to the KnSubjectAttachment sub-object URL', async () => {
    const before = await rowsWhere('Profit_Subject_Attachments', 'subject_id', 54286);
    const text = Buffer.from('Afspraak: dinsdag, 10:00; "vergaderzaal"\n', 'utf8');
    const result = await admin.insert(
      'KnSubject',
      {
        keys: { SbId: 54286 },
        objects: { KnSubjectAttachment: { fields: { FileName: 'afspraak.txt', FileStream: text.toString('base64') } } },
      },
      { subObject: 'KnSubjectAttachment' },
    );
    expect(result.results.KnSubject).toEqual({ SbId: '54286' });
    const after = await rowsWhere('Profit_Subject_Attachments', 'subject_id', 54286);
    expect(after).toHaveLength(before.length + 1);
    const added = after.find((a) => a.file_name === 'afspraak.txt');
    const file = await admin.subjectAttachment(54286, String(added?.file_id));
    expect(file).toMatchObject({ mimeType: harnessTransport() === 'rest' ? 'text/plain' : 'application/octet-stream' });
    expect(file.data.equals(text)).toBe(true);
    expect(await writes()).toEqual(asSent(['POST /connectors/KnSubject/KnSubjectAttachment']));
  });

  it('deletes a dossier item with DELETE …/KnSubject/@SbId/{id}', async () => {
    expect(await rowsWhere('ProfitSubjects', 'SbId', 54286)).toHaveLength(1);
    expect(await admin.delete('KnSubject', { SbId: 54286 })).toEqual({ results: {} });
    expect(await rowsWhere('ProfitSubjects', 'SbId', 54286)).toEqual([]);
    expect(await writes()).toEqual(asSent(['DELETE /connectors/KnSubject/KnSubject/@SbId/54286']));
  });
});

describe('HrAbsenceID', () => {
  it('books leave with POST, changes it by line number with PUT and deletes it by both keys (@Id,@EmId)', async () => {
    const booked = await admin.insert('HrAbsenceID', {
      fields: {
        EmId: 'FRITSC',
        ViAt: 'V',
        DaBe: '2026-12-14',
        DaEn: '2026-12-15',
        EnSe: 1,
        LeDt: false,
        Re: 'Bruiloft; "zus", ook zaterdag',
      },
    });
    const { Id, EmId } = booked.results.HrAbsenceID as { Id: string; EmId: string };
    expect(EmId).toBe('FRITSC');
    expect(await rowsWhere('Profit_Leaves', 'LeaveId', Number(Id))).toMatchObject([
      { EmployeeId: 'FRITSC', Hours: 16, LeaveCode: 'V', StartDate: new Date('2026-12-14T00:00:00+01:00') },
    ]);

    await admin.update('HrAbsenceID', { fields: { Id: Number(Id), DuRa: 12 } });
    expect((await rowsWhere('Profit_Leaves', 'LeaveId', Number(Id)))[0]?.Hours).toBe(12);

    await admin.delete('HrAbsenceID', { Id, EmId });
    expect(await rowsWhere('Profit_Leaves', 'LeaveId', Number(Id))).toEqual([]);
    expect(await writes()).toEqual(
      asSent([
        'POST /connectors/HrAbsenceID',
        'PUT /connectors/HrAbsenceID',
        `DELETE /connectors/HrAbsenceID/HrAbsenceID/@Id,@EmId/${Id},FRITSC`,
      ]),
    );
  });

  it('lets the hr app connector book leave but not touch persons', async () => {
    const hr = harness.connect().client(harness.token('hr'));
    await hr.insert('HrAbsenceID', {
      fields: { EmId: 'ALLARDJ', ViAt: 'V', DaBe: '2026-11-02', DaEn: '2026-11-02', LeDt: false },
    });
    const error = await expectProfitError(
      hr.insert('KnPerson', { fields: { MatchPer: '7', LaNm: 'X' } }),
      'not-granted',
    );
    expect(error.externalMessage).toMatch(/not supported for this app/);
    // Over SOAP the refusal comes with the metainfo that orders the XML, before an Execute is sent.
    const refused = harnessTransport() === 'rest' ? ['POST /connectors/KnPerson'] : [];
    expect(await writes()).toEqual(asSent(['POST /connectors/HrAbsenceID', ...refused]));
  });
});
