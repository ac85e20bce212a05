/**
 * Several Profit environments in one deployment (issue 14 §3, docs/tenants.md): two emulators as the Profit
 * environments of two tenants, `acme` and `globex`, behind one service. Both emulators hold the same demo company,
 * so the same credential works on both: only their request logs tell which environment a request reached.
 */
import { SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { credentials, type Emulator, startEmulator } from '../../src/emulator/index.js';
import { describeService, type Service } from '../../src/server/index.js';
import { adminOAuthSettings, graphql, http, startTestService } from './helpers.js';
import { type LoggedService, startLoggedService } from './observability-support.js';

const EMPLOYEES = '{ employees(first: 3) { edges { node { employeeId name } } } }';
/** AFAS's documented payslip (howto-bijlage-dossier.md): dossier item 49946, attachment 20175. */
const ATTACHMENTS = `{ dossierItem(dossierItemId: "49946") { attachments { edges { node { fileId downloadUrl } } } } }`;
const HEADER = 'x-profit-environment';

function adminOf(emulator: Emulator): string {
  const user = credentials(emulator.company)
    .flatMap((app) => app.users)
    .find((u) => u.name === 'admin');
  if (!user) throw new Error('the emulator has no admin user');
  return user.authorization;
}

/** Profit calls an emulator saw since its log was cleared. */
const calls = (emulator: Emulator) => emulator.log.entries().length;

let acme: Emulator;
let globex: Emulator;
beforeAll(async () => {
  [acme, globex] = await Promise.all([startEmulator({}), startEmulator({})]);
});
afterAll(async () => {
  await Promise.all([acme?.close(), globex?.close()]);
});
beforeEach(() => {
  acme.log.clear();
  globex.log.clear();
});

describe('tenants named by a header (pass-through)', () => {
  let service: Service;
  let logged: LoggedService;
  let admin: string;
  beforeAll(async () => {
    admin = adminOf(acme);
    logged = await startLoggedService({
      PROFIT_TENANTS: JSON.stringify([
        { name: 'acme', PROFIT_BASE_URL: acme.baseUrl, PROFIT_MAX_CONCURRENT: 1 },
        { name: 'globex', PROFIT_BASE_URL: globex.baseUrl, PROFIT_MAX_CONCURRENT: 3 },
      ]),
      RESPONSE_CACHE_TTL_SECONDS: '60',
      CORS_ORIGINS: 'https://app.example.com',
    });
    service = logged.service;
  });
  afterAll(async () => {
    await service?.close();
  });

  const as = (tenant: string | undefined, query = EMPLOYEES) =>
    graphql(service, query, { authorization: admin, headers: tenant === undefined ? {} : { [HEADER]: tenant } });

  it("sends a request that names acme to acme's Profit only, and one that names globex to globex's only", async () => {
    const first = await as('acme', '{ employees(first: 2) { edges { node { employeeId } } } }');
    expect(first.json.errors).toBeUndefined();
    expect(first.json.data.employees.edges).toHaveLength(2);
    // The caller's grant (metainfo), the connector's fields (metainfo/get) and the page.
    expect(calls(acme)).toBe(3);
    expect(calls(globex)).toBe(0);

    acme.log.clear();
    const second = await as('globex', '{ employees(first: 2) { edges { node { employeeId } } } }');
    expect(second.json.data.employees.edges).toHaveLength(2);
    // globex's own grant cache: the credential's grant read on acme is not taken for globex.
    expect(calls(globex)).toBe(3);
    expect(calls(acme)).toBe(0);
    // The access line names the tenant.
    await vi.waitFor(() => expect(logged.access().at(-1)).toMatchObject({ tenant: 'globex', status: 200 }));
  });

  it('refuses a request that names no tenant, or one not served here, without calling Profit', async () => {
    const none = await as(undefined);
    expect(none.status).toBe(400);
    expect(none.json.errors[0].extensions.code).toBe('TENANT_REQUIRED');
    expect(none.json.errors[0].message).toContain(HEADER);
    const unknown = await as('initech');
    expect(unknown.status).toBe(400);
    expect(unknown.json.errors[0].extensions.code).toBe('UNKNOWN_TENANT');
    // The answer names no tenant that is served.
    expect(unknown.text).not.toMatch(/acme|globex/);
    expect(none.json.data ?? null).toBeNull();
    expect(calls(acme) + calls(globex)).toBe(0);
  });

  it('lets a browser script on an allowed origin send the tenant header (CORS preflight)', async () => {
    const reply = await http(service.graphqlUrl, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': `authorization, content-type, ${HEADER}`,
      },
    });
    expect(reply.status).toBe(204);
    expect(String(reply.headers['access-control-allow-headers']).split(', ')).toContain(HEADER);
  });

  it('names its tenants in the start banner, not the first tenant’s address', () => {
    const lines = describeService(service);
    expect(lines).toContain('Profit: 2 environments, tenants acme, globex (docs/tenants.md)');
    expect(lines.join('\n')).not.toContain(acme.baseUrl);
  });

  it('answers operations that only read the schema without a tenant: it is one schema for all', async () => {
    const reply = await graphql(service, '{ _service { sdl } }');
    expect(reply.status).toBe(200);
    expect(reply.json.data._service.sdl).toContain('type Employee');
    expect(calls(acme) + calls(globex)).toBe(0);
  });

  it("keeps a cached answer to its tenant: the same credential and query on globex reaches globex's Profit", async () => {
    const query = '{ employees(first: 4) { edges { node { employeeId } } } }';
    await as('acme', query);
    const cached = await as('acme', query);
    expect(cached.headers.age).toBeDefined();
    acme.log.clear();
    const other = await as('globex', query);
    expect(other.headers.age).toBeUndefined();
    expect(other.json.data.employees.edges).toHaveLength(4);
    // The page only: globex's grant and fields are cached since the first test.
    expect(calls(globex)).toBe(1);
    expect(calls(acme)).toBe(0);
  });

  it("holds each tenant to its own PROFIT_MAX_CONCURRENT: 1 call at a time on acme's Profit, 3 on globex's", async () => {
    // Grants first, so that the burst is only GetConnector calls.
    await Promise.all([as('acme'), as('globex')]);
    acme.log.clear();
    globex.log.clear();
    acme.faults.set({ latency: { fixedMs: 60 } });
    globex.faults.set({ latency: { fixedMs: 60 } });
    try {
      // Distinct pages, so the response cache answers none of them.
      const burst = (tenant: string) =>
        Array.from({ length: 6 }, (_, i) =>
          as(tenant, `{ employees(first: ${10 + i}) { edges { node { employeeId } } } }`),
        );
      const replies = await Promise.all([...burst('acme'), ...burst('globex')]);
      expect(replies.every((r) => r.json.errors === undefined)).toBe(true);
    } finally {
      acme.faults.set({});
      globex.faults.set({});
    }
    const most = (emulator: Emulator) => Math.max(...emulator.log.entries().map((e) => e.inFlight));
    expect(calls(acme)).toBe(6);
    expect(calls(globex)).toBe(6);
    expect(most(acme)).toBe(1);
    expect(most(globex)).toBe(3);
  });

  describe('download links', () => {
    async function acmeLink(): Promise<string> {
      const reply = await as('acme', ATTACHMENTS);
      expect(reply.json.errors).toBeUndefined();
      return reply.json.data.dossierItem.attachments.edges[0].node.downloadUrl as string;
    }
    const fileCalls = (emulator: Emulator) =>
      emulator.log.entries().filter((e) => e.path.toLowerCase().startsWith('/profitrestservices/subjectconnector/'));

    it("open in the tenant they were minted for, from a browser that sends no header, on acme's Profit only", async () => {
      const link = await acmeLink();
      acme.log.clear();
      const reply = await http(link);
      expect(reply.status).toBe(200);
      expect(fileCalls(acme)).toHaveLength(1);
      expect(calls(acme)).toBe(1);
      expect(calls(globex)).toBe(0);
    });

    it('are refused on a request that names another tenant, without calling Profit', async () => {
      const link = await acmeLink();
      acme.log.clear();
      const reply = await http(link, { headers: { [HEADER]: 'globex' } });
      expect(reply.status).toBe(403);
      expect(reply.json.errors[0].extensions.code).toBe('TENANT_MISMATCH');
      expect(calls(acme) + calls(globex)).toBe(0);
    });
  });
});

