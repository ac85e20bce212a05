/**
 * The headers of the download route, exactly: a file opened in a browser tab runs no script on the service's origin
 * (`Content-Security-Policy: default-src 'none'; sandbox`), its link (which carries a ticket) is never sent on as a
 * Referer (`Referrer-Policy: no-referrer`), its type is not sniffed and it is not stored. Every kind of file the
 * route serves (attachment, report, image, FileConnector file), for GET and HEAD alike.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoStore } from '../../src/emulator/company/index.js';
import { EMPLOYEE_LIST_REPORT } from '../../src/emulator/company/reports.js';
import type { Service } from '../../src/server/index.js';
import { demoAuthorization, graphql, http, startTestService } from './helpers.js';

/** AFAS's documented payslip (howto-bijlage-dossier.md): dossier item 49946, attachment 20175. */
const PAYSLIP = { subjectId: 49946, fileId: '5C055C034516ED67972E0A852E03C5B9' };
const PAYSLIP_FILE_NAME = 'C5C8123246F1E537324F93B8D57F382D.pdf';

const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; sandbox",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'cache-control': 'private, no-store',
};

let service: Service;
let admin: string;
let store: DemoStore;
beforeAll(async () => {
  service = await startTestService({ FILE_TICKET_SECRET: 'b2'.repeat(32) });
  admin = demoAuthorization(service, 'admin');
  store = service.emulator!.company.store as DemoStore;
});
afterAll(() => service?.close());

/** The download links of one file of each kind, read through the GraphQL API as admin. */
async function downloadUrls(): Promise<Record<'attachment' | 'report' | 'image' | 'file', string>> {
  const imageId = store.imageIds()[0]!;
  const reply = await graphql(
    service,
    `{
      dossierItem(dossierItemId: "${PAYSLIP.subjectId}") { attachments { edges { node { downloadUrl } } } }
      report(id: "${EMPLOYEE_LIST_REPORT}") { downloadUrl }
      image(imageId: "${imageId}", size: THUMBNAIL) { downloadUrl }
      profitFile(fileId: "${PAYSLIP.fileId}", fileName: "${PAYSLIP_FILE_NAME}") { downloadUrl }
    }`,
    { authorization: admin },
  );
  expect(reply.json.errors).toBeUndefined();
  const data = reply.json.data;
  return {
    attachment: data.dossierItem.attachments.edges[0].node.downloadUrl,
    report: data.report.downloadUrl,
    image: data.image.downloadUrl,
    file: data.profitFile.downloadUrl,
  };
}

describe('the download route’s headers', () => {
  it.each(['GET', 'HEAD'])('sends the exact security headers with every kind of file (%s)', async (method) => {
    const urls = await downloadUrls();
    for (const [kind, url] of Object.entries(urls)) {
      const reply = await http(url, { method });
      expect(reply.status, kind).toBe(200);
      expect(reply.headers, kind).toMatchObject(SECURITY_HEADERS);
    }
  });

  it.each([
    ['a list of types', 'text/html, image/svg+xml'],
    ['a bare word', 'html'],
    ['a parameter without a value', 'text/html; charset'],
  ])('sends a file whose type Profit gives as %s as application/octet-stream', async (_, mimeType) => {
    const stored = store.subjectFile(String(PAYSLIP.subjectId), PAYSLIP.fileId) as { mimeType: string };
    const original = stored.mimeType;
    stored.mimeType = mimeType;
    try {
      const reply = await http((await downloadUrls()).attachment);
      expect(reply.status).toBe(200);
      expect(reply.headers['content-type']).toBe('application/octet-stream');
      expect(reply.headers).toMatchObject(SECURITY_HEADERS);
    } finally {
      stored.mimeType = original;
    }
  });
});
