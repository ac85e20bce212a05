/**
 * PROFIT_TRANSPORT=soap end to end: the service on the embedded emulator answers a GraphQL query and a mutation with
 * the same data as over REST, downloads a dossier item attachment through `/files/…` with the bytes REST gives, and
 * the emulator's log shows the calls went over SOAP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealTicket } from '../../src/server/files-ticket.js';
import type { Service } from '../../src/server/index.js';
import { demoAuthorization, graphql, http, type Reply, startTestService } from './helpers.js';

let rest: Service;
let soap: Service;
const KEY_HEX = 'b2'.repeat(32);

beforeAll(async () => {
  [rest, soap] = await Promise.all([
    startTestService({ FILE_TICKET_SECRET: KEY_HEX }),
    startTestService({ PROFIT_TRANSPORT: 'soap', FILE_TICKET_SECRET: KEY_HEX }),
  ]);
});
afterAll(async () => {
  await Promise.all([rest?.close(), soap?.close()]);
});

const QUERY = `{ projects(first: 5, where: { description: { contains: "e" } }, orderBy: [{ field: projectId, direction: DESC }]) { edges { node { projectId description unitId completed organisationId dateStart dateReady modifiedAt organisation { name } } } } }`;
const CREATE = `mutation ($input: CreateProjectInput!) { createProject(input: $input) { projectId description projectGroup } }`;

describe('PROFIT_TRANSPORT=soap', () => {
  it('answers a query with the data REST gives, read through GetDataWithOptions', async () => {
    const [viaRest, viaSoap] = await Promise.all([
      graphql(rest, QUERY, { authorization: demoAuthorization(rest) }),
      graphql(soap, QUERY, { authorization: demoAuthorization(soap) }),
    ]);
    expect(viaRest.json.errors).toBeUndefined();
    expect(viaRest.json.data.projects.edges).toHaveLength(5);
    expect(viaSoap.json).toEqual(viaRest.json);
    const ops = soap.emulator?.log.entries().map((e) => e.soapOperation ?? `${e.method} ${e.path}`);
    expect(ops).toContain('AppConnectorGet.GetDataWithOptions');
    expect(ops?.filter((o) => /\/connectors\//.test(o))).toEqual([]);
  });

  it('runs a mutation through Execute with the result REST gives', async () => {
    const input = { projectId: 'SOAP-1', description: 'Over SOAP', projectGroup: 'CON' };
    const [viaRest, viaSoap] = await Promise.all([
      graphql(rest, CREATE, { authorization: demoAuthorization(rest), variables: { input } }),
      graphql(soap, CREATE, { authorization: demoAuthorization(soap), variables: { input } }),
    ]);
    expect(viaRest.json.errors).toBeUndefined();
    expect(viaSoap.json).toEqual(viaRest.json);
    expect(soap.emulator?.log.entries().filter((e) => e.soapOperation === 'AppConnectorUpdate.Execute')).toHaveLength(
      1,
    );
  });
});

/** AFAS's documented payslip (howto-bijlage-dossier.md), a PDF in the demo company. */
const PAYSLIP = { subjectId: '49946', fileId: '5C055C034516ED67972E0A852E03C5B9' };
const ATTACHMENTS = `query ($id: ID!) { dossierItem(dossierItemId: $id) { attachments { edges { node { fileName downloadUrl contentBase64 } } } } }`;

describe('attachments with PROFIT_TRANSPORT=soap', () => {
  async function payslip(service: Service) {
    const reply = await graphql(service, ATTACHMENTS, {
      authorization: demoAuthorization(service),
      variables: { id: PAYSLIP.subjectId },
    });
    expect(reply.json.errors).toBeUndefined();
    return reply.json.data.dossierItem.attachments.edges[0].node as {
      fileName: string;
      downloadUrl: string;
      contentBase64: string;
    };
  }
  /** A download ticket for `fileId` of the payslip's dossier item, as the service's own links carry. */
  function download(service: Service, fileId: string, user: 'admin' | 'portal' = 'admin'): Promise<Reply> {
    const ticket = sealTicket(
      {
        ref: { kind: 'subject', subjectId: PAYSLIP.subjectId, fileId },
        authorization: demoAuthorization(service, user),
        expiresAt: Date.now() + 60_000,
      },
      Buffer.from(KEY_HEX, 'hex'),
    );
    return http(`${service.url}/files/${ticket}`);
  }
  const subjectCalls = (service: Service) =>
    service.emulator?.log
      .entries()
      .map((e) => e.soapOperation ?? `${e.method} ${e.path}`)
      .filter((c) => /subject/i.test(c) && !/Profit_Subject/i.test(c));

  it('downloads the bytes and name REST gives, through one GetAttachment and no REST SubjectConnector call', async () => {
    const [viaRest, viaSoap] = await Promise.all([payslip(rest), payslip(soap)]);
    expect(viaSoap.contentBase64).toBe(viaRest.contentBase64);
    soap.emulator?.log.clear();
    const [fromRest, fromSoap] = await Promise.all([http(viaRest.downloadUrl), http(viaSoap.downloadUrl)]);
    expect(fromRest.status).toBe(200);
    expect(fromSoap.status).toBe(200);
    expect(fromSoap.body.equals(fromRest.body)).toBe(true);
    expect(fromSoap.headers['content-disposition']).toBe(fromRest.headers['content-disposition']);
    expect(fromSoap.headers['content-length']).toBe(fromRest.headers['content-length']);
    // GetAttachment answers the base64 only: no MIME type to pass on (unconfirmed that Profit's has none).
    expect(fromRest.headers['content-type']).toBe('application/pdf');
    expect(fromSoap.headers['content-type']).toBe('application/octet-stream');
    expect(subjectCalls(soap)).toEqual(['AppConnectorSubject.GetAttachment']);
  });

  it('answers a missing attachment with the HTTP answer REST gives (404 NOT_FOUND)', async () => {
    const missing = '0'.repeat(32);
    soap.emulator?.log.clear();
    const [fromRest, fromSoap] = await Promise.all([download(rest, missing), download(soap, missing)]);
    expect(fromRest.status).toBe(404);
    expect([fromSoap.status, fromSoap.json]).toEqual([fromRest.status, fromRest.json]);
    expect(subjectCalls(soap)).toEqual(['AppConnectorSubject.GetAttachment']);
  });

  it('answers a credential without the SubjectConnector with the HTTP answer REST gives (403 FORBIDDEN)', async () => {
    soap.emulator?.log.clear();
    const [fromRest, fromSoap] = await Promise.all([
      download(rest, PAYSLIP.fileId, 'portal'),
      download(soap, PAYSLIP.fileId, 'portal'),
    ]);
    expect(fromRest.status).toBe(403);
    expect([fromSoap.status, fromSoap.json]).toEqual([fromRest.status, fromRest.json]);
    expect(subjectCalls(soap)).toEqual(['AppConnectorSubject.GetAttachment']);
  });
});
