/**
 * Files and reports through the running service over HTTP: attachment metadata without a file call, downloads
 * through sealed tickets (bytes identical to the emulator's stored files), inline base64 under a cap, reports with
 * a filter, images in three sizes, FileConnector files, and the credential rules of downloads.
 */
import { randomBytes } from 'node:crypto';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DemoStore } from '../../src/emulator/company/index.js';
import { EMPLOYEE_LIST_REPORT } from '../../src/emulator/company/reports.js';
import type { LogEntry } from '../../src/emulator/index.js';
import { authorizationHeader, type ProfitClient } from '../../src/profit/index.js';
import { COMMIT_AFTER_BYTES } from '../../src/server/files.js';
import { openTicket, sealTicket } from '../../src/server/files-ticket.js';
import type { Service } from '../../src/server/index.js';
import { demoAuthorization, graphql, http, type Reply, startTestService } from './helpers.js';

const KEY_HEX = 'a1'.repeat(32);
const KEY = Buffer.from(KEY_HEX, 'hex');
/** AFAS's documented payslip (howto-bijlage-dossier.md): dossier item 49946, attachment 20175. */
const PAYSLIP = { subjectId: 49946, fileId: '5C055C034516ED67972E0A852E03C5B9' };

const ATTACHMENTS = `query ($id: ID!) {
  dossierItem(dossierItemId: $id) {
    attachments { edges { node { attachmentId fileId fileName mimeType downloadUrl } } }
  }
}`;

