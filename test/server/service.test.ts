import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import { EXAMPLE_QUERY } from '../../src/server/example.js';
import type { Service } from '../../src/server/index.js';
import { demoAuthorization, graphql, http, startTestService } from './helpers.js';

const EMPLOYEES = '{ employees(first: 3) { edges { node { employeeId name } } pageInfo { hasNextPage } } }';

describe('the service on the embedded emulator', () => {
  let service: Service;
  let admin: string;
  beforeAll(async () => {
    service = await startTestService();
    admin = demoAuthorization(service);
  });
  afterAll(() => service.close());

  const profitCalls = () => service.emulator!.log.entries().filter((e) => e.path.startsWith('/ProfitRestServices'));

  describe('GraphQL over HTTP', () => {
    it('answers a query with data from the demo company, using the caller’s Authorization', async () => {
      service.emulator!.log.clear();
      const reply = await graphql(service, EMPLOYEES, { authorization: admin });
      expect(reply.status).toBe(200);
      expect(reply.json.errors).toBeUndefined();
      const nodes = reply.json.data.employees.edges.map((e: { node: unknown }) => e.node);
      expect(nodes).toHaveLength(3);
      expect(nodes[0].employeeId).toMatch(/\S/);
      expect(profitCalls().every((e) => e.user === 'admin')).toBe(true);
      expect(profitCalls().length).toBeGreaterThan(0);
    });

    it('runs the Playground’s example query: a filtered page of employees with their person and employer', async () => {
      const reply = await graphql(service, EXAMPLE_QUERY, { authorization: admin });
      expect(reply.json.errors).toBeUndefined();
      const nodes = reply.json.data.employees.edges.map((e: { node: unknown }) => e.node);
      expect(nodes.length).toBeGreaterThan(0);
      for (const node of nodes) {
        expect(['Consultancy', 'ICT']).toContain(node.department);
        expect(node.person?.personId).toMatch(/\S/);
        expect(node.employer?.organisationId).toMatch(/\S/);
      }
    });

    it('accepts a GET with the preflight header', async () => {
      const reply = await http(`${service.graphqlUrl}?query=${encodeURIComponent(EMPLOYEES)}`, {
        headers: { authorization: admin, 'apollo-require-preflight': 'true' },
      });
      expect(reply.status).toBe(200);
      expect(reply.json.data.employees.edges).toHaveLength(3);
    });

    it('answers HEAD like GET, without a body', async () => {
      const reply = await http(`${service.graphqlUrl}?query=${encodeURIComponent('{__typename}')}`, {
        method: 'HEAD',
        headers: { 'apollo-require-preflight': 'true' },
      });
      expect(reply.status).toBe(200);
      expect(reply.body.length).toBe(0);
    });

    it('marks every GraphQL answer cache-control: no-store (data, entities, GraphQL errors, GET)', async () => {
      const replies = await Promise.all([
        graphql(service, EMPLOYEES, { authorization: admin }),
        graphql(service, 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Employee { name } } }', {
          authorization: admin,
          variables: { r: [{ __typename: 'Employee', employeeId: 'none' }] },
        }),
        graphql(service, '{ nope }', { authorization: admin }),
        graphql(service, '{', { authorization: admin }),
        http(`${service.graphqlUrl}?query=${encodeURIComponent('{__typename}')}`, {
          headers: { 'apollo-require-preflight': 'true' },
        }),
      ]);
      expect(replies.map((r) => r.status)).toEqual([200, 200, 400, 400, 200]);
      for (const reply of replies) expect(reply.headers['cache-control']).toBe('no-store');
    });

    it('refuses other methods with 405 and Allow', async () => {
      const reply = await http(service.graphqlUrl, { method: 'PUT', body: '{}' });
      expect(reply.status).toBe(405);
      expect(reply.headers.allow).toBe('GET, HEAD, POST');
    });
  });

  describe('credentials', () => {
    it('answers 401 UNAUTHENTICATED without an Authorization header, and Profit is not called', async () => {
      service.emulator!.log.clear();
      const reply = await graphql(service, EMPLOYEES);
      expect(reply.status).toBe(401);
      expect(reply.headers['www-authenticate']).toMatch(/AfasToken/);
      expect(reply.json.data).toBeUndefined();
      expect(reply.json.errors).toHaveLength(1);
      expect(reply.json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(reply.json.errors[0].message).toMatch(/Authorization header/);
      expect(profitCalls()).toHaveLength(0);
    });

    it.each([
      ['another scheme', 'Basic dXNlcjpwYXNz'],
      ['the Playground’s placeholder for real Profit', 'AfasToken <base64 of your Profit token>'],
      ['a scheme without a token', 'Bearer'],
      ['a token with spaces inside', 'AfasToken abc def'],
    ])('answers 401 for %s, and Profit is not called', async (_name, authorization) => {
      service.emulator!.log.clear();
      const reply = await graphql(service, EMPLOYEES, { authorization });
      expect(reply.status).toBe(401);
      expect(reply.json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(profitCalls()).toHaveLength(0);
    });

    it('answers 401 when Profit refuses the token, with the code kept', async () => {
      const unknown = `AfasToken ${Buffer.from('<token><version>1</version><data>00</data></token>').toString('base64')}`;
      const reply = await graphql(service, EMPLOYEES, { authorization: unknown });
      expect(reply.status).toBe(401);
      expect(reply.json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(reply.text).not.toMatch(/https?:\/\/|127\.0\.0\.1/);
    });

    it('lets schema-only operations through without a credential (a router reading _service, the Playground’s docs)', async () => {
      service.emulator!.log.clear();
      const reply = await graphql(service, '{ _service { sdl } __schema { queryType { name } } }');
      expect(reply.status).toBe(200);
      expect(reply.json.data._service.sdl).toMatch(/employees/);
      expect(profitCalls()).toHaveLength(0);
    });

    it('does not let a fragment hide a Profit field from the gate', async () => {
      const reply = await graphql(
        service,
        '{ __typename ...F } fragment F on Query { employees(first: 1) { pageInfo { hasNextPage } } }',
      );
      expect(reply.status).toBe(401);
    });
  });

  describe('request bodies', () => {
    it('answers a malformed JSON body with 400 and says why', async () => {
      const reply = await http(service.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: admin },
        body: '{"query": "{ __typename }",',
      });
      expect(reply.status).toBe(400);
      expect(reply.json.errors[0].extensions.code).toBe('BAD_REQUEST');
      expect(reply.json.errors[0].message).toMatch(/^The request body is not valid JSON: /);
    });

    it('answers an empty JSON body with 400', async () => {
      const reply = await http(service.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '',
      });
      expect(reply.status).toBe(400);
      expect(reply.json.errors[0].message).toMatch(/empty/);
    });

    it('answers a body over the limit with 413', async () => {
      const big = JSON.stringify({ query: `{ __typename }${' '.repeat(1_100_000)}` });
      const reply = await http(service.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: big,
      });
      expect(reply.status).toBe(413);
      expect(reply.json.errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('refuses a JSON body in another charset with 415', async () => {
      const reply = await http(service.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=latin1' },
        body: '{"query":"{__typename}"}',
      });
      expect(reply.status).toBe(415);
    });
  });

  describe('CSRF prevention', () => {
    it('refuses a GET without a preflight header', async () => {
      service.emulator!.log.clear();
      const reply = await http(`${service.graphqlUrl}?query=${encodeURIComponent(EMPLOYEES)}`, {
        headers: { authorization: admin },
      });
      expect(reply.status).toBe(400);
      expect(reply.text).toMatch(/Cross-Site Request Forgery/);
      expect(profitCalls()).toHaveLength(0);
    });

    it.each(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'])(
      'refuses a simple POST (%s) without a preflight header',
      async (contentType) => {
        service.emulator!.log.clear();
        const reply = await http(service.graphqlUrl, {
          method: 'POST',
          headers: { 'content-type': contentType, authorization: admin },
          body: JSON.stringify({ query: EMPLOYEES }),
        });
        expect(reply.status).toBe(400);
        expect(reply.text).toMatch(/Cross-Site Request Forgery/);
        expect(profitCalls()).toHaveLength(0);
      },
    );
  });

  describe('health and readiness', () => {
    it('answers /health', async () => {
      const reply = await http(`${service.url}/health`);
      expect(reply.status).toBe(200);
      expect(reply.json).toEqual({ status: 'ok' });
    });

    it('answers /ready in pass-through mode without calling Profit, saying so', async () => {
      service.emulator!.log.clear();
      const reply = await http(`${service.url}/ready`);
      expect(reply.status).toBe(200);
      expect(reply.json.status).toBe('ready');
      expect(reply.json.profit.checked).toBe(false);
      expect(profitCalls()).toHaveLength(0);
    });

    it('answers 404 elsewhere', async () => {
      const reply = await http(`${service.url}/nope`);
      expect(reply.status).toBe(404);
    });
  });

  describe('the Playground', () => {
    it('serves one self-contained page, compressed, with an ETag, and 304 on revalidation', async () => {
      const page = await http(`${service.url}/`, { headers: { 'accept-encoding': 'gzip' } });
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.headers['content-encoding']).toBe('gzip');
      expect(page.headers.vary).toBe('Accept-Encoding');
      expect(page.headers['content-security-policy']).toMatch(/connect-src 'self'/);
      const etag = page.headers.etag as string;
      expect(etag).toMatch(/^"[\w-]+"$/);
      const html = gunzipSync(page.body).toString('utf8');
      expect(html).toMatch(/<title>profit-subgraph<\/title>/);
      // Offline: no script, stylesheet or icon from another host.
      expect(html).not.toMatch(/<script[^>]+src\s*=\s*["']?(https?:)?\/\//i);
      expect(html).not.toMatch(/<link[^>]+href\s*=\s*["']?(https?:)?\/\//i);
      expect(html).not.toMatch(/@import\s+(url\()?["']?(https?:)?\/\//i);
      // Opens with the example query and the demo admin's header.
      expect(html).toContain('employees(');
      expect(html).toContain(JSON.stringify(JSON.stringify({ Authorization: admin }, null, 2)).slice(1, -1));

      const again = await http(`${service.url}/`, { headers: { 'accept-encoding': 'gzip', 'if-none-match': etag } });
      expect(again.status).toBe(304);
      expect(again.body.length).toBe(0);
    });

    it('prefers Brotli, and serves identity to a client that accepts neither', async () => {
      const br = await http(`${service.url}/`, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
      expect(br.headers['content-encoding']).toBe('br');
      const plain = await http(`${service.url}/`, { headers: { 'accept-encoding': 'identity' } });
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.body.length).toBeGreaterThan(br.body.length * 3);
      expect(plain.headers.etag).not.toBe(br.headers.etag);
    });

    it('sends a browser that opens /graphql to the Playground', async () => {
      const reply = await http(service.graphqlUrl, { headers: { accept: 'text/html' } });
      expect(reply.status).toBe(302);
      expect(reply.headers.location).toBe('/');
    });
  });
});

describe('production mode', () => {
  it('hides the Playground and introspection', async () => {
    const service = await startTestService({ NODE_ENV: 'production', EMULATOR_IN_PRODUCTION: 'true' });
    try {
      expect((await http(`${service.url}/`)).status).toBe(404);
      const reply = await graphql(service, '{ __schema { queryType { name } } }');
      expect(reply.status).toBe(400);
      expect(reply.json.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(reply.json.errors[0].message).toMatch(/introspection/i);
    } finally {
      await service.close();
    }
  });

  it('serves both when PLAYGROUND and INTROSPECTION say so', async () => {
    const service = await startTestService({
      NODE_ENV: 'production',
      EMULATOR_IN_PRODUCTION: 'true',
      PLAYGROUND: 'true',
      INTROSPECTION: 'true',
    });
    try {
      expect((await http(`${service.url}/`)).status).toBe(200);
      expect((await graphql(service, '{ __schema { queryType { name } } }')).status).toBe(200);
    } finally {
      await service.close();
    }
  });
});

describe('against a separately started Profit (PROFIT_BASE_URL)', () => {
  it('passes the caller’s credential through to that Profit', async () => {
    const emulator = await startEmulator({});
    const service = await startTestService({ PROFIT_BASE_URL: emulator.baseUrl });
    try {
      expect(service.emulator).toBeUndefined();
      const app = (await import('../../src/emulator/index.js')).credentials(emulator.company);
      const hr = app.flatMap((a) => a.users).find((u) => u.name === 'hr')!.authorization;
      const reply = await graphql(service, EMPLOYEES, { authorization: hr });
      expect(reply.status).toBe(200);
      expect(reply.json.data.employees.edges).toHaveLength(3);
      const calls = emulator.log.entries().filter((e) => e.path.includes('Profit_Employees'));
      expect(calls.length).toBeGreaterThan(0);
      expect(calls.every((e) => e.user === 'hr')).toBe(true);

      const page = await http(`${service.url}/`, { headers: { 'accept-encoding': 'identity' } });
      expect(page.text).toContain('AfasToken <base64 of your Profit token>');
    } finally {
      await service.close();
      await emulator.close();
    }
  });

  it('uses one service credential for every request in service mode, and /ready asks Profit', async () => {
    const emulator = await startEmulator({});
    const admin = (await import('../../src/emulator/index.js'))
      .credentials(emulator.company)
      .find((a) => a.appConnector === 'admin')!;
    const { clientId, clientSecret } = admin.oauthClients[0]!;
    const service = await startTestService({
      PROFIT_BASE_URL: emulator.baseUrl,
      PROFIT_OAUTH_CLIENT_ID: clientId,
      PROFIT_OAUTH_CLIENT_SECRET: clientSecret,
    });
    try {
      const reply = await graphql(service, EMPLOYEES);
      expect(reply.status).toBe(200);
      expect(reply.json.data.employees.edges).toHaveLength(3);
      const ready = await http(`${service.url}/ready`);
      expect(ready.status).toBe(200);
      expect(ready.json.profit).toMatchObject({ checked: true, reachable: true });
      expect(emulator.log.entries().filter((e) => e.path.endsWith('/ProfitVersion'))).toHaveLength(1);
      await http(`${service.url}/ready`);
      expect(emulator.log.entries().filter((e) => e.path.endsWith('/ProfitVersion'))).toHaveLength(1);
    } finally {
      await service.close();
      await emulator.close();
    }
  });

  it('stays ready when Profit cannot be reached in service mode, saying so: every replica shares that Profit', async () => {
    const emulator = await startEmulator({});
    const baseUrl = emulator.baseUrl;
    await emulator.close();
    const service = await startTestService({
      PROFIT_BASE_URL: baseUrl,
      PROFIT_TOKEN: 'a'.repeat(64),
      PROFIT_RETRY_ATTEMPTS: '1',
    });
    try {
      const ready = await http(`${service.url}/ready`);
      expect(ready.status).toBe(200);
      expect(ready.json.status).toBe('ready');
      expect(ready.json.profit).toMatchObject({ checked: true, reachable: false, error: 'network' });
      expect(ready.text).not.toContain(baseUrl);
    } finally {
      await service.close();
    }
  });
});

describe('shutting down', () => {
  it('lets a running request finish, then refuses new connections', async () => {
    const service = await startTestService();
    const admin = demoAuthorization(service);
    service.emulator!.faults.set({ latency: { fixedMs: 400 } });
    const running = graphql(service, EMPLOYEES, { authorization: admin });
    await new Promise((r) => setTimeout(r, 100));
    const closing = service.close();
    const reply = await running;
    expect(reply.status).toBe(200);
    expect(reply.json.data.employees.edges).toHaveLength(3);
    await closing;
    await expect(http(`${service.url}/health`)).rejects.toThrow();
  });

  it('closes the HTTP server, the connection and the embedded emulator', async () => {
    const service = await startTestService();
    const { url } = service;
    const emulatorUrl = service.emulator!.url;
    await service.close();
    await expect(http(`${url}/health`)).rejects.toThrow();
    await expect(http(`${emulatorUrl}/__emulator/log`)).rejects.toThrow();
    await service.close(); // twice is fine
  });
});
