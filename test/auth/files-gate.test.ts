/**
 * No side doors: every path to a file connector (Subject, File, Image, Report) passes the same gate as data, over
 * HTTP through the running service. A JWT's scopes narrow the file connectors too (`profit:file:<kind>`,
 * `profit:report:<id>`), a report is bound to its source GetConnector and its `where` is checked against that
 * connector's field grant, a download link is minted only for a caller allowed the content, file content counts
 * against the limits, a bare 401/403 from a file connector stays on its field, and only the mutation's own
 * UpdateConnector opens the large-upload allowance.
 */
import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMPLOYEE_LIST_REPORT, ORGANISATION_LIST_REPORT } from '../../src/emulator/company/reports.js';
import { credentials, type Emulator, type LogEntry, startEmulator } from '../../src/emulator/index.js';
import { authorizationHeader } from '../../src/profit/index.js';
import type { Service } from '../../src/server/index.js';
import { adminOAuthSettings, demoAuthorization, graphql, http, startTestService } from '../server/helpers.js';

/** AFAS's documented payslip (howto-bijlage-dossier.md): dossier item 49946 and its attachment's file. */
const PAYSLIP = { subjectId: 49946, fileId: '5C055C034516ED67972E0A852E03C5B9' };
const PAYSLIP_NAME = 'C5C8123246F1E537324F93B8D57F382D.pdf';
/** A report id the model does not declare; the deployment below declares it with PROFIT_REPORTS. */
const DEPLOYMENT_REPORT = 'D00D0000000000000000000000000001';
const SECRET = 'a-shared-secret-for-the-router-of-at-least-32-bytes';
const MiB = 2 ** 20;

const CREATE_DOSSIER_ITEM = `mutation ($input: CreateDossierItemInput!) {
  createDossierItem(input: $input) { dossierItemId }
}`;
const dossierItemWith = (data: Buffer) => ({
  typeId: 4,
  subject: 'Scan van het contract',
  links: [{ toOrganisationOrPerson: true, organisationOrPersonId: '1000744' }],
  attachments: [{ fileName: 'contract.pdf', data: data.toString('base64') }],
});