interface AttachmentNode {
  attachmentId: string;
  fileId: string;
  fileName: string;
  mimeType: string;
  downloadUrl: string;
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(data: Buffer): { width: number; height: number } {
  expect(data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
  expect(data.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

describe('files and reports', () => {
  let service: Service;
  let admin: string;
  let hr: string;
  let portal: string;
  let store: DemoStore;
  let adminClient: ProfitClient;

  beforeAll(async () => {
    service = await startTestService({ FILE_TICKET_SECRET: KEY_HEX, MAX_UPLOAD_BYTES: String(8 * 2 ** 20) });
    admin = demoAuthorization(service, 'admin');
    hr = demoAuthorization(service, 'hr');
    portal = demoAuthorization(service, 'portal');
    store = service.emulator!.company.store as DemoStore;
    adminClient = service.connection.client(authorizationHeader(admin));
  });
  afterAll(() => service.close());

  const log = service_log();
  function service_log() {
    return {
      clear: () => service.emulator!.log.clear(),
      calls: (): LogEntry[] => service.emulator!.log.entries().filter((e) => e.path.startsWith('/ProfitRestServices')),
      fileCalls: (connector: string): LogEntry[] =>
        service
          .emulator!.log.entries()
          .filter((e) => e.path.toLowerCase().startsWith(`/profitrestservices/${connector.toLowerCase()}/`)),
    };
  }

  async function attachmentsOf(id: number, authorization = admin): Promise<AttachmentNode[]> {
    const reply = await graphql(service, ATTACHMENTS, { authorization, variables: { id: String(id) } });
    expect(reply.json.errors).toBeUndefined();
    return reply.json.data.dossierItem.attachments.edges.map((e: { node: AttachmentNode }) => e.node);
  }

  function ticketOf(url: string): string {
    return url.slice(url.lastIndexOf('/') + 1);
  }

  describe('attachments', () => {
    it('lists attachment metadata and download links without calling the SubjectConnector', async () => {
      log.clear();
      const [node, ...rest] = await attachmentsOf(PAYSLIP.subjectId);
      expect(rest).toEqual([]);
      expect(node).toMatchObject({
        attachmentId: '20175',
        fileId: PAYSLIP.fileId,
        fileName: 'C5C8123246F1E537324F93B8D57F382D.pdf',
        mimeType: 'application/pdf',
      });
      // No PUBLIC_URL: the link is built from the request's Host header.
      expect(node!.downloadUrl.startsWith(`${service.url}/files/`)).toBe(true);
      expect(ticketOf(node!.downloadUrl)).toMatch(/^[A-Za-z0-9_-]{100,}$/);
      expect(log.fileCalls('SubjectConnector')).toEqual([]);
    });

    it('puts no part of the credential into the link', async () => {
      const [node] = await attachmentsOf(PAYSLIP.subjectId);
      const url = node!.downloadUrl;
      const base64 = admin.split(' ')[1]!;
      const tokenData = /<data>([0-9A-F]+)<\/data>/i.exec(Buffer.from(base64, 'base64').toString('utf8'))![1]!;
      for (const secret of [admin, base64, tokenData, tokenData.toLowerCase(), encodeURIComponent(base64)]) {
        expect(url).not.toContain(secret);
      }
      // Not even a 12-character run of the base64 token, in any of its encodings.
      for (let i = 0; i + 12 <= base64.length; i += 4) {
        expect(url).not.toContain(base64.slice(i, i + 12));
        expect(url).not.toContain(
          Buffer.from(base64, 'utf8')
            .toString('base64url')
            .slice(i, i + 12),
        );
      }
      // Two links for the same file differ (a fresh IV each time), so a link says nothing about another.
      const [again] = await attachmentsOf(PAYSLIP.subjectId);
      expect(again!.downloadUrl).not.toBe(url);
    });

    it('downloads the exact stored bytes with type, disposition and no-store headers, in one SubjectConnector call', async () => {
      const [node] = await attachmentsOf(PAYSLIP.subjectId);
      log.clear();
      const reply = await http(node!.downloadUrl);
      expect(reply.status).toBe(200);
      const stored = store.subjectFile(String(PAYSLIP.subjectId), PAYSLIP.fileId)!;
      expect(reply.body.equals(stored.data)).toBe(true);
      expect(reply.headers).toMatchObject({
        'content-type': 'application/pdf',
        'content-length': String(stored.data.length),
        'content-disposition': `attachment; filename="${stored.fileName}"; filename*=UTF-8''${stored.fileName}`,
        'cache-control': 'private, no-store',
        'x-content-type-options': 'nosniff',
      });
      const calls = log.fileCalls('SubjectConnector');
      expect(calls.map((c) => [c.path, c.user, c.status])).toEqual([
        [`/ProfitRestServices/SubjectConnector/${PAYSLIP.subjectId}/${PAYSLIP.fileId}`, 'admin', 200],
      ]);
    });

    it('encodes a non-ASCII file name per RFC 6266 / 8187, with an ASCII fallback and no quote or CR/LF', async () => {
      const text = Buffer.from('Afspraak: dinsdag 10:00\n', 'utf8');
      const name = 'Zoë "tekst"\r\n; café.txt';
      const created = await adminClient.insert('KnSubject', {
        fields: { StId: 4, Ds: 'Bijlage met bijzondere naam', Da: '2026-03-02T10:00:00' },
        objects: {
          KnSubjectLink: { fields: { ToBC: true, BcId: '1000744' } },
          KnSubjectAttachment: { fields: { FileName: name, FileStream: text.toString('base64') } },
        },
      });
      const subjectId = Number(created.results.KnSubject?.SbId);
      const [node] = await attachmentsOf(subjectId);
      expect(node!.fileName).toBe(name);
      const reply = await http(node!.downloadUrl);
      expect(reply.status).toBe(200);
      expect(reply.body.equals(text)).toBe(true);
      expect(reply.headers['content-type']).toBe('text/plain');
      expect(reply.headers['content-disposition']).toBe(
        `attachment; filename="Zo_ _tekst___; caf_.txt"; filename*=UTF-8''Zo%C3%AB%20%22tekst%22__%3B%20caf%C3%A9.txt`,
      );
    });

    it('returns contentBase64 identical to the stored file, sharing one call with nothing else', async () => {
      log.clear();
      const reply = await graphql(
        service,
        `{ dossierItem(dossierItemId: ${PAYSLIP.subjectId}) { attachments { edges { node { contentBase64 again: contentBase64 } } } } }`,
        { authorization: admin },
      );
      expect(reply.json.errors).toBeUndefined();
      const node = reply.json.data.dossierItem.attachments.edges[0].node;
      const stored = store.subjectFile(String(PAYSLIP.subjectId), PAYSLIP.fileId)!;
      expect(Buffer.from(node.contentBase64, 'base64').equals(stored.data)).toBe(true);
      expect(node.again).toBe(node.contentBase64);
      expect(log.fileCalls('SubjectConnector')).toHaveLength(1);
    });

    // Profit_Subject_Attachments has no file_size (oas/dossiers-en-bijlagen-en-workflows.json): the size is counted.
    it('counts size from the SubjectConnector, in the one call that also answers FILE_TOO_LARGE over the cap', async () => {
      log.clear();
      const reply = await graphql(
        service,
        `{ dossierItem(dossierItemId: ${PAYSLIP.subjectId}) { attachments { edges { node { size contentBase64(maxBytes: 100) } } } } }`,
        { authorization: admin },
      );
      const size = store.subjectFile(String(PAYSLIP.subjectId), PAYSLIP.fileId)!.data.length;
      expect(reply.json.data.dossierItem.attachments.edges[0].node).toEqual({ size, contentBase64: null });
      expect(reply.json.errors).toMatchObject([
        {
          path: ['dossierItem', 'attachments', 'edges', 0, 'node', 'contentBase64'],
          extensions: { code: 'FILE_TOO_LARGE', size, maxBytes: 100 },
        },
      ]);
      expect(log.fileCalls('SubjectConnector')).toHaveLength(1);
    });

    it('gives the size although Profit_Subject_Attachments has no file_size, with one SubjectConnector call', async () => {
      log.clear();
      const reply = await graphql(
        service,
        `{ dossierItem(dossierItemId: ${PAYSLIP.subjectId}) { attachments { edges { node { fileName size } } } } }`,
        { authorization: admin },
      );
      expect(reply.json.errors).toBeUndefined();
      expect(reply.json.data.dossierItem.attachments.edges[0].node).toEqual({
        fileName: 'C5C8123246F1E537324F93B8D57F382D.pdf',
        size: store.subjectFile(String(PAYSLIP.subjectId), PAYSLIP.fileId)!.data.length,
      });
      expect(log.fileCalls('SubjectConnector')).toHaveLength(1);
    });
  });

  describe('streaming', () => {
    /** A 600 kB attachment (800 kB of base64 in Profit's answer), created through the UpdateConnector. */
    const big = randomBytes(600_000);
    let bigUrl: () => Promise<string>;
    let subjectCalls: () => LogEntry[];

    beforeAll(async () => {
      const created = await adminClient.insert('KnSubject', {
        fields: { StId: 4, Ds: 'Groot bestand', Da: '2026-03-02T10:00:00' },
        objects: {
          KnSubjectLink: { fields: { ToBC: true, BcId: '1000744' } },
          KnSubjectAttachment: { fields: { FileName: 'groot.bin', FileStream: big.toString('base64') } },
        },
      });
      const subjectId = Number(created.results.KnSubject?.SbId);
      bigUrl = async () => (await attachmentsOf(subjectId))[0]!.downloadUrl;
      subjectCalls = () => log.fileCalls('SubjectConnector');
      // Were the route to wait for the whole answer, a stalled one would come only after this cap, and the
      // checks below that the emulator is still sending would fail instead of the test hanging.
      service.emulator!.faults.update({ timeoutCapMs: 10_000 });
    });

    async function readUntil(body: AsyncIterator<Buffer>, bytes: number): Promise<Buffer> {
      const chunks: Buffer[] = [];
      let n = 0;
      while (n < bytes) {
        const next = await body.next();
        if (next.done) break;
        chunks.push(next.value);
        n += next.value.length;
      }
      return Buffer.concat(chunks);
    }

    it('passes the first bytes on while Profit is still sending, then the rest, byte for byte, in one call', async () => {
      const url = await bigUrl();
      log.clear();
      // Profit's answer stops after 200 kB (about 150 kB of the file) until the test lets it go on.
      service.emulator!.faults.once({ kind: 'stall', path: 'SubjectConnector', afterBytes: 200_000 });
      const res = await request(url);
      expect(res.statusCode).toBe(200);
      expect(res.headers).toMatchObject({
        'content-type': 'application/octet-stream',
        'transfer-encoding': 'chunked',
        'content-disposition': `attachment; filename="groot.bin"; filename*=UTF-8''groot.bin`,
        'cache-control': 'private, no-store',
        'x-content-type-options': 'nosniff',
      });
      expect(res.headers['content-length']).toBeUndefined();
      const body = res.body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
      const first = await readUntil(body, COMMIT_AFTER_BYTES + 1);
      // These bytes left the service while the emulator had not finished its answer.
      expect(service.emulator!.faults.stalled).toBe(1);
      expect(subjectCalls().map((c) => c.status)).toEqual(['pending']);
      expect(first.length).toBeGreaterThan(COMMIT_AFTER_BYTES);
      expect(first.equals(big.subarray(0, first.length))).toBe(true);

      expect(service.emulator!.faults.release()).toBe(1);
      const rest = await readUntil(body, Number.POSITIVE_INFINITY);
      expect(Buffer.concat([first, rest]).equals(big)).toBe(true);
      expect(subjectCalls().map((c) => [c.user, c.status])).toEqual([['admin', 200]]);
    });

    it('cuts the transfer (no final chunk) when Profit’s answer breaks off after the headers, and retries nothing', async () => {
      const url = await bigUrl();
      log.clear();
      service.emulator!.faults.once({ kind: 'stall', path: 'SubjectConnector', afterBytes: 200_000 });
      const res = await request(url);
      expect(res.statusCode).toBe(200);
      const body = res.body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
      await readUntil(body, COMMIT_AFTER_BYTES + 1);
      expect(service.emulator!.faults.release('reset')).toBe(1);
      await expect(readUntil(body, Number.POSITIVE_INFINITY)).rejects.toThrow();
      expect(subjectCalls().map((c) => c.status)).toEqual(['reset']);
      // The service is fine and its slot is free: the next download is whole.
      const again = await http(url);
      expect(again.body.equals(big)).toBe(true);
      expect(service.connection.load).toEqual({ active: 0, queued: 0 });
    });

    it('answers 502 PROFIT_BAD_RESPONSE, not a short file, when the answer breaks off within the first 64 KiB', async () => {
      const url = await bigUrl();
      log.clear();
      service.emulator!.faults.once({ kind: 'stall', path: 'SubjectConnector', afterBytes: 20_000 });
      const pending = http(url);
      await vi.waitFor(() => expect(service.emulator!.faults.stalled).toBe(1));
      service.emulator!.faults.release('reset');
      const reply = await pending;
      expect(reply.status).toBe(502);
      expect(reply.json.errors[0].extensions.code).toBe('PROFIT_UNREACHABLE');
      expect(subjectCalls()).toHaveLength(1);
    });

    it('ends Profit’s call when the downloader goes away mid-file', async () => {
      const url = await bigUrl();
      log.clear();
      service.emulator!.faults.once({ kind: 'stall', path: 'SubjectConnector', afterBytes: 200_000 });
      const res = await request(url);
      const body = res.body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
      await readUntil(body, COMMIT_AFTER_BYTES + 1);
      res.body.destroy();
      // The service closes its connection to Profit: the stalled answer has nobody left to wait for.
      await vi.waitFor(() => expect(service.emulator!.faults.stalled).toBe(0));
      await vi.waitFor(() => expect(service.connection.load).toEqual({ active: 0, queued: 0 }));
      expect(subjectCalls()).toHaveLength(1);
      expect(service.emulator!.faults.release()).toBe(0);
    });

    it('answers HEAD with the headers only, and the length when the file fits in the first 64 KiB', async () => {
      const small = await http((await attachmentsOf(PAYSLIP.subjectId))[0]!.downloadUrl, { method: 'HEAD' });
      const stored = store.subjectFile(String(PAYSLIP.subjectId), PAYSLIP.fileId)!;
      expect(small.status).toBe(200);
      expect(small.headers['content-length']).toBe(String(stored.data.length));
      expect(small.body.length).toBe(0);
      const large = await http(await bigUrl(), { method: 'HEAD' });
      expect(large.status).toBe(200);
      expect(large.headers['content-type']).toBe('application/octet-stream');
      expect(large.body.length).toBe(0);
      await vi.waitFor(() => expect(service.connection.load).toEqual({ active: 0, queued: 0 }));
    });
  });

  describe('uploads over HTTP', () => {
    const CREATE = `mutation ($input: CreateDossierItemInput!) {
      createDossierItem(input: $input) {
        dossierItemId
        attachments { edges { node { fileName size downloadUrl } } }
      }
    }`;
    const input = (data: Buffer) => ({
      typeId: 4,
      subject: 'Scan van het contract',
      links: [{ toOrganisationOrPerson: true, organisationOrPersonId: '1000744' }],
      attachments: [{ fileName: 'contract.pdf', data: data.toString('base64') }],
    });
    const knSubjectPosts = () => log.calls().filter((c) => c.method === 'POST' && /KnSubject/i.test(c.path));

    it('takes a mutation with a 3 MiB attachment (over MAX_REQUEST_BYTES) from a writer, and serves it back byte for byte', async () => {
      const file = randomBytes(3 * 2 ** 20);
      log.clear();
      const reply = await graphql(service, CREATE, { authorization: admin, variables: { input: input(file) } });
      expect(reply.status).toBe(200);
      expect(reply.json.errors).toBeUndefined();
      const [node] = reply.json.data.createDossierItem.attachments.edges.map((e: { node: unknown }) => e.node);
      expect(node).toMatchObject({ fileName: 'contract.pdf', size: file.length });
      expect(knSubjectPosts()).toHaveLength(1);
      const download = await http(node.downloadUrl);
      expect(download.status).toBe(200);
      expect(download.headers['transfer-encoding']).toBe('chunked');
      expect(download.body.equals(file)).toBe(true);
    });

    it('refuses the same body from a credential without UpdateConnectors (portal) or without one: 413, nothing written', async () => {
      const body = input(randomBytes(2 * 2 ** 20));
      log.clear();
      for (const authorization of [portal, undefined]) {
        const reply = await graphql(service, CREATE, {
          ...(authorization ? { authorization } : {}),
          variables: { input: body },
        });
        expect(reply.status).toBe(413);
        expect(reply.json.errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
        expect(reply.json.errors[0].message).toMatch(/MAX_REQUEST_BYTES.*MAX_UPLOAD_BYTES/);
      }
      expect(knSubjectPosts()).toEqual([]);
    });

    it('refuses a large body that is not a single mutation, even from a writer', async () => {
      log.clear();
      const reply = await graphql(
        service,
        `query ($x: String) { dossierItems(first: 1, where: { subject: { eq: $x } }) { edges { node { subject } } } }`,
        { authorization: admin, variables: { x: 'x'.repeat(2 * 2 ** 20) } },
      );
      expect(reply.status).toBe(413);
      expect(reply.json.errors[0].message).toMatch(/only a single mutation/);
      expect(log.calls().filter((c) => !/metainfo/i.test(c.path))).toEqual([]);
    });

    it('refuses a mutation over MAX_UPLOAD_BYTES before reading it, naming the limit', async () => {
      log.clear();
      const reply = await graphql(service, CREATE, {
        authorization: admin,
        variables: { input: input(randomBytes(7 * 2 ** 20)) },
      });
      expect(reply.status).toBe(413);
      expect(reply.json.errors[0].message).toMatch(/larger than 8388608 bytes \(MAX_UPLOAD_BYTES\).*75 MB/);
      expect(knSubjectPosts()).toEqual([]);
    });
  });

  describe('tickets', () => {
    async function payslipUrl(authorization = admin): Promise<string> {
      return (await attachmentsOf(PAYSLIP.subjectId, authorization))[0]!.downloadUrl;
    }

    it('refuses a ticket with any byte changed (403 INVALID_TICKET) and calls no Profit', async () => {
      const url = await payslipUrl();
      const ticket = ticketOf(url);
      log.clear();
      for (const at of [0, 5, 20, Math.floor(ticket.length / 2), ticket.length - 3]) {
        const c = ticket[at] === 'A' ? 'B' : 'A';
        const reply = await http(`${url.slice(0, -ticket.length)}${ticket.slice(0, at)}${c}${ticket.slice(at + 1)}`);
        expect(reply.status).toBe(403);
        expect(reply.json.errors[0].extensions.code).toBe('INVALID_TICKET');
      }
      for (const junk of ['x', 'not a ticket', `${ticket}%00`, ticket.slice(0, 30)]) {
        expect((await http(`${service.url}/files/${junk.replace(/ /g, '%20')}`)).status).toBe(403);
      }
      expect(log.calls()).toEqual([]);
    });

    it('refuses an expired ticket with 410 TICKET_EXPIRED', async () => {
      const opened = openTicket(ticketOf(await payslipUrl()), KEY);
      expect(opened.ok).toBe(true);
      if (!opened.ok) return;
      expect(opened.payload.expiresAt - Date.now()).toBeGreaterThan(590_000);
      expect(opened.payload.expiresAt - Date.now()).toBeLessThanOrEqual(600_000);
      const expired = sealTicket({ ...opened.payload, expiresAt: Date.now() - 1 }, KEY);
      log.clear();
      const reply = await http(`${service.url}/files/${expired}`);
      expect(reply.status).toBe(410);
      expect(reply.json.errors[0]).toMatchObject({ extensions: { code: 'TICKET_EXPIRED' } });
      expect(reply.json.errors[0].message).toMatch(/expired/);
      expect(log.calls()).toEqual([]);
    });

    it("downloads with the issuing caller's own credential: hr's link calls Profit as hr", async () => {
      const url = await payslipUrl(hr);
      log.clear();
      const reply = await http(url);
      expect(reply.status).toBe(200);
      expect(log.fileCalls('SubjectConnector').map((c) => c.user)).toEqual(['hr']);
    });

    it('maps Profit’s 404 (no such file, or no rights on it) to 404 NOT_FOUND, without upstream details', async () => {
      const ticket = sealTicket(
        {
          ref: { kind: 'subject', subjectId: String(PAYSLIP.subjectId), fileId: '00000000000000000000000000000000' },
          authorization: hr,
          expiresAt: Date.now() + 60_000,
        },
        KEY,
      );
      const reply = await http(`${service.url}/files/${ticket}`);
      expect(reply.status).toBe(404);
      expect(reply.json.errors[0].extensions.code).toBe('NOT_FOUND');
      expect(reply.text).not.toMatch(/http:|127\.0\.0\.1|ProfitRestServices|SubjectConnector\//);
    });

    it('maps a credential whose app connector lacks the SubjectConnector (portal) to 403 FORBIDDEN', async () => {
      const ticket = sealTicket(
        {
          ref: { kind: 'subject', subjectId: String(PAYSLIP.subjectId), fileId: PAYSLIP.fileId },
          authorization: portal,
          expiresAt: Date.now() + 60_000,
        },
        KEY,
      );
      log.clear();
      const reply = await http(`${service.url}/files/${ticket}`);
      expect(reply.status).toBe(403);
      expect(reply.json.errors[0].extensions.code).toBe('FORBIDDEN');
      expect(log.fileCalls('SubjectConnector').map((c) => [c.user, c.status])).toEqual([['portal', 500]]);
    });

    it('answers 503 with Retry-After while Profit is in maintenance', async () => {
      const url = await payslipUrl();
      await http(`${service.emulator!.url}/__emulator/maintenance`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ retryAfter: 7200 }),
      });
      let reply: Reply;
      try {
        reply = await http(url);
      } finally {
        await http(`${service.emulator!.url}/__emulator/maintenance`, { method: 'DELETE' });
      }
      expect(reply.status).toBe(503);
      expect(reply.headers['retry-after']).toBe('7200');
      expect(reply.json.errors[0].extensions.code).toBe('PROFIT_UNAVAILABLE');
    });
  });

  describe('as the portal user', () => {
    it('gets FORBIDDEN for contentBase64 of a file its app connector does not grant', async () => {
      const reply = await graphql(
        service,
        `{ profitFile(fileId: "${PAYSLIP.fileId}", fileName: "C5C8123246F1E537324F93B8D57F382D.pdf") { downloadUrl contentBase64 } }`,
        { authorization: portal },
      );
      expect(reply.json.data.profitFile.downloadUrl).toMatch(/\/files\//);
      expect(reply.json.data.profitFile.contentBase64).toBeNull();
      expect(reply.json.errors[0].extensions.code).toBe('FORBIDDEN');
      const download = await http(reply.json.data.profitFile.downloadUrl);
      expect(download.status).toBe(403);
    });
  });

  describe('reports', () => {
    it('renders a report with a where: the same PDF as a direct ReportConnector call, the filter in Profit’s log', async () => {
      const query = `{
        report(id: "${EMPLOYEE_LIST_REPORT}", where: { fields: [{ field: "Department", eq: "ICT" }] }) {
          fileName mimeType size downloadUrl contentBase64
        }
      }`;
      log.clear();
      const reply = await graphql(service, query, { authorization: admin });
      expect(reply.json.errors).toBeUndefined();
      const report = reply.json.data.report;
      const reportCalls = log.fileCalls('ReportConnector');
      expect(reportCalls).toHaveLength(1);
      expect(decodeURIComponent(reportCalls[0]!.query)).toMatch(/Department/);
      expect(decodeURIComponent(reportCalls[0]!.query)).toMatch(/ICT/);

      const direct = await adminClient.report(EMPLOYEE_LIST_REPORT, {
        filter: [[{ field: 'Department', op: 'eq', value: 'ICT' }]],
      });
      const unfiltered = await adminClient.report(EMPLOYEE_LIST_REPORT);
      expect(direct.data.equals(unfiltered.data)).toBe(false);
      expect(report).toMatchObject({ fileName: null, mimeType: 'application/pdf', size: direct.data.length });
      expect(Buffer.from(report.contentBase64, 'base64').equals(direct.data)).toBe(true);
      expect(direct.data.subarray(0, 5).toString('latin1')).toBe('%PDF-');

      log.clear();
      const download = await http(report.downloadUrl);
      expect(download.status).toBe(200);
      expect(download.body.equals(direct.data)).toBe(true);
      expect(download.headers['content-type']).toBe('application/pdf');
      expect(download.headers['content-disposition']).toBe(
        `attachment; filename="report-${EMPLOYEE_LIST_REPORT}.pdf"; filename*=UTF-8''report-${EMPLOYEE_LIST_REPORT}.pdf`,
      );
      expect(log.fileCalls('ReportConnector').map((c) => c.query)).toEqual([reportCalls[0]!.query]);
    });

    /** The caller's grant of the report's source, read once and cached: what the tests below count from. */
    const warmReportGrant = async () => {
      const warm = await graphql(
        service,
        `{ report(id: "${EMPLOYEE_LIST_REPORT}", where: { fields: [{ field: "Department", eq: "ICT" }] }) { downloadUrl } }`,
        { authorization: admin },
      );
      expect(warm.json.errors).toBeUndefined();
    };

    it('costs no Profit call for downloadUrl alone', async () => {
      await warmReportGrant();
      log.clear();
      const reply = await graphql(service, `{ report(id: "${EMPLOYEE_LIST_REPORT}") { downloadUrl } }`, {
        authorization: admin,
      });
      expect(reply.json.data.report.downloadUrl).toMatch(/\/files\//);
      expect(log.calls()).toEqual([]);
    });

    it('refuses a where that would exceed Profit’s 2049-character query string, before any call', async () => {
      const values = Array.from({ length: 60 }, (_, i) => `Afdeling nummer ${i} met een lange naam`);
      await warmReportGrant();
      log.clear();
      const reply = await graphql(
        service,
        `query ($in: [String!]) { report(id: "${EMPLOYEE_LIST_REPORT}", where: { fields: [{ field: "Department", in: $in }] }) { downloadUrl } }`,
        { authorization: admin, variables: { in: values } },
      );
      expect(reply.json.errors[0].extensions.code).toBe('QUERY_TOO_LONG');
      expect(log.calls()).toEqual([]);
    });
  });

  describe('images', () => {
    it('serves a person’s photo in three sizes, each identical to the ImageConnector’s', async () => {
      const imageId = store.personImages().values().next().value as string;
      const personId = [...store.personImages()].find(([, id]) => id === imageId)![0];
      log.clear();
      const reply = await graphql(
        service,
        `{ person(personId: "${personId}") {
            imageId
            original: image(size: ORIGINAL) { downloadUrl }
            thumbnail: image(size: THUMBNAIL) { downloadUrl }
            medium: image { downloadUrl mimeType size }
        } }`,
        { authorization: admin },
      );
      expect(reply.json.errors).toBeUndefined();
      const person = reply.json.data.person;
      expect(person.imageId).toBe(imageId);
      // Only the medium image's mimeType/size needed its bytes.
      expect(log.fileCalls('ImageConnector').map((c) => c.query)).toEqual(['?format=2']);
      const expected = { original: [0, 1600, 1200], thumbnail: [1, 64, 48], medium: [2, 1000, 750] } as const;
      for (const [name, [format, width, height]] of Object.entries(expected)) {
        const download = await http(person[name].downloadUrl);
        expect(download.status).toBe(200);
        expect(download.headers['content-type']).toBe('image/png');
        expect(download.body.equals(store.image(imageId, format)!.data)).toBe(true);
        expect(pngSize(download.body)).toEqual({ width, height });
      }
      expect(person.medium).toMatchObject({ mimeType: 'image/png', size: store.image(imageId, 2)!.data.length });
    });

    it('answers null for a person without a photo, and the root image query for any image id', async () => {
      const withPhoto = new Set(store.personImages().keys());
      const without = store.data.persons.find((p) => !withPhoto.has(p.bcCo))!;
      const imageId = store.imageIds()[0]!;
      const reply = await graphql(
        service,
        `{ person(personId: "${without.bcCo}") { image { downloadUrl } } image(imageId: "${imageId}", size: THUMBNAIL) { contentBase64 } }`,
        { authorization: portal },
      );
      expect(reply.json.errors).toBeUndefined();
      expect(reply.json.data.person.image).toBeNull();
      const thumbnail = Buffer.from(reply.json.data.image.contentBase64, 'base64');
      expect(pngSize(thumbnail)).toEqual({ width: 64, height: 48 });
    });
  });

  describe('FileConnector files', () => {
    it('serves profitFile by id and name, by link and inline, identical to the stored file', async () => {
      const stored = store.file(PAYSLIP.fileId, 'C5C8123246F1E537324F93B8D57F382D.pdf')!;
      log.clear();
      const reply = await graphql(
        service,
        `{ profitFile(fileId: "${PAYSLIP.fileId}", fileName: "${stored.fileName}") { fileName downloadUrl } }`,
        { authorization: admin },
      );
      expect(reply.json.data.profitFile.fileName).toBe(stored.fileName);
      expect(log.calls()).toEqual([]);
      const download = await http(reply.json.data.profitFile.downloadUrl);
      expect(download.body.equals(stored.data)).toBe(true);
      expect(log.fileCalls('FileConnector')).toHaveLength(1);
      const inline = await graphql(
        service,
        `{ profitFile(fileId: "${PAYSLIP.fileId}", fileName: "${stored.fileName}") { mimeType size contentBase64 } }`,
        { authorization: admin },
      );
      expect(inline.json.data.profitFile).toEqual({
        mimeType: 'application/pdf',
        size: stored.data.length,
        contentBase64: stored.data.toString('base64'),
      });
      expect(log.fileCalls('FileConnector')).toHaveLength(2);
    });

    it('answers FILE_TOO_LARGE after one call when the size is not known beforehand', async () => {
      log.clear();
      const reply = await graphql(
        service,
        `{ profitFile(fileId: "${PAYSLIP.fileId}", fileName: "C5C8123246F1E537324F93B8D57F382D.pdf") { contentBase64(maxBytes: 1) } }`,
        { authorization: admin },
      );
      expect(reply.json.data).toEqual({ profitFile: { contentBase64: null } });
      expect(reply.json.errors[0].extensions).toMatchObject({ code: 'FILE_TOO_LARGE', maxBytes: 1 });
      expect(log.fileCalls('FileConnector')).toHaveLength(1);
    });
  });
});

describe('files in service mode behind a PUBLIC_URL', () => {
  let first: Service;
  let service: Service;
  beforeAll(async () => {
    // The demo company's tokens derive from its seed: learn the admin token from one service, serve it from another.
    first = await startTestService();
    const xml = Buffer.from(demoAuthorization(first, 'admin').split(' ')[1]!, 'base64').toString('utf8');
    await first.close();
    service = await startTestService({
      PROFIT_TOKEN: xml,
      PUBLIC_URL: 'https://gateway.example.com/profit/',
      FILE_TICKET_SECRET: KEY.toString('base64'),
    });
  });
  afterAll(() => service.close());

  it('links under PUBLIC_URL, with tickets that carry no credential, served with the service token', async () => {
    const reply = await graphql(
      service,
      `{ dossierItem(dossierItemId: ${PAYSLIP.subjectId}) { attachments { edges { node { downloadUrl } } } } }`,
    );
    expect(reply.json.errors).toBeUndefined();
    const url: string = reply.json.data.dossierItem.attachments.edges[0].node.downloadUrl;
    expect(url).toMatch(/^https:\/\/gateway\.example\.com\/profit\/files\/[A-Za-z0-9_-]+$/);
    const ticket = url.slice(url.lastIndexOf('/') + 1);
    const opened = openTicket(ticket, KEY);
    expect(opened.ok && opened.payload).toEqual({
      ref: {
        kind: 'subject',
        subjectId: String(PAYSLIP.subjectId),
        fileId: PAYSLIP.fileId,
        fileName: 'C5C8123246F1E537324F93B8D57F382D.pdf',
      },
      expiresAt: expect.any(Number),
    });
    const download = await http(`${service.url}/files/${ticket}`);
    expect(download.status).toBe(200);
    const stored = (service.emulator!.company.store as DemoStore).subjectFile(
      String(PAYSLIP.subjectId),
      PAYSLIP.fileId,
    )!;
    expect(download.body.equals(stored.data)).toBe(true);
  });
});

describe('a file larger than the inline cap', () => {
  let service: Service;
  let admin: string;
  let big: Buffer;
  let node: { fileId: string; fileName: string; downloadUrl: string };
  beforeAll(async () => {
    // Long enough for the emulator to build its 32 MB answer on a busy machine (a timeout there would retry).
    service = await startTestService({ PROFIT_TIMEOUT_MS: '5000' });
    admin = demoAuthorization(service, 'admin');
    // Larger than what loopback socket buffers absorb, so an unread download really stalls the service's writes.
    big = randomBytes(24 * 2 ** 20);
    const created = await service.connection.client(authorizationHeader(admin)).insert(
      'KnSubject',
      {
        fields: { StId: 4, Ds: 'Zeer groot bestand', Da: '2026-03-02T10:00:00' },
        objects: {
          KnSubjectLink: { fields: { ToBC: true, BcId: '1000744' } },
          KnSubjectAttachment: { fields: { FileName: 'zeer-groot.bin', FileStream: big.toString('base64') } },
        },
      },
      { timeoutMs: 60_000 },
    );
    const reply = await graphql(
      service,
      `{ dossierItem(dossierItemId: ${Number(created.results.KnSubject?.SbId)}) { attachments { edges { node { fileId fileName downloadUrl } } } } }`,
      { authorization: admin },
    );
    node = reply.json.data.dossierItem.attachments.edges[0].node;
  }, 60_000);
  afterAll(() => service?.close());

  it('gives its exact size and FILE_TOO_LARGE for contentBase64 from one call (bytes past the cap are counted, not kept)', async () => {
    service.emulator!.log.clear();
    const reply = await graphql(
      service,
      `{ profitFile(fileId: "${node.fileId}", fileName: "${node.fileName}") { mimeType size contentBase64 } }`,
      { authorization: admin },
    );
    expect(reply.json.data.profitFile).toEqual({
      mimeType: 'application/octet-stream',
      size: big.length,
      contentBase64: null,
    });
    expect(reply.json.errors).toMatchObject([
      {
        path: ['profitFile', 'contentBase64'],
        extensions: { code: 'FILE_TOO_LARGE', size: big.length, maxBytes: 5_242_880 },
      },
    ]);
    expect(service.emulator!.log.entries().filter((e) => /FileConnector/i.test(e.path))).toHaveLength(1);
  }, 60_000);

  it('lets a downloader go after PROFIT_TIMEOUT_MS without progress, which ends the Profit call and frees its slot', async () => {
    service.emulator!.log.clear();
    const res = await request(node.downloadUrl);
    expect(res.statusCode).toBe(200);
    const body = res.body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    expect((await body.next()).value.length).toBeGreaterThan(0);
    // Reading stops here. The service gives up on this downloader and ends its call to Profit.
    await vi.waitFor(() => expect(service.connection.load).toEqual({ active: 0, queued: 0 }), {
      timeout: 30_000,
      interval: 100,
    });
    // One call, not retried. (Whether Profit had handed its whole answer to the kernel by then depends on the
    // socket buffers; the service had not read it: its call stayed open until it let the downloader go.)
    expect(service.emulator!.log.entries().filter((e) => /SubjectConnector/i.test(e.path))).toHaveLength(1);
    await expect(
      (async () => {
        for (let next = await body.next(); !next.done; next = await body.next());
      })(),
    ).rejects.toThrow();
  }, 90_000);
});
