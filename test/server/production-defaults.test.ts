/**
 * Safe defaults in production: what the service refuses to start with (checked on the CLI itself, as a child
 * process: exit code 1 and exactly one line on stderr naming the variable), what `/ready` and `/health` say to an
 * anonymous caller, and request values nested deep enough to exhaust a recursive parser.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentials, type Emulator, startEmulator } from '../../src/emulator/index.js';
import type { Service } from '../../src/server/index.js';
import { type CliRun, runCli } from '../support/cli.js';
import { demoAuthorization, graphql, http, startTestService } from './helpers.js';

/**
 * Runs `cli.ts serve` from the sources in a child process with only `env` (and PATH) set. A service that does
 * start is stopped with SIGTERM once it says where it listens, so the run always ends.
 */
function serve(env: Record<string, string>): Promise<CliRun> {
  return runCli(
    ['serve'],
    { PORT: '0', LOG_LEVEL: 'silent', SHUTDOWN_DELAY_MS: '0', ...env },
    {
      onStdout: (stdout, child) => {
        if (stdout.includes('Press Ctrl-C')) child.kill('SIGTERM');
      },
    },
  );
}

/** The one line a configuration error must be: no stack frame, nothing after it. */
function expectOneLine(run: CliRun): string {
  expect(run.code).toBe(1);
  expect(run.stderr.endsWith('\n')).toBe(true);
  const lines = run.stderr.slice(0, -1).split('\n');
  expect(lines).toHaveLength(1);
  expect(run.stderr).not.toMatch(/\bat .+:\d+:\d+/);
  return lines[0] ?? '';
}

const HEX_TOKEN = 'a1'.repeat(32);

describe('starting in production', { timeout: 60_000 }, () => {
  it('refuses to serve the demo emulator without Profit settings, in one line naming the settings, printing no token', async () => {
    const run = await serve({ NODE_ENV: 'production' });
    const line = expectOneLine(run);
    expect(line).toMatch(/^configuration: NODE_ENV=production needs PROFIT_ENVIRONMENT or PROFIT_BASE_URL/);
    expect(line).toContain('EMULATOR_IN_PRODUCTION=true');
    expect(run.stdout).not.toContain('AfasToken');
    expect(run.stdout).not.toContain('GraphQL at');
  });

  it('refuses service mode without JWT verification unless SERVICE_MODE_WITHOUT_JWT=allow-all, never showing the token', async () => {
    const run = await serve({
      NODE_ENV: 'production',
      PROFIT_BASE_URL: 'http://127.0.0.1:9/ProfitRestServices',
      PROFIT_TOKEN: HEX_TOKEN,
    });
    const line = expectOneLine(run);
    expect(line).toMatch(/^configuration: NODE_ENV=production with PROFIT_TOKEN but no JWT_JWKS_URL/);
    expect(line).toContain('SERVICE_MODE_WITHOUT_JWT=allow-all');
    expect(run.stderr + run.stdout).not.toContain(HEX_TOKEN);
  });

  it('answers a malformed PROFIT_TOKEN with one line naming it, not a stack trace, and without the token', async () => {
    const secret = '<token><version>1</version><data>not-hex-but-secret</data></token>';
    const run = await serve({ PROFIT_BASE_URL: 'http://127.0.0.1:9/ProfitRestServices', PROFIT_TOKEN: secret });
    const line = expectOneLine(run);
    expect(line).toMatch(/^configuration: PROFIT_TOKEN must be <token><version>1<\/version><data>/);
    expect(line).toContain(`got ${secret.length} characters`);
    expect(run.stderr + run.stdout).not.toContain('not-hex-but-secret');
  });
});