describe('tenants named by the host', () => {
  let service: Service;
  let admin: string;
  beforeAll(async () => {
    admin = adminOf(acme);
    service = await startTestService({
      PROFIT_TENANT_BY: 'host',
      PROFIT_TENANTS: JSON.stringify([
        { name: 'acme', hosts: ['graphql.acme.test'], PROFIT_BASE_URL: acme.baseUrl },
        { name: 'globex', hosts: ['graphql.globex.test', 'globex.test'], PROFIT_BASE_URL: globex.baseUrl },
      ]),
    });
  });
  afterAll(async () => {
    await service?.close();
  });

  const on = (host: string, headers: Record<string, string> = {}) =>
    graphql(service, EMPLOYEES, { authorization: admin, headers: { host, ...headers } });

  it("sends a request to a tenant's host name (any port, any case) to that tenant's Profit only", async () => {
    const reply = await on('Globex.test:8443');
    expect(reply.json.errors).toBeUndefined();
    expect(calls(globex)).toBe(3);
    expect(calls(acme)).toBe(0);
  });

  it('refuses a host no tenant is served on, and a header that names another tenant than the host', async () => {
    const unknown = await on('127.0.0.1');
    expect(unknown.json.errors[0].extensions.code).toBe('UNKNOWN_TENANT');
    const switched = await on('graphql.acme.test', { [HEADER]: 'globex' });
    expect(switched.status).toBe(403);
    expect(switched.json.errors[0].extensions.code).toBe('TENANT_MISMATCH');
    expect(calls(acme) + calls(globex)).toBe(0);
  });

  it("opens acme's download link on acme's host or a host of no tenant, and refuses it on globex's host", async () => {
    const minted = await graphql(service, ATTACHMENTS, {
      authorization: admin,
      headers: { host: 'graphql.acme.test' },
    });
    const path = new URL(minted.json.data.dossierItem.attachments.edges[0].node.downloadUrl as string).pathname;
    acme.log.clear();
    const open = (host: string) => http(`${service.url}${path}`, { headers: { host } });
    const refused = await open('globex.test');
    expect(refused.status).toBe(403);
    expect(refused.json.errors[0].extensions.code).toBe('TENANT_MISMATCH');
    expect(calls(acme) + calls(globex)).toBe(0);
    expect((await open('graphql.acme.test')).status).toBe(200);
    // A link on PUBLIC_URL's host, which is no tenant's, opens in the ticket's own environment.
    expect((await open('127.0.0.1')).status).toBe(200);
    expect(calls(acme)).toBe(2);
    expect(calls(globex)).toBe(0);
  });
});

