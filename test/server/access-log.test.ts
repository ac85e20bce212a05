/**
 * The access log and the Profit failure lines, read from the service's own JSON lines while it serves requests
 * over HTTP on the embedded emulator.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { authorizationHeader } from '../../src/profit/index.js';
import { EXAMPLE_QUERY } from '../../src/server/example.js';
import { demoAuthorization, graphql, http } from './helpers.js';
import { callsByConnector, type LoggedService, profitRequests, startLoggedService } from './observability-support.js';

const EMPLOYEES = 'query Staff { employees(first: 2) { edges { node { employeeId } } } }';

describe('the access log', () => {
  let logged: LoggedService;
  let admin: string;
  beforeAll(async () => {
    logged = await startLoggedService();
    admin = demoAuthorization(logged.service);
  });
  afterAll(() => logged.service.close());
  beforeEach(() => {
    logged.lines.length = 0;
    logged.service.emulator!.log.clear();
  });

  it('writes one line per GraphQL request with its operation, status, duration and caller fingerprint', async () => {
    const reply = await graphql(logged.service, EMPLOYEES, { authorization: admin });
    expect(reply.status).toBe(200);
    const [line] = await logged.accessLines(1);
    expect(line).toMatchObject({
      level: 'info',
      method: 'POST',
      route: '/graphql',
      operationName: 'Staff',
      operationType: 'query',
      status: 200,
      caller: authorizationHeader(admin).fingerprint,
    });
    expect(line!.durationMs).toBeGreaterThanOrEqual(0);
    expect(line!.errorCodes).toBeUndefined();
    expect(JSON.stringify(logged.lines)).not.toContain(admin.split(' ')[1]!);
  });

  it('counts the Profit calls of a request per connector, DataLoader batches included, as the emulator saw them', async () => {
    // The example query reads each employee's person and employer through batched loaders.
    const reply = await graphql(logged.service, EXAMPLE_QUERY, { authorization: admin });
    expect(reply.json.errors).toBeUndefined();
    const [line] = await logged.accessLines(1);
    const seen = profitRequests(logged.service);
    expect(line!.profit.byConnector).toEqual(callsByConnector(seen));
    expect(line!.profit.calls).toBe(seen.length);
    expect(Object.keys(line!.profit.byConnector).length).toBeGreaterThanOrEqual(3);
    expect(line!.profit.ms).toBeGreaterThan(0);
  });

  it('attributes each request its own calls when requests run at the same time', async () => {
    await Promise.all([
      graphql(logged.service, EMPLOYEES, { authorization: admin }),
      graphql(logged.service, EXAMPLE_QUERY, { authorization: admin }),
      graphql(logged.service, '{ __typename }', { authorization: admin }),
    ]);
    const lines = await logged.accessLines(3);
    const total = lines.reduce((sum, l) => sum + l.profit.calls, 0);
    expect(total).toBe(profitRequests(logged.service).length);
    // Each line holds only its own request's connector calls; a relation is one batched call for the page.
    expect(lines.find((l) => l.operationName === 'Staff')!.profit.byConnector).toMatchObject({ Profit_Employees: 1 });
    expect(lines.find((l) => l.operationName === 'Staff')!.profit.byConnector.Profit_Persons).toBeUndefined();
    expect(lines.find((l) => l.operationName === 'ActiveEmployees')!.profit.byConnector).toMatchObject({
      Profit_Employees: 1,
      Profit_Persons: 1,
      Profit_Organisations: 1,
    });
    expect(lines.find((l) => l.operationName === undefined)!.profit.calls).toBe(0);
  });

  it('lists the error codes a request was answered with', async () => {
    await graphql(logged.service, '{ employees(first: 2) { edges { node { nope } } } }', { authorization: admin });
    await graphql(logged.service, EMPLOYEES);
    const [invalid, unauthenticated] = await logged.accessLines(2);
    expect(invalid!.errorCodes).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(unauthenticated!.errorCodes).toEqual(['UNAUTHENTICATED']);
    expect(unauthenticated!.caller).toBeUndefined();
  });

  it('lists the code of an error the HTTP layer answers, before GraphQL runs', async () => {
    const reply = await http(logged.service.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: admin },
      body: '{not json',
    });
    expect(reply.status).toBe(400);
    const [line] = await logged.accessLines(1);
    expect(line).toMatchObject({ status: 400, errorCodes: [reply.json.errors[0].extensions.code] });
  });

  it('writes no access line for health checks', async () => {
    await http(`${logged.service.url}/health`);
    await graphql(logged.service, EMPLOYEES, { authorization: admin });
    const [only] = await logged.accessLines(1);
    expect(only!.operationName).toBe('Staff');
  });
});

describe('the request id', () => {
  let logged: LoggedService;
  beforeAll(async () => {
    logged = await startLoggedService();
  });
  afterAll(() => logged.service.close());
  beforeEach(() => {
    logged.lines.length = 0;
  });

  const ask = (headers: Record<string, string>) =>
    graphql(logged.service, '{ __typename }', { authorization: demoAuthorization(logged.service), headers });

  it('takes the caller’s x-request-id and sends it back', async () => {
    const reply = await ask({ 'x-request-id': 'router-42.a' });
    expect(reply.headers['x-request-id']).toBe('router-42.a');
    const [line] = await logged.accessLines(1);
    expect(line!.requestId).toBe('router-42.a');
  });

  it('takes the trace id of a W3C traceparent when no x-request-id is given', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const reply = await ask({ traceparent: `00-${traceId}-00f067aa0ba902b7-01` });
    expect(reply.headers['x-request-id']).toBe(traceId);
  });

  it('makes one when neither is given, or the given one is not a plain token', async () => {
    const plain = await ask({});
    const hostile = await ask({ 'x-request-id': 'a b\u00e9"}{' });
    const zero = await ask({ traceparent: `00-${'0'.repeat(32)}-00f067aa0ba902b7-01` });
    for (const reply of [plain, hostile, zero]) {
      expect(reply.headers['x-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
    expect(new Set([plain, hostile, zero].map((r) => r.headers['x-request-id'])).size).toBe(3);
  });
});

describe('Profit failures', () => {
  let logged: LoggedService;
  let admin: string;
  beforeAll(async () => {
    logged = await startLoggedService();
    admin = demoAuthorization(logged.service);
    // The grant is read first, so the fault below meets the connector call.
    await graphql(logged.service, EMPLOYEES, { authorization: admin });
  });
  afterAll(() => logged.service.close());
  beforeEach(() => {
    logged.lines.length = 0;
    logged.service.emulator!.faults.clear();
  });

  it('logs a Profit 500 once, with kind, status, connector and profitLogReference', async () => {
    logged.service.emulator!.faults.once({ kind: '500', path: 'Profit_Employees' });
    const reply = await graphql(logged.service, EMPLOYEES, { authorization: admin });
    expect(reply.json.errors[0].extensions.code).toBe('PROFIT_REJECTED');
    const reference = reply.json.errors[0].extensions.profitLogReference;
    expect(reference).toMatch(/\S/);
    const [access] = await logged.accessLines(1);
    const failures = logged.lines.filter((l) => l.msg.startsWith('Profit call failed'));
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({
      level: 'warn',
      kind: 'rejected',
      status: 500,
      connector: 'Profit_Employees',
      method: 'GET',
      profitLogReference: reference,
      requestId: access!.requestId,
    });
  });

  it('logs a failure shared by many fields of one request once', async () => {
    // Every employee's person comes from one batched call: its failure reaches each employee's `person`.
    const query = '{ employees(first: 3) { edges { node { employeeId person { personId } } } } }';
    // Once without a fault, so the persons' metainfo is cached and the fault meets the connector call.
    await graphql(logged.service, query, { authorization: admin });
    logged.lines.length = 0;
    logged.service.emulator!.faults.once({ kind: '500', path: 'connectors/Profit_Persons' });
    const reply = await graphql(logged.service, query, { authorization: admin });
    expect(reply.json.errors.length).toBeGreaterThan(1);
    await logged.accessLines(1);
    const failures = logged.lines.filter((l) => l.msg.startsWith('Profit call failed'));
    expect(failures).toHaveLength(1);
    expect(failures[0]!.connector).toBe('Profit_Persons');
  });
  it('logs a download’s Profit failure and its access line, without the ticket', async () => {
    const reply = await graphql(
      logged.service,
      '{ dossierItem(dossierItemId: "49946") { attachments { edges { node { downloadUrl } } } } }',
      { authorization: admin },
    );
    const url: string = reply.json.data.dossierItem.attachments.edges[0].node.downloadUrl;
    await logged.accessLines(1);
    logged.lines.length = 0;
    // A download that works: its call, streamed to the caller, is counted too.
    expect((await http(url)).status).toBe(200);
    const [ok] = await logged.accessLines(1);
    expect(ok).toMatchObject({
      route: '/files/',
      status: 200,
      profit: { calls: 1, byConnector: { SubjectConnector: 1 } },
    });
    logged.lines.length = 0;
    logged.service.emulator!.faults.once({ kind: '500', path: 'subjectconnector' });
    const download = await http(url);
    expect(download.status).toBe(502);
    const [line] = await logged.accessLines(1);
    expect(line).toMatchObject({
      method: 'GET',
      route: '/files/',
      status: 502,
      errorCodes: [download.json.errors[0].extensions.code],
      profit: { calls: 1, byConnector: { SubjectConnector: 1 } },
      caller: authorizationHeader(admin).fingerprint,
    });
    const failures = logged.lines.filter((l) => l.msg.startsWith('Profit call failed'));
    expect(failures).toMatchObject([
      { kind: 'rejected', status: 500, connector: 'SubjectConnector', requestId: line!.requestId },
    ]);
    expect(JSON.stringify(logged.lines)).not.toContain(url.slice(url.lastIndexOf('/') + 1));
  });
});