describe('what production accepts', () => {
  it('serves the demo emulator when EMULATOR_IN_PRODUCTION=true says so', async () => {
    const service = await startTestService({ NODE_ENV: 'production', EMULATOR_IN_PRODUCTION: 'true' });
    try {
      expect(service.emulator).toBeDefined();
      const reply = await graphql(service, '{ employees(first: 1) { edges { node { employeeId } } } }', {
        authorization: demoAuthorization(service),
      });
      expect(reply.json.errors).toBeUndefined();
    } finally {
      await service.close();
    }
  });

  it('serves one shared credential to every caller when SERVICE_MODE_WITHOUT_JWT=allow-all says so', async () => {
    const emulator = await startEmulator({});
    const admin = credentials(emulator.company).find((a) => a.appConnector === 'admin')!;
    const { clientId, clientSecret } = admin.oauthClients[0]!;
    const service = await startTestService({
      NODE_ENV: 'production',
      PROFIT_BASE_URL: emulator.baseUrl,
      PROFIT_OAUTH_CLIENT_ID: clientId,
      PROFIT_OAUTH_CLIENT_SECRET: clientSecret,
      SERVICE_MODE_WITHOUT_JWT: 'allow-all',
    });
    try {
      const reply = await graphql(service, '{ employees(first: 1) { edges { node { employeeId } } } }');
      expect(reply.json.errors).toBeUndefined();
    } finally {
      await service.close();
      await emulator.close();
    }
  });
});