describe('tenants bound by a JWT claim (service mode behind a router)', () => {
  const secret = 'a-shared-secret-of-enough-length-0123456789';
  const bearer = async (claims: Record<string, unknown>) =>
    `Bearer ${await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(secret))}`;
  const tenantsOf = () =>
    JSON.stringify([
      { name: 'acme', ...adminOAuthSettings(acme) },
      { name: 'globex', ...adminOAuthSettings(globex) },
    ]);
  let byClaim: Service;
  let byHeader: Service;
  beforeAll(async () => {
    [byClaim, byHeader] = await Promise.all([
      startTestService({ PROFIT_TENANT_BY: 'jwt', PROFIT_TENANTS: tenantsOf(), JWT_SECRET: secret }),
      startTestService({ PROFIT_TENANT_BY: 'header', PROFIT_TENANTS: tenantsOf(), JWT_SECRET: secret }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([byClaim?.close(), byHeader?.close()]);
  });

  it("sends a caller whose token says acme to acme's Profit only", async () => {
    const reply = await graphql(byClaim, EMPLOYEES, { authorization: await bearer({ profit_tenant: 'acme' }) });
    expect(reply.json.errors).toBeUndefined();
    // The service's OAuth token, its grant, the connector's fields, the page.
    expect(calls(acme)).toBe(4);
    expect(calls(globex)).toBe(0);
  });

  it('refuses a token without the claim, and a header that names another tenant than the token', async () => {
    const without = await graphql(byClaim, EMPLOYEES, { authorization: await bearer({}) });
    expect(without.json.errors[0].extensions.code).toBe('TENANT_REQUIRED');
    const switched = await graphql(byClaim, EMPLOYEES, {
      authorization: await bearer({ profit_tenant: 'acme' }),
      headers: { [HEADER]: 'globex' },
    });
    expect(switched.status).toBe(403);
    expect(switched.json.errors[0].extensions.code).toBe('TENANT_MISMATCH');
    expect(calls(acme) + calls(globex)).toBe(0);
  });

  it('lets no header move a caller whose token carries the claim, in header mode too', async () => {
    const acmeCaller = await bearer({ profit_tenant: 'acme' });
    const switched = await graphql(byHeader, EMPLOYEES, { authorization: acmeCaller, headers: { [HEADER]: 'globex' } });
    expect(switched.json.errors[0].extensions.code).toBe('TENANT_MISMATCH');
    expect(calls(acme) + calls(globex)).toBe(0);
    // Without a header, the claim names the tenant.
    const bound = await graphql(byHeader, EMPLOYEES, { authorization: acmeCaller });
    expect(bound.json.errors).toBeUndefined();
    expect(calls(acme)).toBeGreaterThan(0);
    expect(calls(globex)).toBe(0);
  });

  it("refuses a token that binds its caller to no tenant, in header mode too: a header alone never opens a tenant's service credential", async () => {
    const free = await graphql(byHeader, EMPLOYEES, {
      authorization: await bearer({ scope: 'profit:get:Profit_Employees' }),
      headers: { [HEADER]: 'globex' },
    });
    expect(free.status).toBe(400);
    expect(free.json.errors[0].extensions.code).toBe('TENANT_REQUIRED');
    expect(free.json.errors[0].message).toContain('profit_tenant');
    expect(calls(acme) + calls(globex)).toBe(0);
  });

  it("checks the model against each service-mode tenant's environment at start, each line naming its tenant", async () => {
    const { service, lines } = await startLoggedService(
      { PROFIT_TENANTS: tenantsOf(), JWT_SECRET: secret },
      { startupCheck: true },
    );
    try {
      expect(await service.modelCheck).toEqual([]);
      const said = lines.map((l) => String(l.msg)).filter((m) => m.includes('model check'));
      expect(said.sort()).toEqual([
        "tenant 'acme': model check: the model is compatible with the environment",
        "tenant 'globex': model check: the model is compatible with the environment",
      ]);
      expect(calls(acme)).toBeGreaterThan(0);
      expect(calls(globex)).toBeGreaterThan(0);
    } finally {
      await service.close();
    }
  });

  it('answers an unverifiable token as unauthenticated, before its tenant is looked at', async () => {
    const reply = await graphql(byClaim, EMPLOYEES, { authorization: 'Bearer a.b.c', headers: { [HEADER]: 'acme' } });
    expect(reply.status).toBe(401);
    expect(reply.json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(calls(acme) + calls(globex)).toBe(0);
  });
});