const fileCalls = (entries: readonly LogEntry[]) =>
  entries
    .map((e) => e.path.replace(/^\/ProfitRestServices/i, ''))
    .filter((p) => /^\/(subject|file|image|report)connector\//i.test(p));
const dataCalls = (entries: readonly LogEntry[]) =>
  entries.map((e) => e.path.replace(/^\/ProfitRestServices/i, '')).filter((p) => p.startsWith('/connectors/'));

describe('as a caller with its own credential (pass-through)', () => {
  let service: Service;
  let admin: string;
  let hr: string;
  let portal: string;
  let imageId: string;

  beforeAll(async () => {
    service = await startTestService({
      PROFIT_REPORTS: `${DEPLOYMENT_REPORT}=Profit_Organisations`,
      MAX_UPLOAD_BYTES: String(8 * MiB),
    });
    admin = demoAuthorization(service, 'admin');
    hr = demoAuthorization(service, 'hr');
    portal = demoAuthorization(service, 'portal');
    const persons = await graphql(service, '{ persons(first: 50) { edges { node { imageId } } } }', {
      authorization: admin,
    });
    imageId = persons.json.data.persons.edges
      .map((e: { node: { imageId: string | null } }) => e.node.imageId)
      .find((id: string | null) => id !== null);
  });
  afterAll(() => service?.close());

  const log = () => service.emulator!.log;

  describe('reports', () => {
    it('refuses a report id neither the model nor the deployment declares, before any Profit call', async () => {
      log().clear();
      const reply = await graphql(service, `{ report(id: "${'0'.repeat(32)}") { mimeType } }`, {
        authorization: admin,
      });
      expect(reply.json.data).toEqual({ report: null });
      expect(reply.json.errors[0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        argument: 'id',
        reason: 'unknown-report',
      });
      expect(fileCalls(log().entries())).toEqual([]);
    });

    it('serves a report the deployment declares with PROFIT_REPORTS (Profit then decides: here it has no such report)', async () => {
      log().clear();
      const reply = await graphql(service, `{ report(id: "${DEPLOYMENT_REPORT}") { mimeType } }`, {
        authorization: admin,
      });
      expect(reply.json.errors[0].extensions.code).toBe('PROFIT_REJECTED');
      expect(fileCalls(log().entries())).toEqual([`/ReportConnector/${DEPLOYMENT_REPORT}`]);
    });

    it('refuses a where on a field the caller’s grant withholds (hr: Salary) as FORBIDDEN, before any report call', async () => {
      log().clear();
      const reply = await graphql(
        service,
        `{ report(id: "${EMPLOYEE_LIST_REPORT}", where: { fields: [{ field: "Salary", gt: "5000" }] }) { mimeType } }`,
        { authorization: hr },
      );
      expect(reply.json.data).toEqual({ report: null });
      expect(reply.json.errors).toHaveLength(1);
      expect(reply.json.errors[0].extensions).toMatchObject({
        code: 'FORBIDDEN',
        reason: 'field-not-granted',
        connector: 'Profit_Employees',
        field: 'Salary',
      });
      expect(fileCalls(log().entries())).toEqual([]);
    });

    it('is refused the same filter by the emulator’s ReportConnector itself, called directly', async () => {
      const direct = service.connection.client(authorizationHeader(hr));
      const filter = [[{ field: 'Salary', op: 'gt' as const, value: '5000' }]];
      await expect(direct.report(EMPLOYEE_LIST_REPORT, { filter })).rejects.toMatchObject({
        kind: 'rejected',
        // In the language the connection asks for (nl-nl by default): the field is named either way.
        externalMessage: expect.stringContaining("'Salary'"),
      });
      const granted = await direct.report(EMPLOYEE_LIST_REPORT, {
        filter: [[{ field: 'Department', op: 'eq', value: 'ICT' }]],
      });
      expect(granted.mimeType).toBe('application/pdf');
    });

    it('refuses a field the source does not give the caller as BAD_USER_INPUT, before any report call', async () => {
      log().clear();
      const reply = await graphql(
        service,
        `{ report(id: "${EMPLOYEE_LIST_REPORT}", where: { fields: [{ field: "NoSuchField", eq: "x" }] }) { mimeType } }`,
        { authorization: hr },
      );
      expect(reply.json.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'unknown-field' });
      expect(fileCalls(log().entries())).toEqual([]);
    });

    it('refuses a report whose source GetConnector the caller is not granted (portal: Profit_Employees), before any call', async () => {
      log().clear();
      const reply = await graphql(service, `{ report(id: "${EMPLOYEE_LIST_REPORT}") { downloadUrl } }`, {
        authorization: portal,
      });
      expect(reply.json.data).toEqual({ report: null });
      expect(reply.json.errors[0].extensions).toMatchObject({
        code: 'FORBIDDEN',
        reason: 'not-granted',
        connector: 'Profit_Employees',
      });
      expect(fileCalls(log().entries())).toEqual([]);
    });

    it('types the where by the source’s fields: a date that is no date is BAD_USER_INPUT, before any report call', async () => {
      log().clear();
      const reply = await graphql(
        service,
        `{ report(id: "${EMPLOYEE_LIST_REPORT}", where: { fields: [{ field: "DateInService", gt: "tomorrow" }] }) { mimeType } }`,
        { authorization: admin },
      );
      expect(reply.json.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'invalid-value' });
      expect(reply.json.errors[0].message).toMatch(/must be a day YYYY-MM-DD, got 'tomorrow'/);
      expect(fileCalls(log().entries())).toEqual([]);
    });

    it('still renders a report with a where on granted fields, with one ReportConnector call', async () => {
      log().clear();
      const reply = await graphql(
        service,
        `{ report(id: "${EMPLOYEE_LIST_REPORT}", where: { fields: [{ field: "Department", eq: "ICT" }, { field: "DateInService", gte: "2000-01-01" }] }) { mimeType } }`,
        { authorization: hr },
      );
      expect(reply.json.errors).toBeUndefined();
      expect(reply.json.data.report.mimeType).toBe('application/pdf');
      expect(fileCalls(log().entries())).toEqual([`/ReportConnector/${EMPLOYEE_LIST_REPORT}`]);
    });
  });

  describe('a bare 401 or 403 from a file connector', () => {
    it('nulls the report with FORBIDDEN (401: no access to this endpoint) and keeps the rest of the answer', async () => {
      // The refusal is remembered with this credential's grant: a credential of its own (the admin user's OAuth
      // token), so that the other tests' admin keeps the report whatever the order.
      const app = credentials(service.emulator!.company).find((a) => a.appConnector === 'admin')!;
      const { clientId, clientSecret } = app.oauthClients[0]!;
      const token = await http(`${service.emulator!.baseUrl}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: clientId,
          client_secret: clientSecret,
        }).toString(),
      });
      const ownAdmin = `Bearer ${token.json.access_token}`;
      service.emulator!.faults.once({ kind: '401', path: 'ReportConnector' });
      const reply = await graphql(
        service,
        `{ report(id: "${EMPLOYEE_LIST_REPORT}") { mimeType } organisations(first: 2) { edges { cursor } } }`,
        { authorization: ownAdmin },
      );
      expect(reply.status).toBe(200);
      expect(reply.json.data.report).toBeNull();
      expect(reply.json.data.organisations.edges).toHaveLength(2);
      expect(reply.json.errors.map((e: { extensions: unknown }) => e.extensions)).toEqual([
        expect.objectContaining({ code: 'FORBIDDEN', reason: 'not-granted', connector: 'ReportConnector' }),
      ]);
    });

    it('nulls a person’s photo with FORBIDDEN (403) and keeps the person, without dropping the cached grant', async () => {
      const query = `query ($id: String!) { persons(first: 1, where: { imageId: { eq: $id } }) { edges { node { personId image { size } } } } }`;
      await graphql(service, query, { authorization: admin, variables: { id: imageId } });
      // The next query's grant too, so that any metainfo call below could only be the grant dropped and re-read.
      await graphql(service, '{ organisations(first: 1) { edges { cursor } } }', { authorization: admin });
      service.emulator!.faults.once({ kind: '403', path: 'ImageConnector' });
      log().clear();
      const reply = await graphql(service, query, { authorization: admin, variables: { id: imageId } });
      expect(reply.status).toBe(200);
      const [edge] = reply.json.data.persons.edges;
      expect(edge.node.personId).toBeTruthy();
      expect(edge.node.image).toBeNull();
      expect(reply.json.errors[0].extensions).toMatchObject({
        code: 'FORBIDDEN',
        reason: 'ip-restriction',
        connector: 'ImageConnector',
      });
      const next = await graphql(service, '{ organisations(first: 1) { edges { cursor } } }', { authorization: admin });
      expect(next.json.errors).toBeUndefined();
      expect(
        log()
          .entries()
          .filter((e) => /metainfo/i.test(e.path)),
      ).toEqual([]);
    });
  });

  describe('a file connector Profit refuses a credential', () => {
    it('is remembered: the next request gets FORBIDDEN and no link, without a call (portal, FileConnector)', async () => {
      const query = `{ profitFile(fileId: "${PAYSLIP.fileId}", fileName: "${PAYSLIP_NAME}") { contentBase64 } }`;
      log().clear();
      const first = await graphql(service, query, { authorization: portal });
      expect(first.json.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'not-granted' });
      expect(fileCalls(log().entries())).toHaveLength(1);
      log().clear();
      const next = await graphql(
        service,
        `{ profitFile(fileId: "${PAYSLIP.fileId}", fileName: "${PAYSLIP_NAME}") { downloadUrl } organisations(first: 1) { edges { cursor } } }`,
        { authorization: portal },
      );
      expect(next.json.data.profitFile).toBeNull();
      expect(next.json.data.organisations.edges).toHaveLength(1);
      expect(next.json.errors[0].extensions).toMatchObject({
        code: 'FORBIDDEN',
        reason: 'not-granted',
        connector: 'file',
        scope: 'profit:file:file',
      });
      expect(fileCalls(log().entries())).toEqual([]);
      const me = await graphql(service, '{ me { scopes } }', { authorization: portal });
      expect(me.json.data.me.scopes).not.toContain('profit:file:file');
    });
  });

  describe('cost', () => {
    it('refuses a query that would fetch hundreds of photos, before any Profit call', async () => {
      log().clear();
      const reply = await graphql(service, '{ persons(first: 300) { edges { node { image { size mimeType } } } } }', {
        authorization: admin,
      });
      expect(reply.status).toBe(400);
      expect(reply.json.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 100, actual: 300 });
      expect(reply.json.errors[0].message).toMatch(/MAX_QUERY_FILES/);
      expect([...dataCalls(log().entries()), ...fileCalls(log().entries())]).toEqual([]);
    });

    it('counts a file once however many of its content fields are selected: 100 photos pass', async () => {
      log().clear();
      const reply = await graphql(
        service,
        '{ persons(first: 100) { edges { node { personId image(size: THUMBNAIL) { size mimeType contentBase64 } } } } }',
        { authorization: admin },
      );
      expect(reply.status).toBe(200);
      expect(reply.json.errors).toBeUndefined();
      const withImage = reply.json.data.persons.edges.filter((e: { node: { image: unknown } }) => e.node.image).length;
      expect(fileCalls(log().entries())).toHaveLength(withImage);
    });
  });

  describe('the large-upload allowance', () => {
    const postsOf = (connector: string) =>
      log()
        .entries()
        .filter((e) => e.method === 'POST' && e.path.includes(`/connectors/${connector}`));

    it('refuses a large mutation whose own UpdateConnector the caller lacks (hr and KnPerson), though it has others: 413', async () => {
      log().clear();
      const reply = await graphql(
        service,
        'mutation ($input: CreatePersonInput!) { createPerson(input: $input) { personId } }',
        { authorization: hr, variables: { input: { lastName: 'Groot' }, padding: 'x'.repeat(2 * MiB) } },
      );
      expect(reply.status).toBe(413);
      expect(reply.json.errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
      expect(postsOf('KnPerson')).toEqual([]);
    });

    it('takes the same size from hr for a mutation its grant allows (createDossierItem, KnSubject)', async () => {
      log().clear();
      const reply = await graphql(service, CREATE_DOSSIER_ITEM, {
        authorization: hr,
        variables: { input: dossierItemWith(randomBytes(2 * MiB)) },
      });
      expect(reply.status).toBe(200);
      expect(reply.json.errors).toBeUndefined();
      expect(postsOf('KnSubject')).toHaveLength(1);
    });
  });

  it('lists in me { scopes } the file connectors and the reports whose source the caller is granted', async () => {
    const scopesOf = async (authorization: string) =>
      (await graphql(service, '{ me { scopes } }', { authorization })).json.data.me.scopes as string[];
    const files = (scopes: string[]) => scopes.filter((s) => /^profit:(file|report):/.test(s)).sort();
    expect(files(await scopesOf(hr))).toEqual(
      [
        'profit:file:file',
        'profit:file:image',
        'profit:file:subject',
        `profit:report:${DEPLOYMENT_REPORT}`,
        `profit:report:${EMPLOYEE_LIST_REPORT}`,
        `profit:report:${ORGANISATION_LIST_REPORT}`,
      ].sort(),
    );
    expect(files(await scopesOf(portal))).not.toContain(`profit:report:${EMPLOYEE_LIST_REPORT}`);
    expect(files(await scopesOf(portal))).toContain(`profit:report:${ORGANISATION_LIST_REPORT}`);
  });

  it('lists report as allowed in me { operations } when any declared report’s grant holds (Profit decides the connector)', async () => {
    const operations = async (authorization: string) =>
      (await graphql(service, '{ me { operations { name allowed requires } } }', { authorization })).json.data.me
        .operations as { name: string; allowed: boolean; requires: string[] }[];
    const report = (await operations(portal)).find((o) => o.name === 'report');
    expect(report?.allowed).toBe(true);
    expect(report?.requires).not.toContain('profit:get:Profit_Employees');
    expect(report?.requires).toContain('profit:get:Profit_Organisations');
  });

  it('tells a router the scopes of every path to a file connector', async () => {
    const reply = await graphql(service, '{ _service { sdl } }');
    const sdl: string = reply.json.data._service.sdl;
    const line = (start: RegExp) => sdl.split('\n').find((l) => start.test(l)) ?? '';
    expect(line(/^\s*profitFile\(/)).toContain('@requiresScopes(scopes: [["profit:file:file"]])');
    expect(line(/^\s*image\(imageId/)).toContain('@requiresScopes(scopes: [["profit:file:image"]])');
    expect(line(/^\s*\): ProfitFile @requiresScopes/)).toContain(
      `["profit:report:${EMPLOYEE_LIST_REPORT}", "profit:get:Profit_Employees"]`,
    );
    expect(line(/^\s*\): ProfitFile @requiresScopes/)).toContain(
      `["profit:report:${DEPLOYMENT_REPORT}", "profit:get:Profit_Organisations"]`,
    );
    expect(sdl).toMatch(/downloadUrl: String @requiresScopes\(scopes: \[\[[^\]]*"profit:file:subject"/);
    expect(sdl).toMatch(
      /image\(size: ImageSize! = MEDIUM\): ProfitFile @requiresScopes\(scopes: \[\[[^\]]*"profit:file:image"/,
    );
  });
});

describe('as a router’s caller with a JWT (service mode)', () => {
  let emulator: Emulator;
  let service: Service;

  beforeAll(async () => {
    emulator = await startEmulator({});
    service = await startTestService({
      ...adminOAuthSettings(emulator),
      JWT_SECRET: SECRET,
      MAX_UPLOAD_BYTES: String(8 * MiB),
      // As the pass-through service above: the schema is built once per process, by whichever service starts first.
      PROFIT_REPORTS: `${DEPLOYMENT_REPORT}=Profit_Organisations`,
    });
  });
  afterAll(async () => {
    await service?.close();
    await emulator?.close();
  });

  const bearer = async (scope: string) =>
    `Bearer ${await new SignJWT({ scope })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('user-1')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(SECRET))}`;

  const FILES = `query ($imageId: ID!) {
    image(imageId: $imageId) { downloadUrl }
    profitFile(fileId: "${PAYSLIP.fileId}", fileName: "${PAYSLIP_NAME}") { contentBase64 }
    report(id: "${EMPLOYEE_LIST_REPORT}") { downloadUrl }
    dossierItem(dossierItemId: ${PAYSLIP.subjectId}) {
      subject
      attachments { edges { node { fileName downloadUrl contentBase64 } } }
    }
  }`;

  async function anImageId(authorization: string): Promise<string> {
    const reply = await graphql(service, '{ persons(first: 50) { edges { node { imageId } } } }', { authorization });
    return reply.json.data.persons.edges
      .map((e: { node: { imageId: string | null } }) => e.node.imageId)
      .find((id: string | null) => id !== null);
  }

  it('refuses every file connector to a token without their scopes: no link minted, no file call, the data kept', async () => {
    const authorization = await bearer('profit:get:*');
    const imageId = await anImageId(authorization);
    emulator.log.clear();
    const reply = await graphql(service, FILES, { authorization, variables: { imageId } });
    expect(reply.status).toBe(200);
    const { data, errors } = reply.json;
    expect(data.image).toBeNull();
    expect(data.profitFile).toBeNull();
    expect(data.report).toBeNull();
    expect(data.dossierItem.subject).toBeTruthy();
    const [attachment] = data.dossierItem.attachments.edges.map((e: { node: unknown }) => e.node);
    expect(attachment).toEqual({ fileName: PAYSLIP_NAME, downloadUrl: null, contentBase64: null });
    const scopes = errors.map((e: { extensions: { code: string; reason: string; scope: string } }) => {
      expect(e.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'scope-missing' });
      return e.extensions.scope;
    });
    expect([...new Set(scopes)].sort()).toEqual([
      'profit:file:file',
      'profit:file:image',
      'profit:file:subject',
      `profit:report:${EMPLOYEE_LIST_REPORT}`,
    ]);
    expect(fileCalls(emulator.log.entries())).toEqual([]);
  });

  it('serves them, links that open included, to a token carrying the file and report scopes', async () => {
    const authorization = await bearer(
      `profit:get:* profit:file:image profit:file:file profit:file:subject profit:report:${EMPLOYEE_LIST_REPORT}`,
    );
    const imageId = await anImageId(authorization);
    const reply = await graphql(service, FILES, { authorization, variables: { imageId } });
    expect(reply.json.errors).toBeUndefined();
    const { data } = reply.json;
    expect(typeof data.profitFile.contentBase64).toBe('string');
    for (const url of [data.image.downloadUrl, data.report.downloadUrl]) expect((await http(url)).status).toBe(200);
    const [attachment] = data.dossierItem.attachments.edges.map((e: { node: { downloadUrl: string } }) => e.node);
    expect((await http(attachment.downloadUrl)).status).toBe(200);
  });

  it('opens the large-upload allowance only to a token carrying the mutation’s own UpdateConnector scope', async () => {
    const post = async (scope: string) =>
      graphql(service, CREATE_DOSSIER_ITEM, {
        authorization: await bearer(scope),
        variables: { input: dossierItemWith(randomBytes(2 * MiB)) },
      });
    emulator.log.clear();
    const readOnly = await post('profit:get:* profit:update:HrAbsenceID');
    expect(readOnly.status).toBe(413);
    expect(readOnly.json.errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    // No UpdateConnector call (the service's own OAuth token may be fetched first: it is no write).
    expect(emulator.log.entries().filter((e) => e.method === 'POST' && !e.path.endsWith('/oauth/token'))).toEqual([]);
    const writer = await post('profit:get:* profit:update:KnSubject');
    expect(writer.status).toBe(200);
    expect(writer.json.errors).toBeUndefined();
  });
});