describe('a PORT that is taken', () => {
  it('is a configuration error naming PORT', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      await expect(
        startTestService({ PORT: String(port), PROFIT_BASE_URL: 'http://127.0.0.1:9/ProfitRestServices' }),
      ).rejects.toThrow(`PORT ${port} is in use on HOST 127.0.0.1`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});

describe('a HOST that is not this machine’s', () => {
  it('is a configuration error naming HOST', async () => {
    // 203.0.113.0/24 is TEST-NET-3 (RFC 5737): never an address of this machine.
    await expect(
      startTestService({ HOST: '203.0.113.7', PROFIT_BASE_URL: 'http://127.0.0.1:9/ProfitRestServices' }),
    ).rejects.toThrow('HOST 203.0.113.7 is not an address of this machine');
  });
});

describe('/ready and /health', () => {
  let emulator: Emulator;
  let service: Service;
  beforeAll(async () => {
    emulator = await startEmulator({});
    const admin = credentials(emulator.company).find((a) => a.appConnector === 'admin')!;
    const { clientId, clientSecret } = admin.oauthClients[0]!;
    service = await startTestService({
      PROFIT_BASE_URL: emulator.baseUrl,
      PROFIT_OAUTH_CLIENT_ID: clientId,
      PROFIT_OAUTH_CLIENT_SECRET: clientSecret,
    });
  });
  afterAll(async () => {
    await service.close();
    await emulator.close();
  });

  it('show an anonymous caller no Profit version', async () => {
    const version = emulator.company.profitVersion;
    expect(version).toMatch(/\S/);
    const ready = await http(`${service.url}/ready`);
    expect(ready.status).toBe(200);
    expect(ready.json).toMatchObject({ status: 'ready', profit: { checked: true, reachable: true } });
    expect(ready.json.profit).not.toHaveProperty('version');
    expect(ready.text).not.toContain(version);
    const health = await http(`${service.url}/health`);
    expect(health.json).toEqual({ status: 'ok' });
    expect(health.text).not.toContain(version);
  });

  it('stays ready during Profit maintenance, saying so, while GraphQL answers PROFIT_UNAVAILABLE', async () => {
    emulator.faults.maintenance(7200);
    try {
      // Past the 5 s cache of the first check: a fresh service sees the window on its first check.
      const during = await startTestService({
        PROFIT_BASE_URL: emulator.baseUrl,
        PROFIT_TOKEN: HEX_TOKEN,
      });
      try {
        const ready = await http(`${during.url}/ready`);
        expect(ready.status).toBe(200);
        expect(ready.json).toMatchObject({
          status: 'ready',
          profit: { checked: true, reachable: false, error: 'unavailable', retryAfterSeconds: 7200 },
        });
        const reply = await graphql(during, '{ employees(first: 1) { edges { node { employeeId } } } }');
        expect(reply.json.errors[0].extensions).toMatchObject({ code: 'PROFIT_UNAVAILABLE' });
      } finally {
        await during.close();
      }
    } finally {
      emulator.faults.maintenance(null);
    }
  });

  it('is not ready when Profit refuses the service credential: only a new configuration fixes that', async () => {
    const refused = await startTestService({ PROFIT_BASE_URL: emulator.baseUrl, PROFIT_TOKEN: HEX_TOKEN });
    try {
      const ready = await http(`${refused.url}/ready`);
      expect(ready.status).toBe(503);
      expect(ready.json).toMatchObject({
        status: 'unavailable',
        profit: { checked: true, reachable: false, error: 'unauthorized' },
      });
    } finally {
      await refused.close();
    }
  });
});

describe('deeply nested input', () => {
  let service: Service;
  let admin: string;
  beforeAll(async () => {
    service = await startTestService();
    admin = demoAuthorization(service);
  });
  afterAll(() => service.close());

  const QUERY = 'query($where: EmployeeWhere) { employees(first: 1, where: $where) { edges { node { employeeId } } } }';
  /** A where `levels` deep in `and`s, as JSON text (JSON.stringify itself recurses). */
  const nestedWhere = (levels: number) =>
    `${'{"and":['.repeat(levels)}{"department":{"eq":"ICT"}}${']}'.repeat(levels)}`;
  const post = (body: string) =>
    http(service.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: admin },
      body,
    });
  const profitCalls = () => service.emulator!.log.entries().filter((e) => e.path.startsWith('/ProfitRestServices'));

  it('answers a where 5,000 levels deep in the variables with BAD_USER_INPUT, calling Profit not once', async () => {
    service.emulator!.log.clear();
    const reply = await post(`{"query":${JSON.stringify(QUERY)},"variables":{"where":${nestedWhere(5000)}}}`);
    expect(reply.status).toBe(400);
    expect(reply.json.errors).toEqual([
      {
        message: 'Variable "$where" nests deeper than 100 levels of lists and objects',
        extensions: { code: 'BAD_USER_INPUT' },
      },
    ]);
    expect(profitCalls()).toHaveLength(0);
  });

  it('answers the same in a GET’s variables (2,000 levels: what fits in a URL)', async () => {
    const search = new URLSearchParams({ query: QUERY, variables: `{"where":${'['.repeat(2000)}${']'.repeat(2000)}}` });
    const reply = await http(`${service.graphqlUrl}?${search}`, {
      headers: { authorization: admin, 'apollo-require-preflight': 'true' },
    });
    expect(reply.status).toBe(400);
    expect(reply.json.errors[0]).toMatchObject({
      message: 'Variable "$where" nests deeper than 100 levels of lists and objects',
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  it('answers a where 5,000 levels deep written inline with BAD_USER_INPUT', async () => {
    service.emulator!.log.clear();
    const literal = `${'{and:['.repeat(5000)}{department:{eq:"ICT"}}${']}'.repeat(5000)}`;
    const reply = await post(
      JSON.stringify({ query: `{ employees(first: 1, where: ${literal}) { edges { node { employeeId } } } }` }),
    );
    expect(reply.status).toBe(400);
    expect(reply.json.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(reply.json.errors[0].message).toMatch(
      /^The value at line 1, column \d+ nests deeper than 100 levels of lists and objects$/,
    );
    expect(profitCalls()).toHaveLength(0);
  });

  it('answers JSON nested 100,000 levels anywhere in the body with BAD_USER_INPUT', async () => {
    const deep = `${'['.repeat(100_000)}1${']'.repeat(100_000)}`;
    const reply = await post(`{"query":"{ __typename }","extensions":{"x":${deep}}}`);
    expect(reply.status).toBe(400);
    expect(reply.json.errors[0]).toMatchObject({
      message: 'A member of the request body nests deeper than 100 levels of lists and objects',
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  it('answers selection sets nested 4,000 levels deep with QUERY_TOO_DEEP', async () => {
    const selection = `${'... on Employee { '.repeat(4000)}employeeId${' }'.repeat(4000)}`;
    const reply = await post(JSON.stringify({ query: `{ employees(first: 1) { edges { node { ${selection} } } } }` }));
    expect(reply.status).toBe(400);
    expect(reply.json.errors[0].extensions.code).toBe('QUERY_TOO_DEEP');
    expect(reply.json.errors[0].message).toMatch(
      /^The selection sets nest deeper than 500 levels at line 1, column \d+/,
    );
  });

  it('still runs a where 30 levels deep, as deep as compileWhere allows', async () => {
    const reply = await post(`{"query":${JSON.stringify(QUERY)},"variables":{"where":${nestedWhere(30)}}}`);
    expect(reply.status).toBe(200);
    expect(reply.json.errors).toBeUndefined();
  });
});
