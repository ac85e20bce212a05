/**
 * Dossier item attachments over SOAP (`AppConnectorSubject.GetAttachment`) against the emulator: the bytes REST's
 * SubjectConnector gives, read as they arrive through the same wrappers, and the same errors for a missing file, an
 * app connector without the SubjectConnector and a token Profit does not accept. Calls are counted in the emulator's
 * log.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { afasToken, collectFileStream, type ProfitClient, type ProfitConnection } from '../../src/profit/index.js';
import { calls, expectProfitError, type Harness, startHarness } from './support.js';

let harness: Harness;
let rest: ProfitClient;
let soapConnection: ProfitConnection;
let soap: ProfitClient;
let attachments: { subjectId: number; fileId: string; fileName: string }[];
const MISSING = { subjectId: 54286, fileId: '0'.repeat(32) };

beforeAll(async () => {
  harness = await startHarness();
  rest = harness.connect().client(harness.token('admin'));
  soapConnection = harness.connect({ transport: 'soap' });
  soap = soapConnection.client(harness.token('admin'));
  const rows = (await rest.get('Profit_Subject_Attachments', { skip: -1, take: -1 })).rows;
  attachments = rows.map((r) => ({
    subjectId: r.subject_id as number,
    fileId: String(r.file_id),
    fileName: String(r.file_name),
  }));
});
afterAll(() => harness?.close());
beforeEach(() => {
  harness.emulator.faults.clear();
  harness.log.clear();
});

describe('attachments over SOAP', () => {
  it('give the bytes REST gives for every demo attachment, one GetAttachment each and no REST SubjectConnector call', async () => {
    expect(attachments.length).toBeGreaterThan(2);
    for (const a of attachments) {
      const viaRest = await rest.subjectAttachment(a.subjectId, a.fileId);
      harness.log.clear();
      const viaSoap = await soap.subjectAttachment(a.subjectId, a.fileId);
      expect(viaSoap.data.equals(viaRest.data), a.fileName).toBe(true);
      expect(calls(await harness.log.entries())).toEqual(['SOAP AppConnectorSubject.GetAttachment']);
    }
  });

  it('come without a name and as application/octet-stream, since GetAttachment answers only the base64 (unconfirmed)', async () => {
    const a = attachments.find((x) => x.fileName.endsWith('.pdf'));
    if (!a) throw new Error('no PDF attachment in the demo company');
    const viaRest = await rest.subjectAttachment(a.subjectId, a.fileId);
    expect(viaRest).toMatchObject({ fileName: a.fileName, mimeType: 'application/pdf' });
    const viaSoap = await soap.subjectAttachment(a.subjectId, a.fileId);
    expect(viaSoap.fileName).toBeUndefined();
    expect(viaSoap.mimeType).toBe('application/octet-stream');
    expect(viaSoap.data.equals(viaRest.data)).toBe(true);
  });

  it('hand the file out before the answer ends, holding the slot until the bytes are read', async () => {
    const a = attachments.find((x) => x.fileName.endsWith('.pdf')) as (typeof attachments)[number];
    const stored = (await rest.subjectAttachment(a.subjectId, a.fileId)).data;
    harness.emulator.faults.once({ kind: 'stall', path: 'AppConnectorSubject', afterBytes: 400 });
    const file = await soap.openSubjectAttachment(a.subjectId, a.fileId);
    expect(file.size).toBeUndefined();
    expect(harness.emulator.faults.stalled).toBe(1);
    expect(soapConnection.load).toEqual({ active: 1, queued: 0 });
    harness.emulator.faults.release();
    expect((await collectFileStream(file)).data.equals(stored)).toBe(true);
    await vi.waitFor(() => expect(soapConnection.load).toEqual({ active: 0, queued: 0 }));
  });

  it('fail their bytes with kind timeout when Profit stays silent mid-answer longer than timeoutMs, without retrying', async () => {
    const a = attachments.find((x) => x.fileName.endsWith('.pdf')) as (typeof attachments)[number];
    const quick = harness.connect({ transport: 'soap', timeoutMs: 300 }).client(harness.token('admin'));
    harness.emulator.faults.once({ kind: 'stall', path: 'AppConnectorSubject', afterBytes: 400 });
    const file = await quick.openSubjectAttachment(a.subjectId, a.fileId);
    await expectProfitError(collectFileStream(file), 'timeout');
    await vi.waitFor(() => expect(harness.emulator.faults.stalled).toBe(0));
    expect(calls(await harness.log.entries())).toEqual(['SOAP AppConnectorSubject.GetAttachment']);
  });

  it('are retried after a 503 before the answer starts, as REST files are (2 calls)', async () => {
    const a = attachments[0] as (typeof attachments)[number];
    harness.emulator.faults.once({ kind: '503', path: 'AppConnectorSubject' });
    harness.emulator.faults.update({ retryAfter: 0 });
    await soap.subjectAttachment(a.subjectId, a.fileId);
    // The fault answers before the emulator reads the envelope, so its entry names no operation.
    expect(calls(await harness.log.entries())).toEqual([
      'POST /ProfitServices/AppConnectorSubject.asmx',
      'SOAP AppConnectorSubject.GetAttachment',
    ]);
  });
});

describe('refusals of attachments over SOAP', () => {
  it('a missing attachment is not-found with REST’s status and no Profit text, asked once', async () => {
    const viaRest = await expectProfitError(rest.subjectAttachment(MISSING.subjectId, MISSING.fileId), 'not-found');
    harness.log.clear();
    const viaSoap = await expectProfitError(soap.subjectAttachment(MISSING.subjectId, MISSING.fileId), 'not-found');
    expect([viaSoap.status, viaSoap.externalMessage, viaSoap.profitLogReference]).toEqual([
      viaRest.status,
      viaRest.externalMessage,
      viaRest.profitLogReference,
    ]);
    expect(calls(await harness.log.entries())).toEqual(['SOAP AppConnectorSubject.GetAttachment']);
  });

  it('an app connector without the SubjectConnector is not-granted with REST’s message', async () => {
    const a = attachments[0] as (typeof attachments)[number];
    const viaRest = await expectProfitError(
      harness.connect().client(harness.token('portal')).subjectAttachment(a.subjectId, a.fileId),
      'not-granted',
    );
    harness.log.clear();
    const portal = harness.connect({ transport: 'soap' }).client(harness.token('portal'));
    const viaSoap = await expectProfitError(portal.subjectAttachment(a.subjectId, a.fileId), 'not-granted');
    expect(viaSoap.externalMessage).toBe(viaRest.externalMessage);
    expect(calls(await harness.log.entries())).toEqual(['SOAP AppConnectorSubject.GetAttachment']);
  });

  it('a token Profit does not accept is unauthorized, as on REST', async () => {
    const a = attachments[0] as (typeof attachments)[number];
    const unknown = afasToken('F'.repeat(64));
    await expectProfitError(harness.connect().client(unknown).subjectAttachment(a.subjectId, a.fileId), 'unauthorized');
    harness.log.clear();
    await expectProfitError(
      harness.connect({ transport: 'soap' }).client(unknown).subjectAttachment(a.subjectId, a.fileId),
      'unauthorized',
    );
    expect(calls(await harness.log.entries())).toEqual(['SOAP AppConnectorSubject.GetAttachment']);
  });

  it('a malformed answer is invalid-response', async () => {
    const a = attachments[0] as (typeof attachments)[number];
    harness.emulator.faults.once({ kind: 'malformed', path: 'AppConnectorSubject' });
    const error = await expectProfitError(soap.subjectAttachment(a.subjectId, a.fileId), 'invalid-response');
    expect(error.message).toMatch(/GetAttachmentResult/);
  });
});
